"""The OpenAPI document: FastAPI's, plus what middleware and shared helpers add to every operation."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from platform_server.problems import PROBLEM_MEDIA_TYPE

PROBLEM_STATUSES = {
    "401": "Missing or unknown token",
    "403": "The token may not do this",
    "404": "No such object (or another organisation's)",
    "409": "Conflicts with the current state (see `code`)",
    "412": "If-Match does not match the current version",
    "422": "Invalid request or a broken rule (see `code` and `errors`)",
    "429": "Rate limited; see Retry-After",
    "500": "Internal error",
    "503": "Temporarily unavailable",
}


class ValidationIssue(BaseModel):
    """One validation error."""

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    errors: list[ValidationIssue] | None = None


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Build (once) the document served at /openapi.json."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    _, problem_schemas = models_json_schema([(Problem, "serialization")], ref_template="#/components/schemas/{model}")
    schemas.update(problem_schemas["$defs"])
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in document["paths"].values():
        for method, operation in operations.items():
            operation["security"] = [{"bearer": []}]
            parameters = operation.setdefault("parameters", [])
            responses = operation["responses"]
            for status, description in PROBLEM_STATUSES.items():
                responses[status] = {"description": description, "content": problem}
            for status, response in responses.items():
                headers = response.setdefault("headers", {})
                headers["X-Request-Id"] = _header("Echoes the request's X-Request-Id or names this request")
                if status in ("429", "503"):
                    headers["Retry-After"] = _header("Seconds to wait before retrying")
            success = next((responses[s] for s in ("200", "201") if s in responses), None)
            if method == "post":
                parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                                   "schema": {"type": "string", "minLength": 1, "maxLength": 255}})
                if success is not None:
                    success["headers"]["Idempotent-Replayed"] = _header("`true` on a replayed answer")
            if method in ("patch", "delete"):
                parameters.append({"name": "If-Match", "in": "header", "required": False,
                                   "schema": {"type": "string"}, "description": 'Current version, e.g. "3"'})
            if method in ("get", "post", "patch") and success is not None:
                success["headers"]["ETag"] = _header('The object\'s version, e.g. "3" (single objects only)')
    app.openapi_schema = document
    return document
