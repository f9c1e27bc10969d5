# Every error the client raises:
#
#   PlatformError                      anything that went wrong talking to the platform
#   ├── InvalidRequest                 the request could not be built (a caller's bug): never sent, never retried
#   ├── TransportError                 no usable HTTP answer
#   │   ├── ConnectFailed              never reached the server (refused, DNS, connect timeout, TLS)
#   │   └── ResponseLost               sent, but the answer never came (read timeout, dropped)
#   ├── ApiError                       the platform answered with an error status (problem+json)
#   │   ├── Unauthorized               401  missing or unknown token
#   │   ├── Forbidden                  403  token may not do this
#   │   ├── NotFound                   404  absent, or another tenant's
#   │   ├── Conflict                   409  a rule was violated; .rule names it
#   │   ├── PreconditionFailed         412  If-Match stale: re-read, never retry blindly
#   │   ├── ValidationFailed           422  .errors lists {loc, msg}
#   │   ├── RateLimited                429  .retry_after seconds
#   │   └── ServerError                5xx
#   └── MalformedResponse              a 2xx answer that does not match the contract
#
# Messages carry method, path, status, problem code and request id; never headers or bodies.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One validation complaint from the platform: where (`loc`) and what (`msg`)."""

    loc: tuple[str | int, ...]
    msg: str

    def __str__(self) -> str:
        return f"{'.'.join(str(part) for part in self.loc)}: {self.msg}"


class PlatformError(Exception):
    """Base of every client error; says whether repeating the request is safe."""

    status: int | None = None
    """The HTTP status, when there was an answer."""

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
        retry_safe: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.request_id = request_id
        self.retry_safe = retry_safe
        self.attempts = attempts

    def __str__(self) -> str:
        facts = [f"{self.method} {self.path}"] if self.method else []
        if self.request_id:
            facts.append(f"request_id={self.request_id}")
        if self.attempts > 1:
            facts.append(f"after {self.attempts} attempts")
        return f"{self.message} ({', '.join(facts)})" if facts else self.message


class InvalidRequest(PlatformError):
    """The request could not even be built (a bad header value or URL): nothing was sent, retrying cannot help."""


class TransportError(PlatformError):
    """No usable HTTP answer; `cause` names the low-level failure without headers."""

    def __init__(self, message: str, *, cause: str = "", **context: object) -> None:
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.cause = cause


class ConnectFailed(TransportError):
    """The request never reached the server, so repeating it is always safe (TLS aside)."""


class ResponseLost(TransportError):
    """The request was sent but its answer was lost: it may or may not have been applied."""


class Unreachable(TransportError):
    """Nothing answers at the platform's URL (refused, or accepted and silent): no request was sent, none will be."""


class ApiError(PlatformError):
    """The platform answered with an error status and (usually) a problem+json body."""

    def __init__(
        self,
        *,
        status: int,
        code: str | None,
        title: str | None = None,
        detail: str | None = None,
        errors: tuple[FieldError, ...] = (),
        retry_after: float | None = None,
        after_uncertain_attempt: bool = False,
        **context: object,
    ) -> None:
        text = detail or title or "no detail given"
        listed = "; ".join(str(error) for error in errors)
        message = f"{status} {code or 'error'}: {text}" + (f" [{listed}]" if listed else "")
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retry_after = retry_after
        # An earlier attempt of the same call may have been applied before its answer was lost.
        self.after_uncertain_attempt = after_uncertain_attempt


class Unauthorized(ApiError):
    """401: the token is missing, unknown or revoked."""


class Forbidden(ApiError):
    """403: the token may not do this (read-only, or not the operator)."""


class NotFound(ApiError):
    """404: no such object visible to this token."""


class Conflict(ApiError):
    """409: a platform rule was violated; `rule` is its code, e.g. waiting_area_exists."""

    @property
    def rule(self) -> str | None:
        """The violated rule's code."""
        return self.code


class PreconditionFailed(ApiError):
    """412: the object changed since it was read; re-read it and decide again."""


class ValidationFailed(ApiError):
    """422: the payload broke a rule; `errors` lists where, `code` names the rule."""


class RateLimited(ApiError):
    """429: too many requests for this token; `retry_after` says how long to wait."""


class ServerError(ApiError):
    """5xx: the platform failed or is unavailable."""


class MalformedResponse(PlatformError):
    """A success answer that is not valid JSON or does not match the contract's shape."""

    def __init__(self, message: str, *, status: int, **context: object) -> None:
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.status = status


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    422: ValidationFailed,
    429: RateLimited,
}


def error_class(status: int) -> type[ApiError]:
    """The exception class for an error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)
