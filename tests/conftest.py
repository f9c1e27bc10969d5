"""Fixtures shared by all test suites."""

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from devtools.platform import RunningPlatform, running_platform
from tests.support.installed import built_wheel, installed_venv

# Test stacks keep their state in temporary folders, which (unlike `make run`'s .pulumi-state) never fall
# back to the public development passphrase.
if not os.environ.get("PULUMI_CONFIG_PASSPHRASE"):
    os.environ["PULUMI_CONFIG_PASSPHRASE"] = "videocall-iac-tests"


@pytest.fixture(scope="session")
def platform_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """One reference platform server shared by the whole test session (no faults)."""
    with running_platform(tmp_path_factory.mktemp("platform")) as platform:
        yield platform


@pytest.fixture
def platform_server_factory(tmp_path: Path) -> Iterator[Callable[..., RunningPlatform]]:
    """Start private platform servers, e.g. `platform_server_factory("--fault-drop-rate", "1")`; all stop at the end."""
    started = itertools.count()
    with ExitStack() as stack:
        def start(*args: str, **kwargs: Any) -> RunningPlatform:
            data_dir = tmp_path / f"platform-{next(started)}"
            return stack.enter_context(running_platform(data_dir, *args, **kwargs))
        yield start


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel .` makes of this tree (built offline from a copy of it)."""
    return built_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtualenv outside the repository with the wheel installed."""
    return installed_venv(wheel, tmp_path_factory.mktemp("venv"))
