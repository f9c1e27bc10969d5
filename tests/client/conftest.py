"""Fixtures of the client tests: a scripted loopback server, a fake clock, clients with fast sleeps."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from devtools.platform import RunningPlatform, running_platform
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
def scripted_client(scripted: ScriptedServer, clock: FakeClock) -> Iterator[Callable[..., PlatformClient]]:
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


@pytest.fixture(scope="module")
def faulty_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """A private reference server for this module, whose faults tests switch on at run time."""
    with running_platform(tmp_path_factory.mktemp("client-platform")) as platform:
        yield platform


@pytest.fixture
def faults(faulty_platform: RunningPlatform) -> Iterator[Callable[..., None]]:
    """Switch faults on the private server (`faults(error_rate=0.3)`); all are off again afterwards."""
    def switch(**settings: object) -> None:
        faulty_platform.set_faults(**settings)

    yield switch
    faulty_platform.set_faults()


FAST = RetryPolicy(max_attempts=20, deadline=20.0, base_delay=0.02, max_delay=0.25, max_retry_after=0.1)
"""Real server faults, short real waits: a 503's Retry-After of 1 s is cut to 0.1 s."""


@pytest.fixture
def client_of() -> Iterator[Callable[..., PlatformClient]]:
    """Makes clients of a running platform (`client_of(platform, token, retry=...)`), closed at the end."""
    made: list[PlatformClient] = []

    def make(platform: RunningPlatform, token: str | None = None, **options: object) -> PlatformClient:
        client = PlatformClient(platform.url, token or platform.operator_token, **options)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
