"""A run killed part-way, then rerun by another operator with their own token, creates nothing twice.

Idempotency keys are kept per token on the platform, so only the ownership labels can tell the rerun that
an object is this stack's, made by the run that died before recording it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from devtools.platform import running_platform
from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL, STACK_LABEL
from sync.engine import PROJECT_ROOT
from tests.resources.conftest import EXAMPLE, declared_counts, platform_counts

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE_SPEC = PROJECT_ROOT / "examples" / "metro-health.yaml"
KILL_AFTER_OBJECTS = 8
"""Objects on the platform when the first run is killed: the organisation and some of its children."""


def objects_of_stack(client: PlatformClient, stack: str) -> list[tuple[str, str]]:
    """(kind, resource label) of every object on the platform carrying the stack's ownership label."""
    found = []
    for org in client.organisations.list():
        for obj in client.organisations.tree(org.id).objects():
            if obj.labels.get(STACK_LABEL) == stack:
                found.append((type(obj).__name__, obj.labels.get(RESOURCE_LABEL, "")))
    return found


def test_a_killed_run_rerun_with_another_token_duplicates_nothing(tmp_path: Path) -> None:
    first_token, second_token = "vct_test_first_operator_token", "vct_test_second_operator_token"
    spec, state, project = tmp_path / "spec.yaml", tmp_path / "state", tmp_path / "project"
    spec.write_text(EXAMPLE_SPEC.read_text())
    command = [sys.executable, "-m", "sync", "up", "--stack", "rerun", "--spec", str(spec), "--state-dir", str(state),
               "--project-dir", str(project)]

    with running_platform(tmp_path / "platform", "--fault-latency-ms", "400", operator_token=first_token) as platform:
        client = PlatformClient(platform.url, first_token)
        env = {**os.environ, "VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": first_token}
        run = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 300
        while len(objects_of_stack(client, "rerun")) < KILL_AFTER_OBJECTS:
            assert run.poll() is None, "the first run ended before it could be killed"
            assert time.monotonic() < deadline, "the first run made too few objects"
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGKILL)  # a cancelled CI runner: the engine, the program and the providers
        run.wait(timeout=30)
        made_by_first_run = len(objects_of_stack(client, "rerun"))
        assert made_by_first_run < sum(declared_counts(EXAMPLE).values())

    # The stale lock of the killed run is cleared by hand here (recovery is its own command).
    shutil.rmtree(state / ".pulumi" / "locks", ignore_errors=True)
    with running_platform(tmp_path / "platform", operator_token=second_token) as platform:
        env = {**os.environ, "VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": second_token}
        rerun = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
                               check=False)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert "_exists" not in rerun.stdout + rerun.stderr  # no 409 member_exists or waiting_area_exists
        with PlatformClient(platform.url, second_token) as client:
            labelled = objects_of_stack(client, "rerun")
            assert [item for item, n in Counter(labelled).items() if n > 1] == [], "duplicates"
            organisations = list(client.organisations.list())
            assert [org.name for org in organisations] == ["Metro Health"]
            assert platform_counts(client.organisations.tree(organisations[0].id)) == declared_counts(EXAMPLE)
