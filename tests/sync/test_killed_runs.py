"""A run killed part-way (a cancelled CI job, an OOM kill) is put right by one command, and nothing is made twice.

`python -m sync up` is killed with SIGKILL on its whole process group at chosen points of its creates; then
the documented recovery (`python -m sync recover`, then `up`) must leave exactly the declared objects.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from benchmarks.generated_spec import generated_spec
from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from resources.ownership import PROJECT_LABEL, RESOURCE_LABEL, STACK_LABEL
from sync.engine import ENGINE_BIN, PROJECT_ROOT, engine_environment
from sync.stack import PROJECT_NAME, project_stack, scratch_project
from tests.resources.conftest import EXAMPLE, declared_counts, platform_counts

pytestmark = [pytest.mark.engine, pytest.mark.slow]

GENERATED = generated_spec(20)  # 101 objects


class Runner:
    """`python -m sync …` for one stack of a private platform, in its own state and project folders."""

    def __init__(self, root: Path, platform: RunningPlatform, spec: dict[str, Any], stack: str = "killed") -> None:
        self.root, self.platform, self.stack, self.spec = root, platform, stack, spec
        root.mkdir(parents=True, exist_ok=True)
        self.spec_path = root / f"{stack}.yaml"
        self.spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
        self.state, self.project = root / "state", root / "project"
        self.env = {**os.environ, "VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": platform.operator_token}

    def command(self, name: str, *extra: str) -> list[str]:
        """The command line of a sync command for this stack."""
        return [sys.executable, "-m", "sync", name, "--stack", self.stack, "--spec", str(self.spec_path),
                "--state-dir", str(self.state), "--project-dir", str(self.project), *extra]

    def run(self, name: str, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a sync command to its end."""
        return subprocess.run(self.command(name, *extra), cwd=PROJECT_ROOT, env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def start(self, name: str) -> subprocess.Popen[bytes]:
        """Start a sync command in its own process group (so it can be killed whole)."""
        return subprocess.Popen(self.command(name), cwd=PROJECT_ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    def objects(self) -> list[tuple[str, str]]:
        """(kind, resource name) of every platform object carrying this stack's labels."""
        with PlatformClient(self.platform.url, self.platform.operator_token) as client:
            found = []
            for org in client.organisations.list():
                for obj in client.organisations.tree(org.id).objects():
                    if (obj.labels.get(PROJECT_LABEL), obj.labels.get(STACK_LABEL)) == (PROJECT_NAME, self.stack):
                        found.append((type(obj).__name__, obj.labels.get(RESOURCE_LABEL, "")))
            return found

    def automation(self) -> auto.Stack:
        """The stack through the Automation API, for exports and previews."""
        return project_stack(self.stack, api_url=self.platform.url, api_token=self.platform.operator_token,
                             spec=str(self.spec_path), state_dir=self.state, work_dir=scratch_project(self.project))

    def kill_when(self, process: subprocess.Popen[bytes], objects: int) -> None:
        """SIGKILL the whole process group once the platform holds `objects` of this stack's objects."""
        deadline = time.monotonic() + 300
        while len(self.objects()) < objects:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run made too few objects"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def up_killed_after(self, creates: int) -> None:
        """Start `up` and SIGKILL its process group as soon as its output says `creates` objects were created.

        The engine's own lines come at once; polling the platform (whose reads are slowed too) let a small
        run finish between two looks.
        """
        process = subprocess.Popen(self.command("up"), cwd=PROJECT_ROOT, env={**self.env, "PYTHONUNBUFFERED": "1"},
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        assert process.stdout is not None
        created = 0
        for line in process.stdout:
            created += bool(CREATED.search(line))
            if created >= creates:
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=30)
        assert created >= creates, f"the run ended after {created} creates, before it could be killed"


CREATED = re.compile(r"videocall:\w+ \S+ created\b")
"""An engine line saying one platform object was created."""


def assert_exactly_declared(runner: Runner) -> None:
    """The platform holds each declared object once: no duplicates, no orphans, none missing."""
    labelled = runner.objects()
    assert [item for item, n in Counter(labelled).items() if n > 1] == [], "duplicates"
    with PlatformClient(runner.platform.url, runner.platform.operator_token) as client:
        organisations = list(client.organisations.list())
        assert len(organisations) == len(runner.spec["organisations"])
        counts = sum((platform_counts(client.organisations.tree(org.id)) for org in organisations), Counter())
    assert counts == declared_counts(runner.spec)


@pytest.mark.parametrize(("spec", "kill_at"), [(EXAMPLE, 0.2), (EXAMPLE, 0.6), (GENERATED, 0.5)],
                         ids=["example-at-20%", "example-at-60%", "101-objects-at-50%"])
def test_a_killed_up_is_recovered_by_one_command(tmp_path: Path, spec: dict[str, Any], kill_at: float) -> None:
    with running_platform(tmp_path / "platform", "--fault-latency-ms", "200") as platform:
        runner = Runner(tmp_path, platform, spec)
        declared = sum(declared_counts(spec).values())
        runner.up_killed_after(max(2, int(declared * kill_at)))
        assert len(runner.objects()) < declared, "killed too late to leave anything to recover"

        recovered = runner.run("recover")
        assert recovered.returncode == 0, recovered.stderr
        assert "cleared the lock of stack killed" in recovered.stderr and "its process is gone" in recovered.stderr
        assert "Traceback" not in recovered.stderr
        assert not runner.automation().export_stack().deployment.get("pending_operations")

        applied = runner.run("up")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert "pending operations" not in applied.stdout + applied.stderr
        assert_exactly_declared(runner)
        summary = runner.automation().preview().change_summary
        assert {op for op, n in summary.items() if n and op != "same"} == set(), summary
        drift = runner.run("drift")
        assert drift.returncode == 0, drift.stdout + drift.stderr


def test_a_run_killed_while_updating_is_recovered(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform", "--fault-latency-ms", "200") as platform:
        runner = Runner(tmp_path, platform, EXAMPLE, stack="changing")
        assert runner.run("up").returncode == 0
        edited = yaml.safe_load(yaml.safe_dump(EXAMPLE))
        for clinic in edited["organisations"][0]["clinics"]:
            clinic["name"] += " (renamed)"
        del edited["organisations"][0]["group_rooms"]
        runner.spec_path.write_text(yaml.safe_dump(edited, sort_keys=False))
        runner.spec = edited
        changing = runner.start("up")
        with PlatformClient(platform.url, platform.operator_token) as client:
            org = next(iter(client.organisations.list()))
            deadline = time.monotonic() + 120
            while not any(c.name.endswith("(renamed)") for c in client.organisations.tree(org.id).clinics):
                assert changing.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        os.killpg(changing.pid, signal.SIGKILL)
        changing.wait(timeout=30)

        recovered = runner.run("recover")
        assert recovered.returncode == 0 and "read every object" in recovered.stderr, recovered.stderr
        applied = runner.run("up")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert_exactly_declared(runner)
        with PlatformClient(platform.url, platform.operator_token) as client:
            org = next(iter(client.organisations.list()))
            assert all(c.name.endswith("(renamed)") for c in client.organisations.tree(org.id).clinics)
        summary = runner.automation().preview().change_summary
        assert {op for op, n in summary.items() if n and op != "same"} == set(), summary


def test_drift_right_after_a_kill_recovers_first_and_sees_every_object(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform", "--fault-latency-ms", "200") as platform:
        runner = Runner(tmp_path, platform, EXAMPLE)
        runner.kill_when(runner.start("up"), 3)
        drift = runner.run("drift", "--json", str(tmp_path / "drift.json"))
        assert drift.returncode in (0, 2), drift.stdout + drift.stderr
        assert "recover: cleared the lock" in drift.stderr
        assert "0/0 objects" not in drift.stdout
        report = json.loads((tmp_path / "drift.json").read_text())
        assert report["coverage"]["managed"] + len(
            [f for f in report["findings"] if f["kind"] == "orphaned"]) == len(runner.objects())


def test_objects_with_the_stacks_labels_outside_its_state_are_orphans_even_a_whole_organisation(
    tmp_path: Path,
) -> None:
    with running_platform(tmp_path / "platform") as platform:
        runner = Runner(tmp_path, platform, EXAMPLE, stack="lost")
        runner.automation()  # the stack exists, with nothing in its state
        labels = {PROJECT_LABEL: PROJECT_NAME, STACK_LABEL: "lost", RESOURCE_LABEL: "metro"}
        with PlatformClient(platform.url, platform.operator_token) as client:
            org = client.organisations.create({"name": "Metro Health", "labels": labels})
            client.clinics.create(org.id, {"name": "Renal", "labels": {**labels, RESOURCE_LABEL: "metro.renal"}})
        drift = runner.run("drift", "--json", str(tmp_path / "drift.json"))
        assert drift.returncode == 2, drift.stdout + drift.stderr
        orphans = {(f["object"], f["name"]) for f in json.loads((tmp_path / "drift.json").read_text())["findings"]
                   if f["kind"] == "orphaned"}
        assert orphans == {("Organisation", "metro"), ("Clinic", "metro.renal")}


def test_drift_of_a_stack_that_manages_nothing_never_says_in_sync(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform:
        runner = Runner(tmp_path, platform, EXAMPLE, stack="empty")
        runner.automation()
        drift = runner.run("drift")
        assert drift.returncode == 1, drift.stdout + drift.stderr
        assert "nothing to compare" in drift.stderr and "in sync" not in drift.stdout
        missing = runner.run("drift", "--stack", "never-made")
        assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_a_checkpoint_left_half_written_is_healed(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform:
        runner = Runner(tmp_path, platform, EXAMPLE, stack="torn")
        assert runner.run("up").returncode == 0
        checkpoint = runner.state / ".pulumi" / "stacks" / PROJECT_NAME / "torn.json"
        # What a kill inside the backend's write leaves: the side file truncated, the checkpoint whole.
        Path(f"{checkpoint}.attrs").write_text("")
        engine_env = engine_environment(runner.state)
        broken = subprocess.run([str(ENGINE_BIN / "pulumi"), "stack", "export", "--stack", "torn"],
                                cwd=runner.project, env=engine_env, capture_output=True, text=True, check=False)
        assert broken.returncode != 0 and "EOF" in broken.stderr, "the failure mode this heals"
        healed = runner.run("recover")
        assert healed.returncode == 0 and "half-written" in healed.stderr, healed.stderr
        # A checkpoint cut short itself is restored from the backend's backup.
        checkpoint.write_text(checkpoint.read_text()[:100])
        restored = runner.run("recover")
        assert restored.returncode == 0 and "restored" in restored.stderr, restored.stderr
        # The backup is a step behind: the next up takes back what was made after it, creating nothing twice.
        assert runner.run("up").returncode == 0
        assert_exactly_declared(runner)
        summary = runner.automation().preview().change_summary
        assert {op for op, n in summary.items() if n and op != "same"} == set(), summary


def test_a_second_up_of_a_stack_being_changed_stops_at_once_naming_the_holder(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform", "--fault-latency-ms", "400") as platform:
        runner = Runner(tmp_path, platform, GENERATED, stack="busy")
        first = runner.start("up")
        locks = runner.state / ".pulumi" / "locks"
        deadline = time.monotonic() + 120
        while not list(locks.glob(f"*/{PROJECT_NAME}/busy/*.json")) or len(runner.objects()) < 1:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        started = time.monotonic()
        second = runner.run("up")
        assert second.returncode == 1 and time.monotonic() - started < 30
        assert "is being changed by another run" in second.stderr and "pid" in second.stderr, second.stderr
        assert "Traceback" not in second.stderr
        assert first.wait(timeout=300) == 0
        assert_exactly_declared(runner)


def test_two_stacks_declaring_one_organisation_name_say_who_owns_it(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform:
        assert Runner(tmp_path / "a", platform, EXAMPLE, stack="first").run("up").returncode == 0
        loser = Runner(tmp_path / "b", platform, EXAMPLE, stack="second").run("up")
        assert loser.returncode == 1
        assert "name 'Metro Health' is already taken" in loser.stderr and "stack first" in loser.stderr, loser.stderr
        assert "Traceback" not in loser.stderr.split("engine output:")[0]


@pytest.mark.parametrize("silence", ["closed port", "accepts and never answers"])
def test_an_unreachable_platform_fails_fast_with_one_line(tmp_path: Path, silence: str) -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        if silence == "accepts and never answers":
            listener.listen(16)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        if silence == "closed port":
            listener.close()
        spec = tmp_path / "spec.yaml"
        spec.write_text(yaml.safe_dump(EXAMPLE))
        env = {**os.environ, "VIDEOCALL_API_URL": url, "VIDEOCALL_API_TOKEN": "vct_test_nobody_answers"}
        for command in ("up", "drift"):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-m", "sync", command, "--stack", "far", "--spec", str(spec), "--state-dir",
                 str(tmp_path / "state"), "--project-dir", str(tmp_path / "project")],
                cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
            )
            assert result.returncode == 1 and time.monotonic() - started < 60, (command, result.stderr)
            assert "does not answer" in result.stderr and "Traceback" not in result.stderr, result.stderr
