"""The one path every write takes: idempotency, injected latency, one transaction, conditional writes."""

import json
import sqlite3
import time
from collections.abc import Callable

from fastapi import Request, Response
from pydantic import BaseModel

from platform_server import idempotency
from platform_server.auth import Caller
from platform_server.middleware import is_faultable
from platform_server.problems import ProblemError
from platform_server.state import platform_of

JSON = "application/json"


def etag(version: int) -> str:
    """The ETag of an object at `version`."""
    return f'"{version}"'


def check_if_match(request: Request, version: int) -> None:
    """Refuse with 412 when the request's If-Match names another version of the object."""
    header = request.headers.get("if-match")
    if header is None:
        return
    # Lenient on form: `"3"`, `W/"3"` and a bare `3` all name version 3.
    candidates = [part.strip().removeprefix("W/").strip('"') for part in header.split(",")]
    if "*" in candidates or str(version) in candidates:
        return
    raise ProblemError(412, "precondition_failed",
                       f"If-Match {header!r} does not match the current version {etag(version)}")


def object_response(result: BaseModel, status_code: int = 200) -> Response:
    """Render one object, with its ETag when it has a version."""
    headers = {}
    version = getattr(result, "version", None)
    if isinstance(version, int):
        headers["ETag"] = etag(version)
    return Response(result.model_dump_json().encode("utf-8"), status_code=status_code,
                    media_type=JSON, headers=headers)


def replayed_response(stored: idempotency.StoredAnswer) -> Response:
    """Answer a replayed POST with the stored status and body (and the ETag the first answer had)."""
    headers = {"Idempotent-Replayed": "true"}
    version = json.loads(stored.body).get("version") if stored.body else None
    if isinstance(version, int):
        headers["ETag"] = etag(version)
    return Response(stored.body, status_code=stored.status, media_type=JSON, headers=headers)


def perform_write(
    request: Request,
    caller: Caller,
    work: Callable[[sqlite3.Connection], BaseModel | None],
    *,
    status_code: int = 200,
    body: BaseModel | None = None,
) -> Response:
    """Run `work` in one transaction and answer with what it returns (204 when nothing).

    For a POST with an Idempotency-Key the key is claimed first and the answer is stored in the same
    transaction as the write.
    """
    platform = platform_of(request)
    key = idempotency.validated_key(request.headers.get(idempotency.KEY_HEADER)) if request.method == "POST" else None
    if key is not None:
        fingerprint = idempotency.request_fingerprint(request.method, request.url.path, request.url.query, body)
        stored = idempotency.claim(platform.database, caller.token_id, key, fingerprint, platform.instance_id)
        if stored is not None:
            return replayed_response(stored)
    try:
        if platform.faults.latency_seconds and is_faultable(request.url.path):
            time.sleep(platform.faults.latency_seconds)
        with platform.database.transaction() as connection:
            result = work(connection)
            caller.ensure_allowed()  # a safety net: `work` normally refused already, via `visible`
            response = object_response(result, status_code) if result is not None else Response(status_code=204)
            if key is not None:
                idempotency.complete(connection, caller.token_id, key, response.status_code, bytes(response.body))
    except BaseException:
        if key is not None:
            idempotency.release(platform.database, caller.token_id, key)
        raise
    return response


def perform_read(request: Request, read: Callable[[sqlite3.Connection], BaseModel]) -> Response:
    """Run `read` against one consistent snapshot and answer with its result (and ETag)."""
    with platform_of(request).database.snapshot() as connection:
        return object_response(read(connection))
