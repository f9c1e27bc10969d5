"""Fixtures of the platform server tests."""

import pytest

from devtools.platform import RunningPlatform, Tenant


@pytest.fixture
def tenant(platform_server: RunningPlatform) -> Tenant:
    """A fresh organisation with a read-write token, on the shared server."""
    return platform_server.create_organisation()
