"""`python -m sync destroy` says what is really left on the platform when it stops part-way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.platform import running_platform
from devtools.platform_dev import Dev
from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL, STACK_LABEL
from sync.engine import PROJECT_ROOT

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE = PROJECT_ROOT / "examples" / "metro-health.yaml"


def test_a_destroy_stopped_by_waiting_callers_reports_what_is_left(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(EXAMPLE.read_text())
    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        env = {**os.environ, "VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": platform.operator_token}

        def sync(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "sync", *args, "--stack", "gone", "--spec", str(spec),
                                   "--state-dir", str(tmp_path / "state"), "--project-dir", str(tmp_path / "project")],
                                  cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)

        assert sync("up").returncode == 0
        org = next(client.organisations.list())
        area = next(c.waiting_area for c in client.organisations.tree(org.id).clinics
                    if c.labels[RESOURCE_LABEL] == "metro.renal")
        Dev.of(client).join_callers(area.id, 1)

        stopped = sync("destroy", "--yes")
        assert stopped.returncode == 1
        first_lines = stopped.stderr.split("still on the platform")[0]
        assert "destroy stopped part-way" in first_lines and "callers are waiting" in first_lines
        left_on_platform = sorted(
            f"{type(obj).__name__.replace('ClinicWithWaitingArea', 'Clinic')} {obj.labels[RESOURCE_LABEL]}"
            for obj in client.organisations.tree(org.id).objects() if obj.labels.get(STACK_LABEL) == "gone")
        reported = stopped.stderr.split("still on the platform (")[1].split("\n")[0].split("): ")[1].split(", ")
        assert sorted(reported) == left_on_platform and "Member metro.front-desk" in reported

        Dev.of(client).leave_callers(area.id, 1)
        assert sync("destroy", "--yes").returncode == 0
        assert list(client.organisations.list()) == []
