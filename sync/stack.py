"""Select a stack of this project through the Automation API, with the platform's URL, token and spec."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pulumi import automation as auto

from resources.errors import StackMissing
from resources.settings import API_TOKEN, API_URL, SPEC
from sync.engine import ENGINE_BIN, PROJECT_ROOT, VENV, engine_environment, redacted_backend
from sync.state_backend import BackendAwareCommand, checked_backend_url


PROJECT_NAME = "videocall-iac"
"""The Pulumi project's name (Pulumi.yaml), which state backends file stacks under."""


def project_stack(
    stack_name: str, *, state_dir: Path | None = None, work_dir: Path = PROJECT_ROOT, create: bool = True,
    api_url: str | None = None, api_token: str | None = None, spec: str | None = None,
) -> auto.Stack:
    """The stack `stack_name` of the project in `work_dir` (created if new and `create`), for this run.

    The platform and the spec reach the program and its providers through the engine's environment, never
    stack config: the state holds no trace of the token, and the user's stack config is left as they set it.
    """
    workspace = workspace_options(state_dir, work_dir=work_dir)
    run_settings = {API_URL.variable: api_url, API_TOKEN.variable: api_token, SPEC.variable: spec}
    workspace.env_vars = {**(workspace.env_vars or {}), **{k: v for k, v in run_settings.items() if v}}
    if create:
        return auto.create_or_select_stack(stack_name, work_dir=str(work_dir), opts=workspace)
    try:
        return auto.select_stack(stack_name, work_dir=str(work_dir), opts=workspace)
    except auto.StackNotFoundError:
        backend = workspace.env_vars.get("PULUMI_BACKEND_URL", "?")
        raise StackMissing(
            f"stack {stack_name} does not exist in the state backend {redacted_backend(backend)}: "
            "run `python -m sync up` first, or point PULUMI_BACKEND_URL (or --state-dir) at the stack's state"
        ) from None


def workspace_options(
    state_dir: Path | None, *, work_dir: Path | None = None, project: str | None = None
) -> auto.LocalWorkspaceOptions:
    """Workspace options for the pinned engine and a local state backend; `project` names an inline program's."""
    env = engine_environment(state_dir)
    checked_backend_url(env["PULUMI_BACKEND_URL"])
    settings = None
    if project is not None:
        runtime = auto.ProjectRuntimeInfo(name="python", options={"virtualenv": str(VENV)})
        settings = auto.ProjectSettings(name=project, runtime=runtime)
    return auto.LocalWorkspaceOptions(
        work_dir=str(work_dir) if work_dir else None,
        env_vars=env,
        pulumi_home=env["PULUMI_HOME"],
        pulumi_command=BackendAwareCommand(root=str(ENGINE_BIN.parent), skip_version_check=True),
        project_settings=settings,
        secrets_provider="passphrase",
    )


def scratch_project(folder: Path) -> Path:
    """A project folder whose program is this repository's, so stack files stay out of the repository."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(textwrap.dedent(f"""\
        name: {PROJECT_NAME}
        main: {PROJECT_ROOT}
        runtime:
          name: python
          options:
            toolchain: pip
            virtualenv: {VENV}
        """))
    return folder
