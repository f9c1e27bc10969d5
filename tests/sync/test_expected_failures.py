"""Failures a person fixes by a step or a setting are one sentence from `python -m sync`, never a traceback."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import sync.embedded
import sync.options
from resources.errors import (
    EngineFailed, LockHeld, PlatformUnavailable, ProviderRefusal, SetupError, VideocallError,
)
from sync.__main__ import main
from sync.embedded import START_TIMEOUT_SECONDS, ensure_embedded_platform
from devtools.platform import RunningPlatform, free_port, running_platform


@contextmanager
def port_held_by_another_program() -> Iterator[int]:
    """A loopback port bound and listening by something that is not a platform."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_every_error_of_the_tree_is_a_videocall_error() -> None:
    for error in (EngineFailed, LockHeld, PlatformUnavailable, ProviderRefusal):
        assert issubclass(error, VideocallError)
    assert issubclass(PlatformUnavailable, SetupError)
    assert EngineFailed("output", ["a: b"], next_step="do c").next_step == "do c"


def test_a_port_taken_by_another_program_is_said_at_once(tmp_path: Path) -> None:
    with port_held_by_another_program() as port:
        started = time.monotonic()
        with pytest.raises(PlatformUnavailable, match=f"port {port} is taken by another program"):
            ensure_embedded_platform(f"http://127.0.0.1:{port}", tmp_path / "data")
        assert time.monotonic() - started < START_TIMEOUT_SECONDS / 2, "it fails when the server exits, not at timeout"


def test_another_platform_on_the_embedded_port_is_named_not_used(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "operator-token").write_text("vct_ours_not_theirs")
    with running_platform(tmp_path / "theirs") as theirs:
        with pytest.raises(PlatformUnavailable, match="another platform answers .* refuses the operator token"):
            ensure_embedded_platform(theirs.url, own)


def test_sync_up_says_a_taken_port_in_one_line_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    with port_held_by_another_program() as port:
        url = f"http://127.0.0.1:{port}"
        monkeypatch.setattr(sync.options, "EMBEDDED_URL", url)
        monkeypatch.setattr(sync.embedded, "DATA_DIR", tmp_path / "data")
        monkeypatch.setattr(sync.options, "ensure_embedded_platform",
                            lambda url: ensure_embedded_platform(url, tmp_path / "data"))
        code = main(["up", "--embedded", "--stack", "dev", "--state-dir", str(tmp_path / "state"),
                     "--project-dir", str(tmp_path / "project")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines()[-1].startswith(f"python -m sync up: port {port} is taken by another program")
    assert "Traceback" not in err


def test_a_closed_platform_port_is_one_line_for_every_command(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDEOCALL_API_TOKEN", "vct_whatever_token_value")
    closed = f"http://127.0.0.1:{free_port()}"
    for command in ("up", "preview", "drift", "reconcile"):
        code = main([command, "--stack", "dev", "--api-url", closed, "--state-dir", str(tmp_path / "state"),
                     "--project-dir", str(tmp_path / "project")])
        err = capsys.readouterr().err
        assert code == 1, command
        assert f"python -m sync {command}: " in err and "Traceback" not in err, (command, err)
        assert "vct_whatever_token_value" not in err


def test_an_invalid_spec_stops_up_before_the_engine_with_every_problem(
    tmp_path: Path, platform_server: RunningPlatform, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("organisations:\n  - key: Metro Health\n    name: Metro\n")
    monkeypatch.setenv("VIDEOCALL_API_TOKEN", platform_server.operator_token)
    code = main(["up", "--stack", "dev", "--spec", str(spec), "--api-url", platform_server.url,
                 "--state-dir", str(tmp_path / "state"), "--project-dir", str(tmp_path / "project")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{spec}:2" in err and "key" in err, err
    assert not (tmp_path / "state" / ".pulumi" / "stacks").exists() or not list(
        (tmp_path / "state" / ".pulumi" / "stacks").rglob("*.json")), "no engine run wrote a state"
