"""Every run sends requests, and the token, only to the platform URL resolved now — never to one the state remembers.

The platform is applied at one address, then moved to another (same data); something else answers at the
old address. `python -m sync drift|reconcile|preview` with the new URL in the environment, and `pulumi
refresh|preview|destroy` by hand with the new URL only in stack config, must all reach the new address.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.listener import listening_on
from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.engine import ENGINE_BIN, PROJECT_ROOT, engine_environment
from sync.stack import project_stack, scratch_project

pytestmark = pytest.mark.engine

EXAMPLE_SPEC = PROJECT_ROOT / "examples" / "metro-health.yaml"
LINKS = ("--public-base-url", "https://video.example")  # entry links stay the same when the API moves


def test_a_moved_platform_gets_every_request_and_the_old_address_none(tmp_path: Path) -> None:
    token = "vct_test_moved_" + secrets.token_urlsafe(16)
    spec, state, project = tmp_path / "spec.yaml", tmp_path / "state", scratch_project(tmp_path / "project")
    spec.write_text(EXAMPLE_SPEC.read_text())
    with running_platform(tmp_path / "platform", *LINKS, operator_token=token) as first:
        old_port = first.port
        stack = project_stack("moved", api_url=first.url, api_token=token, spec=str(spec), state_dir=state,
                              work_dir=project)
        stack.up(color="never")

    with running_platform(tmp_path / "platform", *LINKS, operator_token=token) as moved, \
            listening_on(old_port) as old_address:
        sync_env = {**os.environ, "VIDEOCALL_API_URL": moved.url, "VIDEOCALL_API_TOKEN": token}
        common = ["--stack", "moved", "--spec", str(spec), "--state-dir", str(state), "--project-dir", str(project)]
        for command, expected in (("drift", 0), ("reconcile", 0), ("preview", 0)):
            result = subprocess.run([sys.executable, "-m", "sync", command, *common], cwd=PROJECT_ROOT, env=sync_env,
                                    capture_output=True, text=True, timeout=600, check=False)
            assert result.returncode == expected, f"sync {command}:\n{result.stdout}\n{result.stderr}"
            assert old_address.requests == [], f"sync {command} spoke to the old address"

        # By hand: the new URL only in stack config, the token only as a secret in stack config.
        engine_env = engine_environment(state)

        def pulumi(*args: str) -> str:
            result = subprocess.run([str(ENGINE_BIN / "pulumi"), *args, "--stack", "moved", "--non-interactive"],
                                    cwd=project, env=engine_env, capture_output=True, text=True, timeout=600,
                                    check=False)
            assert result.returncode == 0, f"pulumi {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
            return result.stdout

        pulumi("config", "set", "videocall:apiUrl", moved.url)
        pulumi("config", "set", "--secret", "videocall:apiToken", token)
        pulumi("config", "set", "videocall:spec", str(spec))
        refreshed = pulumi("refresh", "--yes", "--skip-preview")
        assert "deleted" not in refreshed, refreshed
        pulumi("preview", "--expect-no-changes")
        pulumi("destroy", "--yes", "--skip-preview")

        assert old_address.requests == [] and old_address.with_token == 0
        with PlatformClient(moved.url, token) as client:
            assert [org.name for org in client.organisations.list()] == [], "destroy went to the new address"
