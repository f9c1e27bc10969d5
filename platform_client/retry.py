"""When a platform call may be repeated and how long to wait: small pure functions, tenacity underneath."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from enum import StrEnum

import tenacity

from platform_client.errors import PlatformError, RateLimited

MAX_ATTEMPTS = 8
DEADLINE = 60.0
"""Seconds one logical call may take, every attempt and wait included."""
BASE_DELAY = 0.25
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 30.0
"""A longer Retry-After is cut to this: waiting longer is the caller's decision, not the client's."""
MIN_ATTEMPT_WINDOW = 0.25
"""Seconds an attempt needs at least; a wait leaving less than this before the deadline gives up."""

REPEATABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_CODES = frozenset({"idempotency_key_in_flight"})
"""409 codes meaning "ask again later" rather than a broken rule."""


class Failure(StrEnum):
    """A request that got no HTTP answer."""

    CONNECT = "connect"
    """Never reached the server: repeating is always safe."""
    LOST = "lost"
    """Sent, then the answer was lost (read timeout, connection dropped): it may have been applied."""
    TLS = "tls"
    """The server's certificate was refused: repeating will not help."""


Outcome = Failure | int
"""What one attempt ended with: a transport failure or the HTTP status received."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retrying one logical call."""

    max_attempts: int = MAX_ATTEMPTS
    """Failed attempts a call may make; answers of 429 are not counted (the deadline bounds them)."""
    deadline: float = DEADLINE
    base_delay: float = BASE_DELAY
    max_delay: float = MAX_DELAY
    max_retry_after: float = MAX_RETRY_AFTER


def is_repeatable(method: str, has_idempotency_key: bool, has_if_match: bool) -> bool:
    """Whether sending this request twice has the same effect as sending it once."""
    verb = method.upper()
    return (
        verb in REPEATABLE_METHODS
        or (verb == "POST" and has_idempotency_key)
        or (verb == "PATCH" and has_if_match)
    )


def is_retryable(
    method: str, has_idempotency_key: bool, has_if_match: bool, outcome: Outcome, code: str | None = None
) -> bool:
    """Whether an attempt that ended with `outcome` (and problem `code`) may be tried again."""
    if outcome is Failure.CONNECT:
        return True
    if outcome is Failure.TLS:
        return False
    repeatable = is_repeatable(method, has_idempotency_key, has_if_match)
    if outcome is Failure.LOST or outcome in (408, 429) or outcome >= 500:
        return repeatable
    if outcome == 409 and code in RETRYABLE_CODES:
        return has_idempotency_key
    return False


def backoff_seconds(
    attempt: int,
    retry_after: float | None,
    rng: random.Random,
    *,
    base: float = BASE_DELAY,
    cap: float = MAX_DELAY,
    max_retry_after: float = MAX_RETRY_AFTER,
) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): full jitter, or Retry-After (bounded) plus a little."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), max_retry_after) + rng.uniform(0.0, base)
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 32))
    return rng.uniform(0.0, ceiling)


def uses_an_attempt(error: BaseException | None) -> bool:
    """Whether a failed attempt spends the attempt budget: a 429 only costs time, which the deadline bounds."""
    return not isinstance(error, RateLimited)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - (now or datetime.now(timezone.utc))).total_seconds(), 0.0)


def retrying(
    policy: RetryPolicy,
    *,
    deadline_at: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    rng: random.Random,
    before_sleep: Callable[[tenacity.RetryCallState], None],
) -> tenacity.Retrying:
    """A tenacity controller that retries only errors marked retry_safe, within the attempts and deadline.

    Only real failures count as attempts; waits asked for by 429s are bounded by the deadline alone.
    """
    failures = 0

    def failed_with(state: tenacity.RetryCallState) -> BaseException | None:
        return state.outcome.exception() if state.outcome is not None else None

    def should_retry(state: tenacity.RetryCallState) -> bool:
        error = failed_with(state)
        return isinstance(error, PlatformError) and error.retry_safe

    def wait(state: tenacity.RetryCallState) -> float:
        retry_after = getattr(failed_with(state), "retry_after", None)
        return backoff_seconds(
            state.attempt_number,
            retry_after,
            rng,
            base=policy.base_delay,
            cap=policy.max_delay,
            max_retry_after=policy.max_retry_after,
        )

    def stop(state: tenacity.RetryCallState) -> bool:
        nonlocal failures
        failures += uses_an_attempt(failed_with(state))
        out_of_time = clock() + state.upcoming_sleep + MIN_ATTEMPT_WINDOW > deadline_at
        return failures >= policy.max_attempts or out_of_time

    return tenacity.Retrying(
        retry=should_retry, wait=wait, stop=stop, sleep=sleep, before_sleep=before_sleep, reraise=True
    )
