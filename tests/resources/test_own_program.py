"""examples/own-program, a Pulumi project of a user's own, runs on the installed package: up, an empty preview, destroy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi import automation as auto

from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.engine import ENGINE_BIN, PROJECT_ROOT, VENV, engine_environment
from sync.state_backend import BackendAwareCommand

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE_PROGRAM = PROJECT_ROOT / "examples" / "own-program"


def users_environment(state_dir: Path) -> dict[str, str]:
    """The engine's environment as a user's project has it: nothing points at this checkout's code or virtualenv."""
    env = engine_environment(state_dir)
    for borrowed in ("PYTHONPATH", "PULUMI_PYTHON_CMD"):
        env.pop(borrowed, None)
    env["PATH"] = os.pathsep.join(part for part in env["PATH"].split(os.pathsep) if part != str(VENV / "bin"))
    return env


def test_the_example_program_applies_previews_clean_and_destroys_on_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    project = tmp_path / "own-program"
    shutil.copytree(EXAMPLE_PROGRAM, project, ignore=shutil.ignore_patterns("venv", "__pycache__", "Pulumi.*.yaml"))
    (project / "venv").symlink_to(installed.parent)  # what `python -m venv venv && pip install …` makes
    env = users_environment(tmp_path / "state")
    where = subprocess.run([project / "venv" / "bin" / "python", "-c", "import resources; print(resources.__file__)"],
                           cwd=project, env=env, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).resolve().is_relative_to(installed.parent.resolve()), "the program's `resources` is the installed one"

    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        stack = auto.create_or_select_stack("dev", work_dir=str(project), opts=auto.LocalWorkspaceOptions(
            work_dir=str(project), env_vars=env, pulumi_home=env["PULUMI_HOME"], secrets_provider="passphrase",
            pulumi_command=BackendAwareCommand(root=str(ENGINE_BIN.parent), skip_version_check=True)))
        stack.set_config("videocall:apiUrl", auto.ConfigValue(platform.url))
        stack.set_config("videocall:apiToken", auto.ConfigValue(platform.operator_token, secret=True))

        applied = stack.up(color="never")
        assert applied.outputs["entry_link"].value.startswith(f"{platform.url}/join/")
        (org,) = list(client.organisations.list())
        tree = client.organisations.tree(org.id)
        assert [clinic.name for clinic in tree.clinics] == ["Riverside Renal Clinic"]
        assert tree.clinics[0].waiting_area is not None
        assert tree.clinics[0].waiting_area.entry_fields[0].label == "Date of birth"
        assert sorted(member.display_name for member in tree.members) == ["Ali Hassan", "Dr Mei Lee"]

        planned = stack.preview(color="never").change_summary
        assert {op for op, count in planned.items() if count and op != "same"} == set(), planned

        stack.destroy(color="never")
        assert list(client.organisations.list()) == []
        state = "".join(path.read_text() for path in (tmp_path / "state").rglob("*.json"))
        assert platform.operator_token not in state, "the token is kept only as ciphertext"


def test_the_example_program_and_the_resources_pass_the_type_checker() -> None:
    checked = subprocess.run([sys.executable, "-m", "mypy", "resources", str(EXAMPLE_PROGRAM / "__main__.py")],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_type_checker_catches_a_wrong_argument(tmp_path: Path) -> None:
    program = tmp_path / "wrong.py"
    program.write_text(
        "from resources import Clinic, Organisation, WaitingArea, WaitingAreaSettings\n"
        "org = Organisation('o', key='o', name='O')\n"
        "clinic = Clinic('o.c', organisation=org, key='c', name='C', timezone='Australia/Perth')\n"
        "WaitingArea('o.c', clinic=org, settings=WaitingAreaSettings(name='Front door', enabled='yes'))\n"
    )
    checked = subprocess.run([sys.executable, "-m", "mypy", str(program)], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=600)
    assert checked.returncode == 1
    assert 'Argument "clinic" to "WaitingArea" has incompatible type "Organisation"' in checked.stdout, checked.stdout
    assert '"enabled"' in checked.stdout and '"bool"' in checked.stdout, checked.stdout
