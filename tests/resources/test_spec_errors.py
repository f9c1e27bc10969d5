"""A spec that breaks a rule fails at preview with the path and the line, before any API call."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pulumi import automation as auto

from sync.stack import project_stack
from sync.stack import scratch_project
from tests.resources.conftest import EXAMPLE_SPEC

pytestmark = [pytest.mark.engine]


def closed_port() -> int:
    """A loopback port nothing listens on: any API call to it would fail with a connection error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_broken_spec_fails_preview_with_path_and_line(tmp_path: Path) -> None:
    text = EXAMPLE_SPEC.read_text()
    assert "            max_participants: 12\n" in text
    broken = text.replace("            max_participants: 12\n", "            max_participants: 40\n", 1)
    line = broken.splitlines().index("            max_participants: 40") + 1
    spec = tmp_path / "broken.yaml"
    spec.write_text(broken)

    stack = project_stack(
        "broken", api_url=f"http://127.0.0.1:{closed_port()}", api_token="not-used", spec=str(spec),
        state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"),
    )
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    message = str(failed.value)
    assert f"broken.yaml:{line}:" in message, message
    assert "organisations[metro].clinics[physio].group_rooms[physio-hydro-class].max_participants" in message
    assert "at most 20" in message
    assert "Connection refused" not in message and "ConnectFailed" not in message
