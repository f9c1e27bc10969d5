"""Per-token rate limiting with token buckets."""

import math
import threading
import time
from dataclasses import dataclass


MAX_TRACKED_CALLERS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows each caller `per_minute` requests a minute, in bursts of up to that many."""

    def __init__(self) -> None:
        """Start with no history."""
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, int], _Bucket] = {}

    def wait_needed(self, caller_key: str, per_minute: int) -> int:
        """Take one request from the caller's bucket; return 0, or the seconds to wait if empty."""
        now = time.monotonic()
        refill_per_second = per_minute / 60.0
        with self._lock:
            if len(self._buckets) > MAX_TRACKED_CALLERS:
                self._forget_idle(now)
            bucket = self._buckets.setdefault((caller_key, per_minute), _Bucket(per_minute, now))
            bucket.tokens = min(per_minute, bucket.tokens + (now - bucket.updated) * refill_per_second)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0
            return max(1, math.ceil((1.0 - bucket.tokens) / refill_per_second))

    def _forget_idle(self, now: float) -> None:
        """Drop buckets untouched for a minute: they would be full again anyway."""
        self._buckets = {key: bucket for key, bucket in self._buckets.items() if now - bucket.updated < 60.0}
