"""Fault injection: the knobs that make the platform misbehave on purpose, off by default."""

import random
import threading
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class FaultSettings(BaseModel):
    """What to break: `PUT /v1/dev/faults` takes and `GET` returns this shape."""

    model_config = ConfigDict(extra="forbid")

    error_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    latency_ms: Annotated[int, Field(ge=0, le=60_000)] = 0
    rate_limit_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    drop_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    seed: int | None = None


class FaultInjector:
    """The live fault settings and the dice they are rolled with, shared by all requests."""

    def __init__(self, settings: FaultSettings) -> None:
        """Start with `settings`."""
        self._lock = threading.Lock()
        self.settings = settings
        self._dice = random.Random(settings.seed)

    def replace(self, settings: FaultSettings) -> None:
        """Switch to new settings (and reseed the dice) at run time."""
        with self._lock:
            self.settings = settings
            self._dice = random.Random(settings.seed)

    def _roll(self, rate: float) -> bool:
        with self._lock:
            return rate > 0 and self._dice.random() < rate

    def should_fail(self) -> int | None:
        """Return 500 or 503 when this request is picked to fail, else None."""
        if not self._roll(self.settings.error_rate):
            return None
        with self._lock:
            return self._dice.choice((500, 503))

    def should_drop(self) -> bool:
        """Whether this write's response is to be lost after it commits."""
        return self._roll(self.settings.drop_rate)

    @property
    def latency_seconds(self) -> float:
        """The added delay per request."""
        return self.settings.latency_ms / 1000.0
