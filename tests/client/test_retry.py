"""The retry policy's pure functions: what may be retried, and how long to wait."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests
import urllib3.exceptions

from platform_client.errors import PlatformError, RateLimited, ServerError
from platform_client.session import classify
from platform_client.retry import (
    BASE_DELAY,
    MAX_DELAY,
    MAX_RETRY_AFTER,
    Failure,
    RetryPolicy,
    backoff_seconds,
    is_retryable,
    parse_retry_after,
    retrying,
)

CONNECT, LOST, TLS = Failure.CONNECT, Failure.LOST, Failure.TLS

# method, idempotency key, If-Match, outcome, problem code -> retry?
TABLE = [
    # never reached the server: always safe
    ("GET", False, False, CONNECT, None, True),
    ("POST", False, False, CONNECT, None, True),
    ("PATCH", False, False, CONNECT, None, True),
    ("DELETE", False, False, CONNECT, None, True),
    # a refused certificate will not change on retry
    ("GET", False, False, TLS, None, False),
    # answer lost: only if repeating is harmless
    ("GET", False, False, LOST, None, True),
    ("PUT", False, False, LOST, None, True),
    ("DELETE", False, False, LOST, None, True),
    ("POST", True, False, LOST, None, True),
    ("POST", False, False, LOST, None, False),
    ("PATCH", False, True, LOST, None, True),
    ("PATCH", False, False, LOST, None, False),
    # 408, 429, 5xx: same rule
    ("GET", False, False, 408, None, True),
    ("POST", False, False, 408, None, False),
    ("GET", False, False, 429, "rate_limited", True),
    ("POST", True, False, 429, "rate_limited", True),
    ("POST", False, False, 429, "rate_limited", False),
    ("PATCH", False, True, 429, "rate_limited", True),
    ("PATCH", False, False, 429, "rate_limited", False),
    ("GET", False, False, 500, "internal_error", True),
    ("DELETE", False, False, 502, None, True),
    ("PUT", False, False, 503, "unavailable", True),
    ("GET", False, False, 504, None, True),
    ("POST", True, False, 500, "internal_error", True),
    ("POST", True, False, 503, "unavailable", True),
    ("POST", False, False, 500, "internal_error", False),
    ("PATCH", False, True, 503, "unavailable", True),
    ("PATCH", False, False, 503, "unavailable", False),
    # a stale If-Match is the caller's to resolve, never a blind retry
    ("PATCH", False, True, 412, "precondition_failed", False),
    ("DELETE", False, True, 412, "precondition_failed", False),
    # other 4xx are permanent
    ("GET", False, False, 400, None, False),
    ("GET", False, False, 401, "unauthorized", False),
    ("POST", True, False, 403, "forbidden", False),
    ("GET", False, False, 404, "not_found", False),
    ("DELETE", False, False, 404, "not_found", False),
    ("POST", True, False, 409, "clinic_name_taken", False),
    ("POST", True, False, 409, "waiting_area_exists", False),
    ("POST", True, False, 422, "validation_failed", False),
    ("POST", True, False, 422, "idempotency_key_reused", False),
    ("PATCH", False, True, 422, "immutable_field", False),
    # the first request with this key is still running: ask again later
    ("POST", True, False, 409, "idempotency_key_in_flight", True),
    ("POST", False, False, 409, "idempotency_key_in_flight", False),
    # successes are not retried
    ("GET", False, False, 200, None, False),
    ("POST", True, False, 201, None, False),
]


@pytest.mark.parametrize(("method", "key", "if_match", "outcome", "code", "expected"), TABLE)
def test_retry_classification(method: str, key: bool, if_match: bool, outcome: Failure | int, code: str | None, expected: bool) -> None:
    assert is_retryable(method, key, if_match, outcome, code) is expected


def test_method_case_does_not_matter() -> None:
    assert is_retryable("get", False, False, 503) and not is_retryable("post", False, False, 503)


class Extreme(random.Random):
    """An RNG that always draws the top (or bottom) of the range, to probe the bounds."""

    def __init__(self, top: bool) -> None:
        super().__init__(0)
        self.top = top

    def uniform(self, a: float, b: float) -> float:
        return b if self.top else a


@pytest.mark.parametrize("attempt", range(1, 12))
def test_backoff_is_full_jitter_below_a_growing_capped_ceiling(attempt: int) -> None:
    ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))
    assert backoff_seconds(attempt, None, Extreme(top=True)) == pytest.approx(ceiling)
    assert backoff_seconds(attempt, None, Extreme(top=False)) == 0.0
    rng = random.Random(attempt)
    assert all(0.0 <= backoff_seconds(attempt, None, rng) <= ceiling for _ in range(200))


def test_backoff_is_deterministic_for_a_seeded_rng() -> None:
    draws = [[backoff_seconds(n, None, random.Random(42)) for n in range(1, 6)] for _ in range(2)]
    assert draws[0] == draws[1]


def test_backoff_never_overflows() -> None:
    assert backoff_seconds(10_000, None, Extreme(top=True)) == MAX_DELAY


@pytest.mark.parametrize("retry_after", [0.0, 1.0, 2.5, 29.0])
def test_retry_after_is_a_floor_with_a_little_jitter(retry_after: float) -> None:
    assert backoff_seconds(1, retry_after, Extreme(top=False)) == retry_after
    assert backoff_seconds(5, retry_after, Extreme(top=True)) == pytest.approx(retry_after + BASE_DELAY)


def test_retry_after_is_bounded() -> None:
    assert backoff_seconds(1, 3600.0, Extreme(top=False)) == MAX_RETRY_AFTER
    assert backoff_seconds(1, 3600.0, Extreme(top=False), max_retry_after=5.0) == 5.0
    assert backoff_seconds(1, -4.0, Extreme(top=False)) == 0.0


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 25, 19, 0, tzinfo=timezone.utc)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after(" 1.5 ", now) == 1.5
    assert parse_retry_after(format_datetime(now + timedelta(seconds=12), usegmt=True), now) == 12.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=12), usegmt=True), now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def _run(policy: RetryPolicy, clock_step: float = 0.0) -> tuple[int, list[float]]:
    """Run an always-failing retry-safe call under `policy` with a fake clock; (attempts, sleeps)."""
    now = [0.0]
    sleeps: list[float] = []
    attempts = [0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    def attempt() -> None:
        attempts[0] += 1
        now[0] += clock_step
        raise ServerError(status=503, code="unavailable", retry_safe=True)

    controller = retrying(
        policy, deadline_at=policy.deadline, clock=lambda: now[0], sleep=sleep, rng=random.Random(1), before_sleep=lambda s: None
    )
    with pytest.raises(ServerError):
        controller(attempt)
    assert now[0] <= policy.deadline
    return attempts[0], sleeps


def test_attempts_are_bounded() -> None:
    attempts, sleeps = _run(RetryPolicy(max_attempts=5, deadline=1e9))
    assert attempts == 5 and len(sleeps) == 4


def test_deadline_bounds_the_whole_call() -> None:
    attempts, sleeps = _run(RetryPolicy(max_attempts=1000, deadline=20.0, base_delay=1.0, max_delay=4.0), clock_step=0.5)
    assert 1 < attempts < 1000
    assert sum(sleeps) + 0.5 * attempts <= 20.0


def test_errors_not_marked_safe_are_raised_at_once() -> None:
    calls = []

    def attempt() -> None:
        calls.append(1)
        raise ServerError(status=500, code="internal_error", retry_safe=False)

    controller = retrying(RetryPolicy(), deadline_at=1e9, clock=lambda: 0.0, sleep=lambda s: None, rng=random.Random(), before_sleep=lambda s: None)
    with pytest.raises(ServerError):
        controller(attempt)
    assert calls == [1]


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (requests.exceptions.SSLError("certificate verify failed"), TLS),
        (requests.exceptions.ConnectTimeout("connect timed out"), CONNECT),
        (requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.NewConnectionError(None, "refused"))), CONNECT),
        (requests.exceptions.ReadTimeout("read timed out"), LOST),
        (requests.exceptions.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError())), LOST),
        (requests.exceptions.ChunkedEncodingError("body cut short"), LOST),
    ],
)
def test_transport_failures_are_classified(error: requests.RequestException, failure: Failure) -> None:
    assert classify(error) is failure


def _run_outcomes(policy: RetryPolicy, errors: list[Exception]) -> tuple[int, float]:
    """Attempts made and seconds slept when attempts fail with `errors` in turn (then succeed)."""
    now = [0.0]
    attempts = [0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    def attempt() -> str:
        attempts[0] += 1
        if attempts[0] <= len(errors):
            raise errors[attempts[0] - 1]
        return "done"

    controller = retrying(
        policy, deadline_at=policy.deadline, clock=lambda: now[0], sleep=sleep, rng=random.Random(1), before_sleep=lambda s: None
    )
    try:
        controller(attempt)
    except PlatformError:
        pass
    return attempts[0], now[0]


def test_rate_limited_answers_do_not_use_up_attempts() -> None:
    limited = RateLimited(status=429, code="rate_limited", retry_safe=True, retry_after=1.0)
    failing = ServerError(status=503, code="unavailable", retry_safe=True)
    errors: list[Exception] = [limited, failing, limited, limited, failing, limited, limited, limited]
    attempts, _slept = _run_outcomes(RetryPolicy(max_attempts=3, deadline=1e9), errors)
    assert attempts == len(errors) + 1  # two real failures of three allowed; the six 429s cost only time


def test_real_failures_still_bound_attempts_between_rate_limits() -> None:
    limited = RateLimited(status=429, code="rate_limited", retry_safe=True, retry_after=1.0)
    failing = ServerError(status=503, code="unavailable", retry_safe=True)
    attempts, _slept = _run_outcomes(RetryPolicy(max_attempts=3, deadline=1e9), [failing, limited, failing, limited, failing, failing])
    assert attempts == 5  # the third 503 ends the call


def test_rate_limits_alone_end_at_the_deadline() -> None:
    limited = RateLimited(status=429, code="rate_limited", retry_safe=True, retry_after=5.0)
    attempts, slept = _run_outcomes(RetryPolicy(max_attempts=2, deadline=60.0), [limited] * 100)
    assert 2 < attempts < 100 and slept <= 60.0
