"""Organisations: `/v1/organisations` and the bulk read of one organisation's whole tree."""

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from platform_server import records, rules
from platform_server.auth import Operator, Reader, Writer
from platform_server.identifiers import new_id
from platform_server.lookups import visible
from platform_server.models.common import Page
from platform_server.models.organisations import Organisation, OrganisationChange, OrganisationCreate
from platform_server.pagination import Paging
from platform_server.problems import ProblemError
from platform_server.records import ORGANISATIONS
from platform_server.writes import check_if_match, perform_read, perform_write

router = APIRouter(tags=["organisations"])

Cascade = Annotated[bool, Query(description="also delete everything in it")]
Force = Annotated[bool, Query(description="even while callers are waiting")]


def organisation_out(connection: sqlite3.Connection, row: dict[str, Any]) -> Organisation:
    """Present an organisation row."""
    return Organisation(**row, admin_count=rules.organisation_admin_count(connection, row["id"]))


def _name_taken(error: sqlite3.IntegrityError) -> ProblemError:
    if records.is_unique_violation(error, "organisations.name"):
        return ProblemError(409, "organisation_name_taken", "Another organisation already has this name")
    if records.is_unique_violation(error, "custom_urls_are_unique"):
        return ProblemError(409, "custom_url_taken", "Another organisation already has this custom URL")
    raise error


@router.get("/v1/organisations", response_model=Page[Organisation])
def list_organisations(request: Request, caller: Reader, paging: Paging) -> Response:
    """List the organisations the caller sees (an organisation token sees only its own)."""
    def read(connection: sqlite3.Connection) -> Page[Organisation]:
        where, params = ("1 = 1", ()) if caller.is_operator else ("id = ?", (caller.organisation_id,))
        rows, cursor = records.page(connection, ORGANISATIONS, paging, where, params)
        return Page[Organisation](items=[organisation_out(connection, row) for row in rows], next_cursor=cursor)
    return perform_read(request, read)


@router.post("/v1/organisations", status_code=201, response_model=Organisation)
def create_organisation(request: Request, body: OrganisationCreate, caller: Operator) -> Response:
    """Create an organisation (operator only)."""
    caller.ensure_allowed()

    def work(connection: sqlite3.Connection) -> Organisation:
        organisation_id = new_id("org")
        if connection.execute("SELECT 1 FROM organisations WHERE name = ?", (body.name,)).fetchone():
            # The name says whose organisation it is, so it is named first when the custom URL is taken too.
            raise ProblemError(409, "organisation_name_taken", "Another organisation already has this name")
        try:
            records.insert(connection, ORGANISATIONS, {"id": organisation_id, **body.model_dump()})
        except sqlite3.IntegrityError as error:
            raise _name_taken(error) from error
        return organisation_out(connection, visible(connection, ORGANISATIONS, organisation_id, caller, "organisation"))
    return perform_write(request, caller, work, status_code=201, body=body)


@router.get("/v1/organisations/{org_id}", response_model=Organisation)
def get_organisation(request: Request, org_id: str, caller: Reader) -> Response:
    """Read one organisation."""
    return perform_read(request, lambda connection: organisation_out(
        connection, visible(connection, ORGANISATIONS, org_id, caller, "organisation")))


@router.patch("/v1/organisations/{org_id}", response_model=Organisation)
def update_organisation(request: Request, org_id: str, body: OrganisationChange, caller: Writer) -> Response:
    """Change an organisation's name, default time zone or labels."""
    def work(connection: sqlite3.Connection) -> Organisation:
        row = visible(connection, ORGANISATIONS, org_id, caller, "organisation")
        check_if_match(request, row["version"])
        try:
            records.update(connection, ORGANISATIONS, row, body.changes())
        except sqlite3.IntegrityError as error:
            raise _name_taken(error) from error
        return organisation_out(connection, visible(connection, ORGANISATIONS, org_id, caller, "organisation"))
    return perform_write(request, caller, work, body=body)


@router.delete("/v1/organisations/{org_id}", status_code=204)
def delete_organisation(
    request: Request, org_id: str, caller: Operator, cascade: Cascade = False, force: Force = False
) -> Response:
    """Delete an organisation (operator only); a non-empty one only with ?cascade=true."""
    def work(connection: sqlite3.Connection) -> None:
        row = visible(connection, ORGANISATIONS, org_id, caller, "organisation")
        check_if_match(request, row["version"])
        contents = connection.execute(
            "SELECT (SELECT count(*) FROM clinics WHERE organisation_id = :id)"
            " + (SELECT count(*) FROM rooms WHERE organisation_id = :id)"
            " + (SELECT count(*) FROM members WHERE organisation_id = :id)",
            {"id": org_id},
        ).fetchone()[0]
        if contents and not cascade:
            raise ProblemError(409, "organisation_not_empty",
                               "The organisation still has clinics, rooms or members; use ?cascade=true")
        waiting = connection.execute(
            "SELECT coalesce(sum(waiting_count), 0) FROM waiting_areas WHERE organisation_id = ?", (org_id,)
        ).fetchone()[0]
        rules.no_callers_waiting(waiting, force, "delete")
        records.delete(connection, ORGANISATIONS, org_id)
    return perform_write(request, caller, work)
