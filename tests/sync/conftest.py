"""Fixtures of the sync tests: a real PostgreSQL server for shared state, started once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import RunningPostgres, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[RunningPostgres]:
    """A private PostgreSQL server on loopback; each test keeps its stacks in a table of its own."""
    with running_postgres() as server:
        yield server
