"""A second checkout of this project, as a CI runner or a colleague has it: its own folder, files and Pulumi home.

The files are this working tree's (tracked and new, not ignored, with their times, so `make setup` finds the
virtualenv current); the virtualenv is shared, since installing one per test would take minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sync.engine import ENGINE_BIN, PROJECT_ROOT, VENV

ENGINE_FILES = ("pulumi", "pulumi-language-python", "pulumi-language-python-exec", "pulumi-resource-pulumi-python")


def project_files() -> list[str]:
    """The working tree's files that a checkout holds: tracked or new, never ignored ones."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True, timeout=60).stdout
    return [name for name in listed.split("\0") if name and (PROJECT_ROOT / name).is_file()]


def checkout(folder: Path, *, with_engine: bool = True) -> Path:
    """Lay the project out in `folder`; with `with_engine`, its engine folder too (else `make setup` provides it)."""
    for name in project_files():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / name, target)
    (folder / ".venv").symlink_to(VENV)
    if with_engine:
        install_engine(folder / ".pulumi-engine" / "bin")
    return folder


def install_engine(bin_dir: Path) -> Path:
    """A folder holding the project's engine, as a released `pulumi` install lays it out (for PATH, or a checkout)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ENGINE_FILES:
        (bin_dir / name).symlink_to((ENGINE_BIN / name).resolve())
    shutil.copy2(ENGINE_BIN / ".stamp", bin_dir / ".stamp")
    return bin_dir


class Runner:
    """A checkout and its environment: `python -m sync …` and `pulumi …` run there as a colleague or CI job runs them."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env

    @classmethod
    def at(cls, folder: Path, *, api_url: str, api_token: str, backend_url: str) -> Runner:
        """A new checkout in `folder` whose runs use this platform and state backend (and the tests' passphrase)."""
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(("VIDEOCALL_", "PULUMI_BACKEND_URL", "PULUMI_HOME"))}
        env |= {"VIDEOCALL_API_URL": api_url, "VIDEOCALL_API_TOKEN": api_token, "PULUMI_BACKEND_URL": backend_url}
        return cls(checkout(folder), env)

    def sync(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run `python -m sync …` here to its end."""
        return subprocess.run([".venv/bin/python", "-m", "sync", *args], cwd=self.folder, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `python -m sync …` here."""
        return subprocess.Popen([".venv/bin/python", "-m", "sync", *args], cwd=self.folder, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def pulumi(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `pulumi …` by hand here, set up as README says (the engine on PATH, the backend and passphrase)."""
        env = {**self.env, "PATH": f"{self.folder / '.pulumi-engine' / 'bin'}{os.pathsep}{self.env.get('PATH', '')}",
               "PULUMI_HOME": str(self.folder / ".pulumi-home"), "PULUMI_SKIP_UPDATE_CHECK": "true"}
        return subprocess.run(["pulumi", *args, "--non-interactive"], cwd=self.folder, env=env, capture_output=True,
                              text=True, timeout=600, check=False)


def succeeded(result: subprocess.CompletedProcess[str], code: int = 0) -> subprocess.CompletedProcess[str]:
    """The result, after checking its exit code (with its output in the message)."""
    assert result.returncode == code, f"{result.args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result
