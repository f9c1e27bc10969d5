"""`python -m schemas` as a user runs it: exit codes and every problem printed with its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import schemas.__main__
from schemas.json_schema import render_json_schema

from .specs import EXAMPLE, REPO, spec


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the schemas command line from the repository root."""
    return subprocess.run([sys.executable, "-m", "schemas", *args], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)


def test_validate_a_good_spec_exits_zero_with_a_summary() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout and "5 clinics" in result.stdout and "2 user rooms" in result.stdout


def test_validate_a_broken_spec_prints_every_problem_with_its_line(tmp_path: Path) -> None:
    text = spec(
        waiting_area='opening_hours: {monday: {open: "18:00", close: "18:00"}}',
        physio="meeting_rooms: [{key: huddle, name: Huddle, max_participants: 12}]",
        people="- {key: lee, email: lee@@metro, display_name: Lee}",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    result = run("validate", str(broken))
    assert result.returncode == 1
    printed = result.stdout.strip().splitlines()
    assert len(printed) == 3
    lines = text.splitlines()
    for row, needle in zip(printed, ['close: "18:00"', "max_participants: 12", "lee@@metro"]):
        file, line, column, rest = row.split(":", 3)
        assert file == str(broken) and int(column) > 0
        assert needle in lines[int(line) - 1]
        assert rest.startswith(" organisations[metro].")
    assert "use a group room" in result.stdout


def test_validate_an_unparsable_file_exits_two(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisations:\n  - key: metro\n    name: [unclosed\n")
    result = run("validate", str(broken))
    assert result.returncode == 2
    file, line, column, message = result.stdout.split(":", 3)
    assert file == str(broken) and int(line) >= 3 and int(column) >= 1
    assert "not valid YAML" in message


def test_validate_a_missing_file_exits_two(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2 and "cannot read" in result.stdout


def test_json_schema_command_prints_the_generated_schema() -> None:
    result = run("json-schema")
    assert result.returncode == 0 and result.stdout == render_json_schema()


def test_an_internal_error_is_one_line_and_exit_three(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(_path: str) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(schemas.__main__, "load_spec", broken)
    assert schemas.__main__.main(["validate", str(EXAMPLE)]) == schemas.__main__.EXIT_INTERNAL_ERROR == 3
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "internal error" in err and "KeyError" in err and "please report it" in err


def test_a_hostile_spec_is_a_spec_problem_not_an_internal_error(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text("version: 1\norganisations:\n  - key: metro\n    name: !!int twenty\n    people: [{key: a, email: a@b.example, display_name: \"A\\0\"}]\n" + "x: " + "[" * 3000)
    result = run("validate", str(hostile))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [row.split(":")[1] for row in result.stdout.splitlines()] == ["4", "6"]
