"""`pulumi preview` of an invalid spec: every problem once, with its line, and none of Pulumi's "unhandled error" lines."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sync.engine import ENGINE_BIN, engine_environment
from sync.stack import scratch_project

from .specs import spec

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def test_an_invalid_spec_ends_the_program_as_an_error_already_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(spec(physio="timezone: Australia/Sidney", waiting_area='disabled_message: "closed\x0btoday"'))
    env = engine_environment(tmp_path / "state") | {"VIDEOCALL_SPEC": str(bad)}
    project = scratch_project(tmp_path / "project")

    def pulumi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ENGINE_BIN / "pulumi"), *args, "--non-interactive"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    assert pulumi("stack", "init", "dev").returncode == 0
    assert pulumi("config", "set", "videocall:spec", str(bad)).returncode == 0
    result = pulumi("preview")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{bad}:13:19: organisations[metro].clinics[physio].timezone: 'Australia/Sidney'" in output, output
    assert f"{bad}:10:36: organisations[metro].clinics[renal].waiting_area.disabled_message: a vertical tab" in output, output
    for redundant in ("unhandled", "non-zero exit code", "Traceback", "RunError"):
        assert redundant not in output, output
