"""Which state backend and passphrase an engine run gets: explicit folder, PULUMI_BACKEND_URL, or the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.engine import DEFAULT_STATE_DIR, DEV_PASSPHRASE, EngineMissing, engine_environment, redacted_backend


def test_explicit_state_folder_wins_and_needs_a_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", "file:///somewhere/else")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "folder secret")
    env = engine_environment(tmp_path / "state")
    assert env["PULUMI_BACKEND_URL"] == (tmp_path / "state").resolve().as_uri()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == "folder secret"
    assert "PULUMI_ACCESS_TOKEN" not in env


@pytest.mark.parametrize("passphrase", [None, ""], ids=["unset", "empty (an unset GitHub secret)"])
def test_a_state_folder_of_ones_own_never_gets_the_public_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, passphrase: str | None
) -> None:
    if passphrase is None:
        monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    else:
        monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", passphrase)
    with pytest.raises(EngineMissing, match="set PULUMI_CONFIG_PASSPHRASE"):
        engine_environment(tmp_path / "state")


def test_configured_backend_needs_its_own_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", (tmp_path / "shared").as_uri())
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "")
    with pytest.raises(EngineMissing, match="PULUMI_CONFIG_PASSPHRASE"):
        engine_environment()
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "team secret")
    env = engine_environment()
    assert env["PULUMI_BACKEND_URL"] == (tmp_path / "shared").as_uri()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == "team secret"


def test_only_the_default_folder_uses_the_development_passphrase_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    monkeypatch.setattr("sync.engine._told_development_passphrase", False)
    env = engine_environment()
    assert env["PULUMI_BACKEND_URL"] == DEFAULT_STATE_DIR.resolve().as_uri()
    assert env["PULUMI_CONFIG_PASSPHRASE"] == DEV_PASSPHRASE
    assert "development passphrase" in capsys.readouterr().err


def test_backend_passwords_are_not_printed() -> None:
    assert redacted_backend("postgres://team:hunter2@db.example:5432/state") == "postgres://team:***@db.example:5432/state"
    assert redacted_backend("file:///state") == "file:///state"
