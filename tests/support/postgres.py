"""A real PostgreSQL server for tests: Debian's binaries, a temp folder, a loopback port, stopped at the end.

initdb refuses to run as root, so as root the server runs as the `postgres` user that Debian's package
creates (`make postgres` installs the package). The server asks for a password over TCP, like a team's.

    with running_postgres() as server:
        os.environ["PULUMI_BACKEND_URL"] = server.url("my_table")
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devtools.platform import free_port

SERVER_USER = "postgres"
"""Who runs the server when the tests run as root (initdb refuses root)."""
ROLE = "pulumi"
DATABASE = "postgres"
START_TIMEOUT_SECONDS = 30


class PostgresMissing(RuntimeError):
    """PostgreSQL's server binaries are not installed."""


def server_binaries() -> Path:
    """The folder of Debian's PostgreSQL server binaries (newest major version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if not found:
        raise PostgresMissing("PostgreSQL's server is not installed: run `make postgres` (Debian's postgresql package)")
    return found[-1].parent


@dataclass(frozen=True)
class RunningPostgres:
    """A PostgreSQL server on 127.0.0.1 that asks for a password; each test keeps its state in a table of its own."""

    bin_dir: Path
    port: int
    password: str

    def url(self, table: str) -> str:
        """The PULUMI_BACKEND_URL of a state table on this server (no TLS on loopback)."""
        return f"postgres://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}?sslmode=disable&table={table}"

    def sql(self, query: str) -> str:
        """Run SQL with psql and return its unaligned output."""
        result = subprocess.run(
            [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, "-d", DATABASE,
             "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query],
            env={**os.environ, "PGPASSWORD": self.password}, capture_output=True, text=True, timeout=30, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout

    def dump(self, table: str) -> str:
        """pg_dump of one state table: every row as the database stores it."""
        result = subprocess.run(
            [str(self.bin_dir / "pg_dump"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, "-d", DATABASE,
             "--data-only", "-t", table],
            env={**os.environ, "PGPASSWORD": self.password}, capture_output=True, text=True, timeout=30, check=True,
        )
        return result.stdout

    def blobs(self, table: str) -> dict[str, bytes]:
        """Each key of a state table with its data decoded (the backend stores files base64-encoded in JSON)."""
        rows = self.sql(f"SELECT json_build_object('key', key, 'data', data) FROM {table}")
        decoded = {}
        for line in rows.splitlines():
            row = json.loads(line)
            decoded[row["key"]] = base64.b64decode(row["data"]["data"])
        return decoded

    def lock_keys(self, table: str) -> list[str]:
        """The keys of the lock files in a state table (one per run holding a stack)."""
        exists = self.sql(f"SELECT to_regclass('{table}') IS NOT NULL").strip() == "t"
        return self.sql(f"SELECT key FROM {table} WHERE key LIKE '%/.pulumi/locks/%'").split() if exists else []


def server_command(bin_dir: Path, name: str, *args: str) -> list[str]:
    """A server command line, run as the `postgres` user when we are root."""
    command = [str(bin_dir / name), *args]
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresMissing(f"running as root needs the user {SERVER_USER!r} of Debian's postgresql package "
                              "to run the server: run `make postgres`") from None
    return ["runuser", "-u", SERVER_USER, "--", *command]


def hand_over(folder: Path) -> None:
    """Give the server's user the folder (when we are root)."""
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_USER, SERVER_USER)


@contextmanager
def running_postgres() -> Iterator[RunningPostgres]:
    """Initialise and start a private server in a temp folder on a free loopback port; stop and remove it after."""
    bin_dir = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="videocall-iac-postgres-"))
    password = secrets.token_urlsafe(18)
    try:
        hand_over(folder)
        password_file = folder / "password"
        password_file.write_text(password)
        hand_over(password_file)
        data = folder / "data"
        run(server_command(bin_dir, "initdb", "-D", str(data), "-U", ROLE, f"--pwfile={password_file}",
                           "--auth=scram-sha-256", "--encoding=UTF8", "--no-sync", "--no-instructions"))
        password_file.unlink()
        port = free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        run(server_command(bin_dir, "pg_ctl", "start", "-D", str(data), "-w", "-t", str(START_TIMEOUT_SECONDS),
                           "-l", str(folder / "server.log"), "-o", options))
        try:
            yield RunningPostgres(bin_dir, port, password)
        finally:
            run(server_command(bin_dir, "pg_ctl", "stop", "-D", str(data), "-m", "fast", "-w"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(command: list[str]) -> None:
    """Run a server command; its output in the error when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
