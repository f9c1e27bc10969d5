"""Team state in PostgreSQL (`PULUMI_BACKEND_URL=postgres://…`) on a real server: two checkouts share one stack.

Each checkout is a runner of its own (own folder, Pulumi home and stack files); only the database is shared.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

import pytest

import schemas
from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from sync.engine import PROJECT_ROOT
from sync.progress import declared_objects
from tests.support.checkout import Runner, succeeded
from tests.support.postgres import RunningPostgres

pytestmark = [pytest.mark.engine, pytest.mark.slow]

WAIT_SECONDS = 300
EXAMPLE_OBJECTS = declared_objects(schemas.load_spec(str(PROJECT_ROOT / "examples" / "metro-health.yaml")))
"""Platform objects the example declares: what each runner's stack manages."""


def runners(tmp_path: Path, platform: RunningPlatform, backend_url: str) -> tuple[Runner, Runner]:
    """Two checkouts of the project that use the same platform and the same state database."""
    return tuple(Runner.at(tmp_path / name, api_url=platform.url, api_token=platform.operator_token,
                           backend_url=backend_url) for name in ("first", "second"))  # type: ignore[return-value]


def urns(runner: Runner) -> set[str]:
    """The resources of stack dev as the runner's engine reads them from the backend."""
    exported = json.loads(succeeded(runner.pulumi("stack", "export", "--stack", "dev")).stdout)
    return {resource["urn"] for resource in exported["deployment"].get("resources", [])
            if "videocall:" in resource["type"]}


def test_two_runners_share_one_stack(postgres: RunningPostgres, tmp_path: Path) -> None:
    table = "two_runners"
    with running_platform(tmp_path / "platform") as platform:
        first, second = runners(tmp_path, platform, postgres.url(table))
        succeeded(first.sync("up"))

        drift = succeeded(second.sync("drift", "--json", "drift.json"))
        report = json.loads((second.folder / "drift.json").read_text())
        assert report["in_sync"] and report["coverage"]["managed"] == report["coverage"]["total"] == EXAMPLE_OBJECTS, drift.stdout
        preview = succeeded(second.sync("preview", "--markdown", "preview.md"))
        assert "no changes" in preview.stdout, preview.stdout
        assert urns(second) == urns(first) and len(urns(first)) == EXAMPLE_OBJECTS
        assert not (second.folder / ".pulumi-state" / ".pulumi").exists(), "the second runner used a local folder"

        dump = postgres.dump(table)
        assert "videocall-iac/dev.json" in dump
        token = platform.operator_token.encode()
        assert platform.operator_token not in dump
        assert not [key for key, blob in postgres.blobs(table).items() if token in blob], "the token reached the state"

        succeeded(second.sync("recover"))
        succeeded(second.sync("reconcile"))
        succeeded(second.sync("destroy", "--yes"))
        with PlatformClient(platform.url, platform.operator_token) as client:
            assert list(client.organisations.list()) == []
        assert urns(first) == set()


def test_a_second_up_fails_at_once_naming_the_holder_and_a_stale_lock_is_cleared(postgres: RunningPostgres, tmp_path: Path) -> None:
    table = "two_ups"
    with running_platform(tmp_path / "platform") as platform:
        first, second = runners(tmp_path, platform, postgres.url(table))
        first.env["PYTHONUNBUFFERED"] = "1"
        platform.set_faults(latency_ms=500)
        running = first.start("up")
        output = Lines(running)
        try:
            output.wait_for("Updating (dev)")
            assert postgres.lock_keys(table), "the first up is updating without holding the stack's lock"
            platform.set_faults(latency_ms=3000)  # the first run keeps the lock while the second one tries
            started = time.monotonic()
            refused = succeeded(second.sync("up"), 1)
            took = time.monotonic() - started
            assert running.poll() is None, "the second up waited for the first one to end"
        finally:
            platform.set_faults()
            running.wait(timeout=600)
        assert running.returncode == 0, output.text()
        lines = refused.stderr.strip().splitlines()
        holder = f"root@{socket.gethostname()}"
        assert lines[-1].startswith(f"python -m sync up: stack dev is being changed by another run: {holder}"), \
            refused.stderr
        assert "`pulumi cancel --stack dev --yes`" in lines[-1] and "Traceback" not in refused.stderr
        assert took < 60, f"the second up took {took:.0f} s to fail"
        assert postgres.lock_keys(table) == [], "a lock was left behind"
        assert len(urns(second)) == EXAMPLE_OBJECTS, "the state is not whole"

        # A run killed while it held the stack leaves its lock behind: named, then cleared as README says.
        leave_lock(postgres, table, holder={"pid": 4242, "username": "runner", "hostname": "ci-7",
                                            "timestamp": "2026-01-05T05:17:00Z"})
        stale = succeeded(second.sync("up"), 1)
        assert ("stack dev is being changed by another run: runner@ci-7 (pid 4242) has held its lock since "
                "2026-01-05T05:17:00Z; wait for it to finish, or, if that run is gone") in stale.stderr, stale.stderr
        assert "Traceback" not in stale.stderr
        succeeded(second.pulumi("cancel", "--stack", "dev", "--yes"))
        assert postgres.lock_keys(table) == []
        again = succeeded(second.sync("up"))
        assert f"{EXAMPLE_OBJECTS + 1} unchanged" in again.stdout, "the state was not whole after the refused runs"


class Lines:
    """The output of a running command, read line by line as it comes (both streams)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.process = process
        self.readers = [threading.Thread(target=self.read, args=(stream,), daemon=True)
                        for stream in (process.stdout, process.stderr)]
        for reader in self.readers:
            reader.start()

    def read(self, stream: IO[str] | None) -> None:
        """Collect one stream's lines until it closes."""
        for line in stream or ():
            self.lines.append(line)

    def wait_for(self, text: str) -> None:
        """Wait until a line holds `text` (fail if the command ends first)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(text in line for line in list(self.lines)):
            assert self.process.poll() is None, f"the command ended before printing {text!r}:\n{self.text()}"
            assert time.monotonic() < deadline, f"no {text!r} within {WAIT_SECONDS} s:\n{self.text()}"
            time.sleep(0.05)

    def text(self) -> str:
        """Everything read so far."""
        for reader in self.readers:
            reader.join(timeout=0 if self.process.poll() is None else 10)
        return "".join(self.lines)


def leave_lock(postgres: RunningPostgres, table: str, holder: dict[str, object]) -> None:
    """Write a lock of stack dev as a killed run leaves it (beside the stack's checkpoint, as the engine keys it)."""
    checkpoint = next(key for key in postgres.blobs(table) if key.endswith(".pulumi/stacks/videocall-iac/dev.json"))
    prefix = checkpoint.removesuffix("stacks/videocall-iac/dev.json")
    key = f"{prefix}locks/organization/videocall-iac/dev/0d1e2a7c-killed-run.json"
    data = base64.b64encode(json.dumps(holder).encode()).decode()
    postgres.sql(f"INSERT INTO {table} (key, data) VALUES ('{key}', json_build_object('data', '{data}'))")


BROKEN_URLS = {
    "wrong-password": (lambda url, password: url.replace(password, "wrong"), "password authentication failed"),
    "no-sslmode": (lambda url, _: url.replace("sslmode=disable&", ""), "add ?sslmode=disable for a server without TLS"),
    "postgresql-scheme": (lambda url, _: url.replace("postgres://", "postgresql://"), "write postgres://user@host"),
}


@pytest.mark.parametrize("broken", BROKEN_URLS)
def test_a_state_database_that_cannot_be_opened_is_one_sentence(
    postgres: RunningPostgres, tmp_path: Path, broken: str,
) -> None:
    change, reason = BROKEN_URLS[broken]
    url = change(postgres.url("unopened"), postgres.password)
    runner = Runner.at(tmp_path / "runner", api_url="http://127.0.0.1:9", api_token="vct_unused", backend_url=url)
    failed = succeeded(runner.sync("up"), 1)
    (line,) = failed.stderr.strip().splitlines()
    assert line.startswith("python -m sync up: ") and reason in line, failed.stderr
    assert postgres.password not in failed.stderr
