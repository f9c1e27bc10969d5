"""A command run on a checkout without the engine says to run `make setup`: it never starts a Go build itself.

Building the engine (engine/provide.sh) takes minutes and downloads hundreds of MB of Go modules: that is
`make setup`'s job (its `engine` target), never a side effect of a drift check or a preview.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.checkout import Runner, checkout

FAKE_GO = """#!/bin/sh
echo "$@" >> "{record}"
exit 1
"""


@pytest.fixture(scope="module")
def engineless(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, Path]:
    """A checkout without .pulumi-engine, run with a PATH whose only `go` records that it was started."""
    root = tmp_path_factory.mktemp("engineless")
    folder = checkout(root / "checkout", with_engine=False)
    fake_bin = root / "bin"
    fake_bin.mkdir()
    record = root / "go-started"
    (fake_bin / "go").write_text(FAKE_GO.format(record=record))
    (fake_bin / "go").chmod(0o755)
    shell_dir = str(Path(shutil.which("bash") or "/bin/bash").parent)
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("VIDEOCALL_", "PULUMI_"))}
    # No machine-wide engine cache either (provide.sh would copy the engine from it).
    env |= {"PATH": os.pathsep.join([str(fake_bin), shell_dir]), "XDG_CACHE_HOME": str(root / "cache"),
            "VIDEOCALL_API_TOKEN": "vct_unused", "PULUMI_CONFIG_PASSPHRASE": "unused"}
    return Runner(folder, env), record


@pytest.mark.parametrize("command", ["drift", "preview", "up", "destroy"])
def test_a_command_without_the_engine_says_make_setup(engineless: tuple[Runner, Path], command: str) -> None:
    runner, record = engineless
    state = runner.folder.parent / f"state-{command}"
    extra = ["--yes"] if command == "destroy" else []
    result = runner.sync(command, "--stack", "dev", "--state-dir", str(state), "--api-url", "http://127.0.0.1:9",
                         *extra, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    said = [line for line in result.stderr.splitlines() if "make setup" in line]
    assert len(said) == 1 and said[0].rstrip().endswith("run `make setup` to build it"), output
    assert not record.exists(), f"a Go build was started: go {record.read_text()}"
    assert not (runner.folder / ".pulumi-engine" / "bin" / "pulumi").exists()
