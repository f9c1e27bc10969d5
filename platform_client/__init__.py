"""Client of the platform admin API v1: the only package that speaks HTTP to the platform."""

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
    ResponseLost,
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
    "ResponseLost",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]
