"""Client of the platform admin API v1: the only package that speaks HTTP to the platform.

    client = PlatformClient.from_env()  # VIDEOCALL_API_URL, VIDEOCALL_API_TOKEN
    clinic = client.clinics.create(org_id, {"name": "Renal"}, idempotency_scope=urn)
    client.clinics.update(clinic.id, {"timezone": "Australia/Perth"}, if_match=clinic.version)
    for member in client.members.list(org_id, labels={"pulumi-stack": "dev"}): ...
    tree = client.organisations.tree(org_id)

Errors are one tree rooted at PlatformError (see errors.py); retries happen inside every call.
"""

from platform_client.client import PlatformClient
from platform_client.errors import (
    ApiError,
    Conflict,
    ConnectFailed,
    FieldError,
    Forbidden,
    MalformedResponse,
    NotFound,
    PlatformError,
    PreconditionFailed,
    RateLimited,
    InvalidRequest,
    ResponseLost,
    Unreachable,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
)
from platform_client.retry import RetryPolicy
from platform_client.secret import Secret

__all__ = [
    "ApiError",
    "Conflict",
    "ConnectFailed",
    "FieldError",
    "Forbidden",
    "MalformedResponse",
    "NotFound",
    "PlatformClient",
    "PlatformError",
    "PreconditionFailed",
    "RateLimited",
    "InvalidRequest",
    "ResponseLost",
    "Unreachable",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]
