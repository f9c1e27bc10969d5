"""The GitHub Actions workflows: linted by a real linter, and they keep the promises the sync job relies on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sync.engine import PROJECT_ROOT
from sync.preview import MARKER

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
PREVIEW, SCHEDULED = WORKFLOWS / "preview.yml", WORKFLOWS / "drift.yml"
BIN = Path(sys.executable).parent


def workflow(path: Path) -> dict[str, Any]:
    """The workflow as data; YAML 1.1 reads the key `on` as true, so it is put back."""
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True)
    return data


def steps(path: Path) -> list[dict[str, Any]]:
    """The steps of the workflow's only job."""
    (job,) = workflow(path)["jobs"].values()
    return job["steps"]


def step(path: Path, name: str) -> dict[str, Any]:
    """The step whose name starts with `name` (or whose id is `name`)."""
    return next(s for s in steps(path) if s.get("id") == name or s.get("name", "").startswith(name))


def lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run jactionlint (with shellcheck over the `run:` scripts) on the files."""
    return subprocess.run([str(BIN / "jactionlint"), "--no-color", f"--shellcheck={BIN / 'shellcheck'}", *map(str, paths)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)


def run_step(script: str, exit_code: int, tmp_path: Path) -> tuple[int, str]:
    """Run a step's script as the runner does (`bash -eo pipefail`) with a python that exits `exit_code`."""
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True, exist_ok=True)
    fake.write_text(f"#!/bin/sh\nexit {exit_code}\n")
    fake.chmod(0o755)
    output = tmp_path / "github-output"
    output.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "STACK": "dev"}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    return done.returncode, output.read_text()


def test_workflows_pass_the_linter() -> None:
    result = lint(PREVIEW, SCHEDULED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shellcheck was not found" not in result.stderr


def test_the_linter_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "preview.yml"
    broken.write_text(PREVIEW.read_text().replace("steps.preview.outputs", "steps.previw.outputs"))
    result = lint(broken)
    assert result.returncode != 0 and "previw" in result.stdout


@pytest.mark.parametrize("path", [PREVIEW, SCHEDULED], ids=["preview", "scheduled"])
def test_platform_comes_from_repository_secrets_and_nothing_is_started_by_hand(path: Path) -> None:
    (job,) = workflow(path)["jobs"].values()
    assert job["env"]["VIDEOCALL_API_TOKEN"] == "${{ secrets.VIDEOCALL_API_TOKEN }}"
    assert job["env"]["VIDEOCALL_API_URL"] == "${{ secrets.VIDEOCALL_API_URL }}"
    runs = [s["run"] for s in steps(path) if "run" in s]
    assert "make setup" in runs
    assert not any("platform_server" in run for run in runs), "the command starts the embedded platform itself"


def test_preview_comment_is_found_by_the_marker_and_edited() -> None:
    data = workflow(PREVIEW)
    assert "pull_request" in data["on"]
    assert data["env"]["MARKER"] == MARKER
    assert "python -m sync preview" in step(PREVIEW, "preview")["run"]
    assert "--markdown preview.md" in step(PREVIEW, "preview")["run"]
    comment = step(PREVIEW, "Comment")
    assert comment["uses"].startswith("actions/github-script@") and "always()" in comment["if"]
    script = comment["with"]["script"]
    assert "body.startsWith(marker)" in script
    edit, add = script.index("updateComment"), script.index("createComment")
    assert script.index("if (previous)") < edit < script.index("} else {") < add, "a new comment only when none exists"


def test_preview_step_records_its_exit_code_and_the_job_fails_on_error(tmp_path: Path) -> None:
    for code in (0, 1):
        status, output = run_step(step(PREVIEW, "preview")["run"], code, tmp_path)
        assert status == 0 and f"exit_code={code}" in output, "the comment is posted before the job fails"
    fail = step(PREVIEW, "Fail")
    assert fail["if"] == "steps.preview.outputs.exit_code != '0'" and "exit 1" in fail["run"]


def test_scheduled_job_runs_on_a_schedule_and_by_hand() -> None:
    data = workflow(SCHEDULED)
    assert data["on"]["schedule"][0]["cron"] and "workflow_dispatch" in data["on"]
    run = step(SCHEDULED, "drift")["run"]
    assert "python -m sync drift" in run and "--markdown drift.md" in run and "--json drift.json" in run


@pytest.mark.parametrize(("code", "job_status"), [(0, 0), (2, 0), (1, 1), (3, 3)])
def test_scheduled_step_passes_results_and_fails_on_errors(code: int, job_status: int, tmp_path: Path) -> None:
    status, output = run_step(step(SCHEDULED, "drift")["run"], code, tmp_path)
    assert status == job_status
    assert f"exit_code={code}" in output


def test_exit_code_2_opens_or_updates_one_issue_per_stack() -> None:
    issue = step(SCHEDULED, "Open or update")
    assert issue["if"] == "steps.drift.outputs.exit_code == '2'"
    script = issue["with"]["script"]
    assert "const title = `Drift detected in stack ${process.env.STACK}`;" in script
    assert "readFileSync('drift.md'" in script and "issue.title === title" in script
    update, create = script.index("issues.update("), script.index("issues.create(")
    assert script.index("if (existing)") < update < script.index("} else {") < create, "a new issue only when none is open"
    closing = step(SCHEDULED, "Close")
    assert closing["if"] == "steps.drift.outputs.exit_code == '0'" and "state: 'closed'" in closing["with"]["script"]
