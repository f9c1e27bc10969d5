"""The one place that sends HTTP: one call, its attempts within the retry policy, answers turned into Replies or errors."""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import tenacity

from platform_client.errors import (
    ApiError,
    ConnectFailed,
    FieldError,
    InvalidRequest,
    MalformedResponse,
    PlatformError,
    ResponseLost,
    TransportError,
    Unreachable,
    error_class,
)
from platform_client.models import M, parse
from platform_client.retry import Failure, RetryPolicy, is_retryable, parse_retry_after, retrying
from platform_client.secret import Secret
from platform_client.session import CONNECT_TIMEOUT, POOL_SIZE, READ_TIMEOUT, classify, new_session

MIN_TIMEOUT = 0.05
PROBE_TIMEOUTS = (3.05, 5.0)
"""(connect, read) seconds for the reachability check: a platform that answers at all does so at once."""
PROBE_ATTEMPTS = 3
PROBE_PAUSE = 0.5
API_PREFIX = "/v1"
NOT_JSON = object()
# requests' errors for a request it refused to send: a bug in the caller, not a network fault.
INVALID_REQUEST = (
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidJSONError,
)

log = logging.getLogger("platform_client")

Params = Mapping[str, str] | Sequence[tuple[str, str]] | None


@dataclass(frozen=True)
class Reply:
    """A successful answer: status, parsed JSON body (None when empty), ETag, request id, replay flag."""

    method: str
    path: str
    status: int
    body: Any
    etag: str | None
    request_id: str | None
    replayed: bool


@dataclass
class _Call:
    """One logical call and what its attempts have learnt so far."""

    method: str
    path: str
    has_idempotency_key: bool
    has_if_match: bool
    deadline_at: float
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    attempt: int = 0
    uncertain: bool = False
    """An earlier attempt may have been applied (answer lost, or a 5xx)."""


class Transport:
    """Sends requests to the platform and turns answers into Replies or typed errors, retrying what is safe."""

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        ca_bundle: str | None = None,
        pool_size: int = POOL_SIZE,
        timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.username or parts.password:
            raise ValueError("base_url must be an http(s) URL without credentials, e.g. https://platform.example")
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.timeouts = timeouts
        self._session = new_session(token, pool_size)
        self._verify: bool | str = ca_bundle or True
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock

    def __repr__(self) -> str:
        return f"Transport({self.base_url!r})"

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def ensure_reachable(self) -> None:
        """Raise Unreachable within seconds unless something answers at the URL (its OpenAPI document; no token sent).

        A platform that is down or silent is worth a clear answer, not the long patience kept for one that answers
        with 5xx or 429.
        """
        failure = ""
        for attempt in range(1, PROBE_ATTEMPTS + 1):
            try:
                requests.get(f"{self.base_url}/openapi.json", timeout=PROBE_TIMEOUTS, verify=self._verify,
                             allow_redirects=False).close()
                return
            except requests.RequestException as error:
                failure = f"{classify(error).value}: {type(error).__name__}"
                if attempt < PROBE_ATTEMPTS:
                    self._sleep(PROBE_PAUSE * attempt)
        raise Unreachable(
            f"the platform at {self.base_url} does not answer ({failure}, {PROBE_ATTEMPTS} tries): check the URL "
            "and that the platform is up; nothing was sent", cause=failure, method="GET", path="/openapi.json",
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        idempotency_key: str | None = None,
        if_match: str | None = None,
    ) -> Reply:
        """Send one logical call, retrying what is safe to repeat, within the policy's attempts and deadline."""
        call = _Call(
            method=method.upper(),
            path=API_PREFIX + path,
            has_idempotency_key=idempotency_key is not None,
            has_if_match=if_match is not None,
            deadline_at=self._clock() + self.policy.deadline,
        )
        headers = {"Idempotency-Key": idempotency_key, "If-Match": if_match}
        headers = {name: value for name, value in headers.items() if value is not None}
        controller = retrying(
            self.policy,
            deadline_at=call.deadline_at,
            clock=self._clock,
            sleep=self._sleep,
            rng=self._rng,
            before_sleep=_log_retry,
        )
        try:
            return controller(self._attempt, call, params, json, headers)
        except PlatformError as error:
            if error.retry_safe and call.attempt > 1:
                log.warning("giving up on %s %s after %d attempts: %s", call.method, call.path, call.attempt, error.message)
            raise

    def _attempt(self, call: _Call, params: Params, body: Any, headers: dict[str, str]) -> Reply:
        call.attempt += 1
        remaining = call.deadline_at - self._clock()
        connect, read = (max(min(limit, remaining), MIN_TIMEOUT) for limit in self.timeouts)
        request_id = f"{call.call_id}-{call.attempt}"
        started = time.monotonic()
        failure: PlatformError | None = None
        try:
            response = self._session.request(
                call.method,
                self.base_url + call.path,
                params=params,
                json=body,
                headers={**headers, "X-Request-Id": request_id},
                timeout=(connect, read),
                verify=self._verify,
                allow_redirects=False,
            )
        except INVALID_REQUEST as exc:
            failure = InvalidRequest(f"the request could not be built: {type(exc).__name__}",
                                     method=call.method, path=call.path, request_id=request_id)
        except requests.RequestException as exc:
            failure = self._transport_error(call, classify(exc), exc, request_id)
        if failure is not None:
            # Raised outside the except block: the requests/urllib3 chain holds headers in its frames.
            cause = getattr(failure, "cause", failure.message)
            log.debug("%s %s -> %s (attempt %d, request_id=%s)", call.method, call.path, cause, call.attempt, request_id)
            raise failure
        elapsed_ms = (time.monotonic() - started) * 1000
        answered_id = response.headers.get("X-Request-Id") or request_id
        log.debug(
            "%s %s -> %d in %.0f ms (attempt %d, request_id=%s)",
            call.method, call.path, response.status_code, elapsed_ms, call.attempt, answered_id,
        )
        if 200 <= response.status_code < 300:
            return self._reply(call, response, answered_id)
        raise self._api_error(call, response, answered_id)

    def _transport_error(
        self, call: _Call, failure: Failure, exc: requests.RequestException, request_id: str
    ) -> TransportError:
        kind = ConnectFailed if failure in (Failure.CONNECT, Failure.TLS) else ResponseLost
        what = {
            Failure.CONNECT: "could not connect to the platform",
            Failure.TLS: "the platform's TLS certificate was refused",
            Failure.LOST: "the platform's answer was lost",
        }[failure]
        error = kind(
            f"{what} at {self.base_url}",
            cause=f"{type(exc).__name__}: {exc}",
            method=call.method,
            path=call.path,
            request_id=request_id,
            retry_safe=is_retryable(call.method, call.has_idempotency_key, call.has_if_match, failure),
            attempts=call.attempt,
        )
        call.uncertain = call.uncertain or failure is Failure.LOST
        return error

    def _reply(self, call: _Call, response: requests.Response, request_id: str) -> Reply:
        body: Any = _json(response) if response.content else None
        if body is NOT_JSON:
            raise MalformedResponse(
                f"{response.status_code} answer is not JSON",
                status=response.status_code, method=call.method, path=call.path,
                request_id=request_id, attempts=call.attempt,
            )
        return Reply(
            method=call.method,
            path=call.path,
            status=response.status_code,
            body=body,
            etag=response.headers.get("ETag"),
            request_id=request_id,
            replayed=response.headers.get("Idempotent-Replayed", "").lower() == "true",
        )

    def _api_error(self, call: _Call, response: requests.Response, request_id: str) -> ApiError:
        problem = _problem(response)
        status = response.status_code
        code = problem.get("code") if isinstance(problem.get("code"), str) else None
        error = error_class(status)(
            status=status,
            code=code,
            title=_text(problem.get("title")) or response.reason,
            detail=_text(problem.get("detail")),
            errors=_field_errors(problem.get("errors")),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            after_uncertain_attempt=call.uncertain,
            method=call.method,
            path=call.path,
            request_id=_text(problem.get("request_id")) or request_id,
            retry_safe=is_retryable(call.method, call.has_idempotency_key, call.has_if_match, status, code),
            attempts=call.attempt,
        )
        call.uncertain = call.uncertain or status >= 500
        return error


def parse_reply(model: type[M], reply: Reply) -> M:
    """A reply's body as `model`, or MalformedResponse naming the call."""
    return parse(model, reply.body, status=reply.status, method=reply.method, path=reply.path, request_id=reply.request_id)


def _log_retry(state: tenacity.RetryCallState) -> None:
    """Log one retry: what failed, how long until the next attempt; never headers or bodies."""
    error = state.outcome.exception() if state.outcome is not None else None
    if not isinstance(error, PlatformError):
        return
    status = getattr(error, "status", None)
    what = f"{type(error).__name__} {status} {getattr(error, 'code', None) or ''}".strip() if status else type(error).__name__
    retry_after = getattr(error, "retry_after", None)
    asked = f", Retry-After {retry_after:g}s" if retry_after is not None else ""
    log.warning(
        "retrying %s %s in %.2fs after %s (attempt %d, request_id=%s%s)",
        error.method, error.path, state.upcoming_sleep, what, state.attempt_number, error.request_id, asked,
    )


def _json(response: requests.Response) -> Any:
    """The answer's JSON body, or NOT_JSON."""
    try:
        return response.json()
    except ValueError:
        return NOT_JSON


def _problem(response: requests.Response) -> dict[str, Any]:
    """The problem+json body of an error answer, or {} when there is none."""
    body = _json(response)
    return body if isinstance(body, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _field_errors(value: Any) -> tuple[FieldError, ...]:
    """The `errors` list of a validation problem, skipping entries that are not {loc, msg}."""
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("msg"), str):
            loc = item.get("loc") if isinstance(item.get("loc"), list) else []
            found.append(FieldError(loc=tuple(part for part in loc if isinstance(part, str | int)), msg=item["msg"]))
    return tuple(found)
