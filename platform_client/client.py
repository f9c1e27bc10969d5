"""PlatformClient: one session, one retry policy, and an attribute per kind of platform object."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from types import TracebackType

from platform_client.clinics import Clinics
from platform_client.members import Members
from platform_client.organisations import Organisations
from platform_client.retry import RetryPolicy
from platform_client.rooms import GroupRooms, MeetingRooms, UserRooms
from platform_client.secret import Secret
from platform_client.tokens import Tokens
from platform_client.session import CONNECT_TIMEOUT, POOL_SIZE, READ_TIMEOUT
from platform_client.transport import Transport
from platform_client.waiting_areas import WaitingAreas

DEFAULT_API_URL = "http://127.0.0.1:8765"
URL_VARIABLE = "VIDEOCALL_API_URL"
TOKEN_VARIABLE = "VIDEOCALL_API_TOKEN"
CA_BUNDLE_VARIABLE = "VIDEOCALL_CA_BUNDLE"


class PlatformClient:
    """The platform admin API v1: `client.organisations.create(...)`, `client.clinics.get(...)`, …

    `timeouts` is (connect, read) per attempt; `retry` bounds attempts and the whole call's deadline;
    `sleep`, `rng` and `clock` are there for tests.
    """

    def __init__(
        self,
        base_url: str,
        token: str | Secret,
        *,
        ca_bundle: str | None = None,
        pool_size: int = POOL_SIZE,
        timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = token if isinstance(token, Secret) else Secret(token)
        self._transport = Transport(
            base_url, secret, ca_bundle=ca_bundle, pool_size=pool_size, timeouts=timeouts, policy=retry,
            sleep=sleep, rng=rng, clock=clock,
        )
        self.organisations = Organisations(self._transport)
        self.clinics = Clinics(self._transport)
        self.waiting_areas = WaitingAreas(self._transport)
        self.meeting_rooms = MeetingRooms(self._transport)
        self.group_rooms = GroupRooms(self._transport)
        self.user_rooms = UserRooms(self._transport)
        self.members = Members(self._transport)
        self.tokens = Tokens(self._transport)

    @classmethod
    def from_env(cls, **options: object) -> PlatformClient:
        """A client for VIDEOCALL_API_URL (default the local reference server) with VIDEOCALL_API_TOKEN."""
        token = os.environ.get(TOKEN_VARIABLE, "")
        if not token:
            raise ValueError(f"{TOKEN_VARIABLE} is not set: the platform needs a token")
        options.setdefault("ca_bundle", os.environ.get(CA_BUNDLE_VARIABLE) or None)
        return cls(os.environ.get(URL_VARIABLE) or DEFAULT_API_URL, Secret(token), **options)  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        """The platform's URL, without the /v1 prefix."""
        return self._transport.base_url

    def close(self) -> None:
        """Close pooled connections."""
        self._transport.close()

    def ensure_reachable(self) -> None:
        """Raise Unreachable within seconds when nothing answers at the platform's URL."""
        self._transport.ensure_reachable()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PlatformClient({self.base_url!r}, token=Secret('***'))"
