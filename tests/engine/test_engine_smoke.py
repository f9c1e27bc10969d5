"""The pinned Pulumi engine really runs: Automation API lifecycle and one CLI preview of a project folder."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from pulumi import automation as auto

from sync.engine import ENGINE_BIN, VENV, engine_environment
from sync.stack import workspace_options
from tests.engine.local_file import LocalFile

pytestmark = pytest.mark.engine

PINNED_VERSION = "v3.274.1"


def test_engine_reports_the_pinned_version() -> None:
    out = subprocess.run([str(ENGINE_BIN / "pulumi"), "version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == PINNED_VERSION
    for shim in ("pulumi-language-python", "pulumi-language-python-exec", "pulumi-resource-pulumi-python"):
        assert (ENGINE_BIN / shim).stat().st_mode & 0o111, f"{shim} must be executable"


def test_automation_api_up_preview_refresh_destroy(tmp_path: Path) -> None:
    target = tmp_path / "note.txt"

    def program() -> None:
        LocalFile("note", path=str(target), content="hello")

    workspace = workspace_options(tmp_path / "state", project="engine-smoke")
    stack = auto.create_or_select_stack("smoke", project_name="engine-smoke", program=program, opts=workspace)

    up = stack.up()
    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes.get("create") == 2  # the stack and the file
    assert target.read_text() == "hello"

    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}, preview.change_summary

    target.write_text("edited out of band")
    events: list[auto.EngineEvent] = []
    refresh = stack.refresh(on_event=events.append)
    assert refresh.summary.resource_changes.get("update") == 1
    outputs = stack.export_stack().deployment["resources"]
    assert any(r.get("outputs", {}).get("content") == "edited out of band" for r in outputs)

    destroy = stack.destroy()
    assert destroy.summary.result == "succeeded"
    assert not target.exists()
    stack.workspace.remove_stack("smoke")


def test_cli_preview_of_a_project_folder(tmp_path: Path) -> None:
    """`pulumi preview` through the CLI proves the language host and both shims work together."""
    env = engine_environment(tmp_path / "state")
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: cli-smoke
            runtime:
              name: python
              options:
                toolchain: pip
                virtualenv: {VENV}
            """
        )
    )
    (project / "__main__.py").write_text(
        textwrap.dedent(
            f"""\
            import pulumi
            from tests.engine.local_file import LocalFile
            note = LocalFile("note", path={str(tmp_path / 'cli-note.txt')!r}, content="from the CLI")
            pulumi.export("path", note.path)
            """
        )
    )

    def pulumi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ENGINE_BIN / "pulumi"), *args, "--non-interactive"],
            cwd=project, env=env, capture_output=True, text=True, timeout=300,
        )

    assert pulumi("stack", "init", "dev").returncode == 0
    result = pulumi("preview", "--diff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "+ 2 to create" in result.stdout, result.stdout
    assert "tests.engine.local_file" not in result.stderr
    assert not (tmp_path / "cli-note.txt").exists(), "preview must not create anything"
