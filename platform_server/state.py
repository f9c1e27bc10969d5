"""The running platform's shared state, reachable from every request."""

import secrets
from dataclasses import dataclass, field

from fastapi import Request

from platform_server.database import Database
from platform_server.faults import FaultInjector
from platform_server.rate_limit import RateLimiter
from platform_server.settings import ServerSettings


@dataclass
class PlatformState:
    """The database, the settings, and the live fault and rate-limit state of one server process."""

    database: Database
    settings: ServerSettings
    faults: FaultInjector
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    # Marks idempotency keys claimed by this process, so keys left in flight by a killed one can be
    # told apart from keys that are really being processed right now.
    instance_id: str = field(default_factory=lambda: secrets.token_hex(8))


def platform_of(request: Request) -> PlatformState:
    """Return the platform state of the application serving `request`."""
    state: PlatformState = request.app.state.platform
    return state
