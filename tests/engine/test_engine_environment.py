"""Which state backend and passphrase an engine run gets: explicit folder, PULUMI_BACKEND_URL, or the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.engine import DEFAULT_STATE_DIR, DEV_PASSPHRASE, EngineMissing, engine_environment


def test_explicit_state_folder_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", "file:///somewhere/else")
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    env = engine_environment(tmp_path / "state")
    assert env["PULUMI_BACKEND_URL"] == (tmp_path / "state").resolve().as_uri()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == DEV_PASSPHRASE
    assert "PULUMI_ACCESS_TOKEN" not in env


def test_configured_backend_needs_its_own_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", (tmp_path / "shared").as_uri())
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    with pytest.raises(EngineMissing, match="PULUMI_CONFIG_PASSPHRASE"):
        engine_environment()
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "team secret")
    env = engine_environment()
    assert env["PULUMI_BACKEND_URL"] == (tmp_path / "shared").as_uri()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == "team secret"


def test_default_is_the_local_state_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    assert engine_environment()["PULUMI_BACKEND_URL"] == DEFAULT_STATE_DIR.resolve().as_uri()
