"""Tokens: hashing, the operator token made on first start, and who is calling."""

import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from platform_server.clock import now_text
from platform_server.database import Database
from platform_server.identifiers import new_id
from platform_server.problems import ProblemError
from platform_server.state import platform_of

OPERATOR_TOKEN_FILE = "operator-token"


def new_secret() -> str:
    """Make a token secret (shown once, never stored)."""
    return "vct_" + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Hash a token secret for storage; secrets are random, so a plain SHA-256 is enough."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """The token a request was made with, and what the endpoint needs it to be allowed."""

    token_id: str
    access: str
    organisation_id: str | None
    needs: str = "read"  # "read", "write" or "operator"
    member_id: str | None = None
    """The member a member token acts as; their roles decide what it may do (platform_server/powers.py)."""

    @property
    def is_operator(self) -> bool:
        """Whether this is the platform operator."""
        return self.access == "operator"

    def sees(self, organisation_id: str) -> bool:
        """Whether objects of that organisation exist for this caller (others answer 404)."""
        return self.is_operator or self.organisation_id == organisation_id

    def ensure_allowed(self) -> None:
        """Refuse with 403 what this token may not do.

        Called once the target is known to be visible, so that another tenant's object is always
        404 and never 403.
        """
        if self.needs == "operator" and not self.is_operator:
            raise ProblemError(403, "forbidden", "Only the operator token may do this")
        if self.needs == "write" and self.access == "read_only":
            raise ProblemError(403, "forbidden", "This token is read-only")


def insert_token(
    connection: sqlite3.Connection, *, name: str, access: str, organisation_id: str | None, secret: str,
    labels: dict[str, str] | None = None, member_id: str | None = None,
) -> str:
    """Store a token's hash and return the new token id."""
    token_id = new_id("tok")
    now = now_text()
    connection.execute(
        "INSERT INTO tokens (id, organisation_id, member_id, name, access, secret_hash, labels, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (token_id, organisation_id, member_id, name, access, hash_secret(secret),
         json.dumps(labels or {}, sort_keys=True), now, now),
    )
    return token_id


def ensure_operator_token(database: Database, preset: str | None, data_dir: Path | None) -> str | None:
    """Make sure an operator token exists; return its secret when this start created it.

    A preset secret (VIDEOCALL_OPERATOR_TOKEN) is registered if unknown. Otherwise the first start
    makes one and writes it to `<data_dir>/operator-token` (mode 0600) when there is a data dir.
    """
    with database.transaction() as connection:
        if preset:
            known = connection.execute(
                "SELECT 1 FROM tokens WHERE secret_hash = ?", (hash_secret(preset),)
            ).fetchone()
            if known is None:
                insert_token(connection, name="operator (preset)", access="operator",
                             organisation_id=None, secret=preset)
            return None
        if connection.execute("SELECT 1 FROM tokens WHERE access = 'operator'").fetchone():
            return None
        secret = new_secret()
        insert_token(connection, name="operator", access="operator", organisation_id=None, secret=secret)
        if data_dir is not None:
            path = data_dir / OPERATOR_TOKEN_FILE
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secret + "\n")
            os.chmod(path, 0o600)
        return secret


def authenticate(request: Request) -> Caller:
    """Identify the caller from `Authorization: Bearer <token>` (401 when missing or unknown)."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ProblemError(401, "unauthorized", "Send Authorization: Bearer <token>",
                           headers={"WWW-Authenticate": "Bearer"})
    with platform_of(request).database.snapshot() as connection:
        row = connection.execute(
            "SELECT id, access, organisation_id, member_id FROM tokens WHERE secret_hash = ?",
            (hash_secret(secret.strip()),),
        ).fetchone()
    if row is None:
        raise ProblemError(401, "unauthorized", "Unknown or revoked token",
                           headers={"WWW-Authenticate": "Bearer"})
    return Caller(token_id=row["id"], access=row["access"], organisation_id=row["organisation_id"],
                  member_id=row["member_id"])


def writing_caller(caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    """A caller that must be allowed to change things (checked by `Caller.ensure_allowed`)."""
    return replace(caller, needs="write")


def operator_caller(caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    """A caller that must be the platform operator (checked by `Caller.ensure_allowed`)."""
    return replace(caller, needs="operator")


Reader = Annotated[Caller, Depends(authenticate)]
Writer = Annotated[Caller, Depends(writing_caller)]
Operator = Annotated[Caller, Depends(operator_caller)]
