"""Start the reference platform server as a real subprocess on a free loopback port, for tests and benchmarks.

    with running_platform(tmp_path) as platform:
        tenant = platform.create_organisation()
        requests.get(f"{platform.url}/v1/organisations", headers=tenant.headers)
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 30.0
START_ATTEMPTS = 3


def free_port() -> int:
    """Ask the OS for a free loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Tenant:
    """An organisation made for a test, with a read-write token for it."""

    organisation: dict[str, Any]
    token: str

    @property
    def id(self) -> str:
        """The organisation id."""
        return str(self.organisation["id"])

    @property
    def headers(self) -> dict[str, str]:
        """Headers authenticating as this organisation's read-write token."""
        return bearer(self.token)


@dataclass
class RunningPlatform:
    """A platform server subprocess and how to talk to it."""

    url: str
    operator_token: str
    data_dir: Path
    port: int
    args: tuple[str, ...]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.data_dir / "server.log"

    @property
    def operator_headers(self) -> dict[str, str]:
        """Headers authenticating as the operator."""
        return bearer(self.operator_token)

    def start(self) -> None:
        """Start the subprocess and wait until it answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "platform_server", "--port", str(self.port),
                 "--data-dir", str(self.data_dir), *self.args],
                cwd=REPOSITORY_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"platform server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/openapi.json", timeout=1).status_code == 200:
                    if not self.operator_token:
                        self.operator_token = (self.data_dir / "operator-token").read_text().strip()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"platform server did not answer within {START_TIMEOUT_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop the subprocess politely (SIGTERM), then firmly."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """Kill the subprocess with SIGKILL, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        """Start the server again on the same port and data folder."""
        self.stop()
        self.start()

    def log(self) -> str:
        """The server's output so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def create_organisation(self, name: str | None = None, access: str = "read_write", **fields: Any) -> Tenant:
        """Create an organisation (unique name by default) and a token for it."""
        name = name or f"org-{uuid.uuid4().hex[:12]}"
        created = requests.post(f"{self.url}/v1/organisations", json={"name": name, **fields},
                                headers=self.operator_headers, timeout=10)
        created.raise_for_status()
        organisation = created.json()
        token = self.create_token(organisation["id"], access)
        return Tenant(organisation=organisation, token=token)

    def create_token(self, organisation_id: str, access: str = "read_write") -> str:
        """Create an organisation token and return its secret."""
        response = requests.post(f"{self.url}/v1/organisations/{organisation_id}/tokens",
                                 json={"name": f"test-{access}", "access": access},
                                 headers=self.operator_headers, timeout=10)
        response.raise_for_status()
        return str(response.json()["token"])

    def set_faults(self, **faults: Any) -> dict[str, Any]:
        """Replace the fault injection at run time (fields left out are off)."""
        response = requests.put(f"{self.url}/v1/dev/faults", json=faults, headers=self.operator_headers, timeout=10)
        response.raise_for_status()
        return dict(response.json())


@contextmanager
def running_platform(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, operator_token: str | None = None,
    preset_operator_token: bool = True,
) -> Iterator[RunningPlatform]:
    """Run a private platform server (extra flags in `args`, e.g. fault flags) for the block's length.

    The operator token is preset through VIDEOCALL_OPERATOR_TOKEN unless `preset_operator_token` is
    false: then the server makes its own and the helper reads it from `<data_dir>/operator-token`.
    """
    token = (operator_token or "vct_test_" + secrets.token_urlsafe(24)) if preset_operator_token else ""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("VIDEOCALL_SERVER_") and key != "VIDEOCALL_OPERATOR_TOKEN"}
    environment |= {"PYTHONUNBUFFERED": "1", **(env or {})}
    if token:
        environment["VIDEOCALL_OPERATOR_TOKEN"] = token
    for attempt in range(START_ATTEMPTS):
        port = free_port()
        platform = RunningPlatform(url=f"http://127.0.0.1:{port}", operator_token=token, data_dir=Path(data_dir),
                                   port=port, args=tuple(args), env=environment)
        try:
            platform.start()
            break
        except RuntimeError:
            # Another process may have taken the free port between probing and binding it.
            if attempt == START_ATTEMPTS - 1 or "address already in use" not in platform.log():
                raise
    try:
        yield platform
    finally:
        platform.stop()


def start_args(**faults: float | int) -> Sequence[str]:
    """Turn fault keyword arguments into start flags: start_args(drop_rate=1) -> ["--fault-drop-rate", "1"]."""
    return [part for name, value in faults.items() for part in (f"--fault-{name.replace('_', '-')}", str(value))]
