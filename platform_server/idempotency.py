"""Idempotency keys: a POST retried with the same key gets the first answer instead of a duplicate.

A key is claimed (state `in_flight`) in its own short transaction, so a concurrent retry sees it and
answers 409; the write and the stored answer (state `done`) then commit together, so a write can
never be committed without its answer. A failed write releases the key: nothing was committed, so
a retry may run it again. Keys claimed by a process that has since died are taken over.
"""

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass

from pydantic import BaseModel

from platform_server.database import Database
from platform_server.problems import ProblemError

KEY_HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
KEEP_SECONDS = 48 * 3600


@dataclass(frozen=True)
class StoredAnswer:
    """The status and body the first request with a key was answered with."""

    status: int
    body: bytes


def request_fingerprint(method: str, path: str, query: str, body: BaseModel | None) -> str:
    """Hash what makes two requests "the same": method, path, query and the parsed body."""
    document = json.dumps(
        {
            "method": method,
            "path": path,
            "query": sorted(query.split("&")) if query else [],
            "body": body.model_dump(mode="json", exclude_unset=True) if body is not None else None,
        },
        sort_keys=True,
    )
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def validated_key(raw: str | None) -> str | None:
    """Return the request's Idempotency-Key, or None; 422 if it is empty or too long."""
    if raw is None:
        return None
    if not 1 <= len(raw) <= MAX_KEY_LENGTH:
        raise ProblemError(422, "validation_failed", "Idempotency-Key must be 1..255 characters",
                           errors=[{"loc": ["header", "Idempotency-Key"], "msg": "must be 1..255 characters"}])
    return raw


def claim(database: Database, token_id: str, key: str, fingerprint: str, instance_id: str) -> StoredAnswer | None:
    """Claim `key` for this request; return the stored answer instead if it already has one."""
    now = time.time()
    with database.transaction() as connection:
        connection.execute("DELETE FROM idempotency_keys WHERE created_epoch < ?", (now - KEEP_SECONDS,))
        row = connection.execute(
            "SELECT request_hash, state, claimed_by, status, body FROM idempotency_keys"
            " WHERE token_id = ? AND key = ?",
            (token_id, key),
        ).fetchone()
        if row is None:
            connection.execute(
                "INSERT INTO idempotency_keys (token_id, key, request_hash, state, claimed_by, created_epoch)"
                " VALUES (?, ?, ?, 'in_flight', ?, ?)",
                (token_id, key, fingerprint, instance_id, now),
            )
            return None
        if row["request_hash"] != fingerprint:
            raise ProblemError(422, "idempotency_key_reused",
                               "This Idempotency-Key was used for a different request")
        if row["state"] == "done":
            return StoredAnswer(status=row["status"], body=bytes(row["body"]))
        if row["claimed_by"] == instance_id:
            raise ProblemError(409, "idempotency_key_in_flight",
                               "The first request with this Idempotency-Key is still being processed",
                               headers={"Retry-After": "1"})
        connection.execute(
            "UPDATE idempotency_keys SET claimed_by = ?, created_epoch = ? WHERE token_id = ? AND key = ?",
            (instance_id, now, token_id, key),
        )
        return None


def complete(connection: sqlite3.Connection, token_id: str, key: str, status: int, body: bytes) -> None:
    """Store the answer, inside the transaction of the write it answers."""
    connection.execute(
        "UPDATE idempotency_keys SET state = 'done', status = ?, body = ? WHERE token_id = ? AND key = ?",
        (status, body, token_id, key),
    )


def release(database: Database, token_id: str, key: str) -> None:
    """Forget a claimed key whose request failed without committing anything."""
    with database.transaction() as connection:
        connection.execute(
            "DELETE FROM idempotency_keys WHERE token_id = ? AND key = ? AND state = 'in_flight'",
            (token_id, key),
        )
