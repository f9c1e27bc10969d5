"""Errors as RFC 9457 problem+json with the machine-readable codes of the contract."""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://videocall.example/problems/"

log = logging.getLogger("platform_server")

TITLES: dict[str, str] = {
    "unauthorized": "Missing or unknown token",
    "forbidden": "This token may not do that",
    "not_found": "No such object",
    "method_not_allowed": "Method not allowed",
    "validation_failed": "The request is not valid",
    "immutable_field": "That field cannot be changed",
    "precondition_failed": "The object changed since you read it",
    "rate_limited": "Too many requests",
    "internal_error": "Internal error",
    "unavailable": "Temporarily unavailable",
    "idempotency_key_reused": "Idempotency key reused with a different request",
    "idempotency_key_in_flight": "A request with this idempotency key is still being processed",
    "organisation_name_taken": "Organisation name already taken",
    "organisation_not_empty": "Organisation is not empty",
    "clinic_name_taken": "Clinic name already taken",
    "clinic_not_empty": "Clinic is not empty",
    "waiting_area_exists": "The clinic already has a waiting area",
    "callers_waiting": "Callers are waiting",
    "invalid_timezone": "Unknown time zone",
    "invalid_opening_hours": "Invalid opening hours",
    "invalid_transfer_target": "Invalid transfer target",
    "participant_limit_exceeded": "Participant limit exceeded",
    "unknown_member": "Unknown member",
    "unknown_clinic": "Unknown clinic",
    "user_room_permission_required": "The owner lacks the user room permission",
    "user_room_exists": "The member owns a user room",
    "member_exists": "A member with this email already exists",
    "last_org_admin": "The organisation would have no admin",
    "last_clinic_admin": "The clinic would have no admin",
}

# Validation errors raised by pydantic with these types answer with that code instead of
# `validation_failed` (see the models' validators).
RULE_CODES = frozenset(
    {"invalid_timezone", "invalid_opening_hours", "participant_limit_exceeded", "immutable_field"}
)


class ProblemError(Exception):
    """A request refused with an HTTP status and a contract error code."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the refusal; `errors` lists `{loc, msg}` for validation problems."""
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = dict(headers or {})


def not_found(what: str) -> ProblemError:
    """The 404 for an object that does not exist or belongs to another tenant."""
    return ProblemError(404, "not_found", f"{what} not found")


def problem_body(
    status: int,
    code: str,
    detail: str,
    request_id: str,
    errors: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build the problem+json document."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": TITLES.get(code, code.replace("_", " ").capitalize()),
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = [{"loc": list(e["loc"]), "msg": str(e["msg"])} for e in errors]
    return body


def request_id_of(scope_state: Mapping[str, Any]) -> str:
    """Return the request id the request-id middleware put in the scope state."""
    return str(scope_state.get("request_id", ""))


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Render a problem as a response to `request`."""
    body = problem_body(status, code, detail, request_id_of(request.scope.get("state", {})), errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def validation_problem(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """Choose the code and detail for a list of pydantic errors: a rule's own code if all agree."""
    kinds = {str(e.get("type", "")) for e in errors}
    if len(kinds) == 1 and (kind := kinds.pop()) in RULE_CODES:
        return kind, "; ".join(str(e["msg"]) for e in errors)
    return "validation_failed", "The request does not match the API schema"


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.status, exc.code, exc.detail, exc.errors, exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    code, detail = validation_problem(errors)
    return problem_response(request, 422, code, detail, errors)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it cannot decode; the contract calls every such request 422.
        return problem_response(request, 422, "validation_failed", str(exc.detail),
                                [{"loc": ["body"], "msg": str(exc.detail)}])
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}.get(
        exc.status_code, "validation_failed" if exc.status_code < 500 else "internal_error"
    )
    return problem_response(request, exc.status_code, code, str(exc.detail), headers=exc.headers)


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem_response(request, 500, "internal_error", "The server failed to handle the request")


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the application raises answer with problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
