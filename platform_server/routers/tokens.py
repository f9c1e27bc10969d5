"""Organisation tokens (operator only): create, list without secrets, revoke."""

import sqlite3
from typing import Any

from fastapi import APIRouter, Request, Response

from platform_server import records
from platform_server.auth import Operator, insert_token, new_secret
from platform_server.listing import list_in_organisation
from platform_server.lookups import visible
from platform_server.models.common import Page
from platform_server.models.tokens import NewToken, Token, TokenCreate
from platform_server.pagination import Paging
from platform_server.problems import ProblemError, not_found
from platform_server.records import MEMBERS, ORGANISATIONS, TOKENS
from platform_server.writes import perform_write

router = APIRouter(tags=["tokens"])


def token_out(connection: sqlite3.Connection, row: dict[str, Any]) -> Token:
    """Present a token row without its secret."""
    return Token(**row)


@router.post("/v1/organisations/{org_id}/tokens", status_code=201, response_model=NewToken)
def create_token(request: Request, org_id: str, body: TokenCreate, caller: Operator) -> Response:
    """Create an organisation token; its secret is in this answer only."""
    def work(connection: sqlite3.Connection) -> NewToken:
        visible(connection, ORGANISATIONS, org_id, caller, "organisation")
        if body.member_id is not None and records.fetch(connection, MEMBERS, body.member_id, organisation_id=org_id) is None:
            raise ProblemError(422, "unknown_member", f"{body.member_id} is not a member of this organisation",
                               errors=[{"loc": ["body", "member_id"], "msg": "unknown member"}])
        secret = new_secret()
        token_id = insert_token(connection, name=body.name, access=body.access, organisation_id=org_id,
                                secret=secret, labels=body.labels, member_id=body.member_id)
        row = records.fetch(connection, TOKENS, token_id)
        assert row is not None
        return NewToken(**row, token=secret)
    return perform_write(request, caller, work, status_code=201, body=body)


@router.get("/v1/organisations/{org_id}/tokens", response_model=Page[Token])
def list_tokens(request: Request, org_id: str, caller: Operator, paging: Paging) -> Response:
    """List an organisation's tokens (without secrets)."""
    return list_in_organisation(request, caller, paging, org_id, TOKENS, token_out, Page[Token])


@router.delete("/v1/tokens/{token_id}", status_code=204)
def revoke_token(request: Request, token_id: str, caller: Operator) -> Response:
    """Revoke an organisation token at once."""
    def work(connection: sqlite3.Connection) -> None:
        row = records.fetch(connection, TOKENS, token_id)
        if row is None or row["access"] == "operator" or not caller.sees(row["organisation_id"]):
            raise not_found("token")
        caller.ensure_allowed()
        records.delete(connection, TOKENS, token_id)
    return perform_write(request, caller, work)
