"""Fixtures of the client tests: a scripted loopback server, a fake clock, clients with fast sleeps."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from platform_client import PlatformClient, RetryPolicy
from tests.client.scripted import ScriptedServer

TOKEN = "vc-test-token-7f3a9c1e5b"
"""A token distinctive enough that finding it in any output is a leak, never a coincidence."""


class FakeClock:
    """A monotonic clock that only moves when the client sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    """A scripted server on a free loopback port."""
    with ScriptedServer().running() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def scripted_client(scripted: ScriptedServer, clock: FakeClock) -> Callable[..., PlatformClient]:
    """Makes clients of the scripted server whose sleeps are instant and recorded on `clock`."""
    made: list[PlatformClient] = []

    def make(**policy: float) -> PlatformClient:
        client = PlatformClient(
            scripted.url, TOKEN, retry=RetryPolicy(**policy), sleep=clock.sleep, clock=clock, rng=random.Random(7)
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
