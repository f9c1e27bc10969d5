"""Select a stack of this project through the Automation API, with the platform's URL, token and spec."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pulumi import automation as auto

from platform_client.client import TOKEN_VARIABLE
from resources.connection import API_TOKEN_CONFIG

from sync.engine import ENGINE_BIN, PROJECT_ROOT, VENV, engine_environment


def project_stack(
    stack_name: str, *, api_url: str, api_token: str, spec: str, state_dir: Path | None = None,
    work_dir: Path = PROJECT_ROOT,
) -> auto.Stack:
    """The stack `stack_name` of the project in `work_dir` (created if new), configured for the platform.

    The token reaches the providers through the engine's environment, not stack config, so the state
    holds no trace of it (stack config would keep it there, encrypted).
    """
    workspace = workspace_options(state_dir, work_dir=work_dir)
    workspace.env_vars = {**(workspace.env_vars or {}), TOKEN_VARIABLE: api_token}
    stack = auto.create_or_select_stack(stack_name, work_dir=str(work_dir), opts=workspace)
    stack.set_all_config({"videocall:apiUrl": auto.ConfigValue(api_url), "videocall:spec": auto.ConfigValue(spec)})
    if API_TOKEN_CONFIG in stack.get_all_config():
        stack.remove_config(API_TOKEN_CONFIG)
    return stack


def workspace_options(
    state_dir: Path | None, *, work_dir: Path | None = None, project: str | None = None
) -> auto.LocalWorkspaceOptions:
    """Workspace options for the pinned engine and a local state backend; `project` names an inline program's."""
    env = engine_environment(state_dir)
    settings = None
    if project is not None:
        runtime = auto.ProjectRuntimeInfo(name="python", options={"virtualenv": str(VENV)})
        settings = auto.ProjectSettings(name=project, runtime=runtime)
    return auto.LocalWorkspaceOptions(
        work_dir=str(work_dir) if work_dir else None,
        env_vars=env,
        pulumi_home=env["PULUMI_HOME"],
        pulumi_command=auto.PulumiCommand(root=str(ENGINE_BIN.parent), skip_version_check=True),
        project_settings=settings,
        secrets_provider="passphrase",
    )


def scratch_project(folder: Path) -> Path:
    """A project folder whose program is this repository's, so stack files stay out of the repository."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(textwrap.dedent(f"""\
        name: videocall-iac
        main: {PROJECT_ROOT}
        runtime:
          name: python
          options:
            toolchain: pip
            virtualenv: {VENV}
        """))
    return folder
