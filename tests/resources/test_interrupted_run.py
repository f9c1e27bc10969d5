"""A killed `up` leaves no record in the state (checkpoints are written once per run), and the next `up`
takes back every object it had made, by ownership labels and idempotency keys: none twice, none lost."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.generated_spec import health_service
from platform_client import PlatformClient
from resources.ownership import STACK_LABEL
from sync.engine import ENGINE_BIN, SKIP_CHECKPOINTS
from tests.support.spec_stack import spec_stack

pytestmark = [pytest.mark.engine, pytest.mark.slow]

OBJECTS = 100
KILL_AFTER_CREATES = 30


def process_tree(pid: int) -> list[int]:
    """`pid` and every process it started (the engine starts plugins in process groups of their own)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                queue += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def stack_objects(client: PlatformClient) -> set[str]:
    """The ids of every object on the platform labelled as this stack's."""
    return {obj.id for org in client.organisations.list() for obj in client.organisations.tree(org.id).objects()
            if obj.labels.get(STACK_LABEL) == "killed"}


def test_a_killed_up_is_finished_by_the_next_up_without_duplicates(tmp_path: Path) -> None:
    with spec_stack(tmp_path, "killed", health_service(OBJECTS)) as (stack, platform, proxy):
        assert stack.workspace.env_vars[SKIP_CHECKPOINTS[0]] == SKIP_CHECKPOINTS[1]
        run = subprocess.Popen(
            [str(ENGINE_BIN / "pulumi"), "up", "--yes", "--skip-preview", "--non-interactive", "--stack", "killed"],
            cwd=stack.workspace.work_dir, env=stack.workspace.env_vars,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while proxy.by_status["201"] < KILL_AFTER_CREATES and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        for pid in process_tree(run.pid):  # the engine, the program and the providers, as a crash would
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        run.wait()

        with PlatformClient(platform.url, platform.operator_token) as client:
            made_before = stack_objects(client)
            assert len(made_before) >= KILL_AFTER_CREATES
            assert not stack.export_stack().deployment.get("resources")  # nothing recorded
            stack.cancel()  # the killed run's lock, as after any crash
            result = stack.up(color="never")
            assert result.summary.resource_changes == {"create": OBJECTS + 1}
            made = stack_objects(client)
        recorded = {resource["id"] for resource in stack.export_stack().deployment["resources"]
                    if resource["type"].startswith("pulumi-python:dynamic/")}
        assert made_before <= made  # each taken back, same id
        assert len(made) == OBJECTS and recorded == made  # none twice, every one in the state
