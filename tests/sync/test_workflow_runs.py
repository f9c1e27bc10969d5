"""The two workflows run here, step by step, on a fresh checkout, against state in PostgreSQL and a real platform.

Their bash steps run as written; their github-script steps run in node against a stand-in of GitHub's issues
API that records every call; the released `pulumi` that pulumi/actions installs is played by this project's
engine on PATH. The stack is applied first from another checkout, as the team's deploy would.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL
from sync.engine import PROJECT_ROOT
from sync.preview import MARKER
from tests.support.checkout import Runner, checkout, install_engine, succeeded
from tests.support.github_api import GitHubStandIn, github_stand_in
from tests.support.postgres import RunningPostgres
from tests.support.workflow import JobRun, event_file, run_job

pytestmark = [pytest.mark.engine, pytest.mark.slow]

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
PINNED_PULUMI = "3.274.1"
RENAL = "Metro Health Renal Clinic"
TITLE = "Drift detected in stack dev"


@dataclass
class Team:
    """What the workflows run against: the platform, the state database, GitHub, and the repository's secrets."""

    root: Path
    platform: RunningPlatform
    github: GitHubStandIn
    secrets: dict[str, str]
    released_pulumi: Path
    runs: Iterator[int] = field(default_factory=itertools.count)

    def job(self, workflow: str, *, event: dict[str, Any] | None = None,
            edit: Callable[[Path], None] | None = None, **secrets: str) -> JobRun:
        """Run a workflow's job on a fresh checkout (edited by `edit`), with some secrets changed."""
        workspace = checkout(self.root / f"run-{next(self.runs)}", with_engine=False)
        if edit:
            edit(workspace)
        base_env = {"PATH": os.environ["PATH"], "HOME": str(self.root / "home"), "CI": "true", "GITHUB_ACTIONS": "true",
                    "GITHUB_API_URL": self.github.url, "GITHUB_REPOSITORY": "clinic-it/videocall-iac",
                    "GITHUB_TOKEN": "ghs_stand_in", "GITHUB_EVENT_PATH": str(event_file(workspace.parent, event or {}))}
        contexts = {"secrets": {**self.secrets, **secrets}, "vars": {}, "inputs": {}, "github": {"event": event or {}}}
        return run_job(WORKFLOWS / workflow, workspace, contexts=contexts, base_env=base_env, actions=self.actions())

    def actions(self) -> dict[str, Callable[[JobRun, dict[str, Any]], None]]:
        """Stand-ins for the actions the workflows use (the workspace is already checked out)."""
        def install_pulumi(run: JobRun, step: dict[str, Any]) -> None:
            assert str(step["with"]["pulumi-version"]) == PINNED_PULUMI
            run.path.insert(0, str(self.released_pulumi))

        def nothing(_run: JobRun, _step: dict[str, Any]) -> None:
            pass

        return {"actions/checkout": nothing, "actions/setup-python": nothing, "actions/upload-artifact": nothing,
                "pulumi/actions": install_pulumi}

    def rename_renal(self, name: str) -> None:
        """Rename the renal clinic on the platform, as someone in the admin screens would."""
        with PlatformClient(self.platform.url, self.platform.operator_token) as client:
            organisation = next(client.organisations.list())
            renal = next(c for c in client.organisations.tree(organisation.id).clinics
                         if c.labels[RESOURCE_LABEL] == "metro.renal")
            client.clinics.update(renal.id, {"name": name})


@pytest.fixture(scope="module")
def team(postgres: RunningPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """The example applied by a deploy from another checkout, its state in PostgreSQL; GitHub stood in for.

    The workflows get a read-only organisation token: they never write to the platform.
    """
    root = tmp_path_factory.mktemp("team")
    with running_platform(root / "platform") as platform, github_stand_in() as github:
        backend_url = postgres.url("workflows")
        deploy = Runner.at(root / "deploy", api_url=platform.url, api_token=platform.operator_token,
                           backend_url=backend_url)
        succeeded(deploy.sync("up"))
        with PlatformClient(platform.url, platform.operator_token) as client:
            read_only = platform.create_token(next(client.organisations.list()).id, "read_only")
        secrets = {"VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": read_only,
                   "PULUMI_BACKEND_URL": backend_url, "PULUMI_CONFIG_PASSPHRASE": deploy.env["PULUMI_CONFIG_PASSPHRASE"]}
        (root / "home").mkdir()
        yield Team(root, platform, github, secrets, install_engine(root / "pulumi-release" / "bin"))


def test_drift_opens_one_issue_updates_it_and_closes_it_back_in_sync(team: Team, postgres: RunningPostgres) -> None:
    github = team.github
    in_sync = team.job("drift.yml")
    assert not in_sync.failed and in_sync.step("Close").outcome == "success", in_sync.log()
    assert f"using pulumi v{PINNED_PULUMI} found at {team.released_pulumi}" in in_sync.step("Set up").output
    assert github.issues == {} and not any(call.startswith(("POST", "PATCH")) for call in github.calls)

    team.rename_renal("Renal (temporary name)")
    opened = team.job("drift.yml")
    assert not opened.failed and opened.step("Open or update").outcome == "success", opened.log()
    (issue,) = github.open_issues()
    assert issue["title"] == TITLE and "Renal (temporary name)" in issue["body"]

    team.rename_renal("Renal (second name)")
    updated = team.job("drift.yml")
    assert not updated.failed, updated.log()
    assert github.open_issues() == [issue] and "Renal (second name)" in issue["body"], "a second issue was opened"
    assert github.calls[-1] == f"PATCH /repos/clinic-it/videocall-iac/issues/{issue['number']}"

    calls = len(github.calls)
    no_state = team.job("drift.yml", PULUMI_BACKEND_URL=postgres.url("no_state_here"))
    assert no_state.failed and no_state.step("Drift").outcome == "failure", no_state.log()
    assert "stack dev does not exist in the state backend" in no_state.step("Drift").output
    assert no_state.step("Close").outcome == no_state.step("Open or update").outcome == "skipped"
    assert github.calls[calls:] == [] and github.open_issues() == [issue], "the issue did not stay open"

    team.rename_renal(RENAL)
    closed = team.job("drift.yml")
    assert not closed.failed and closed.step("Close").outcome == "success", closed.log()
    assert github.open_issues() == [] and issue["state"] == "closed"
    assert [c["body"] for c in github.comments.values()] == ["The stack is back in sync."]


def test_preview_comments_once_then_edits_its_comment(team: Team) -> None:
    github = team.github
    number = github.add_pull_request("Add a dermatology clinic")
    github.add_comment(number, f"{MARKER} quoted by a person", {"login": "dr-nguyen", "type": "User"})
    event = {"pull_request": {"number": number}}

    first = team.job("preview.yml", event=event)
    assert not first.failed and first.step("Comment").outcome == "success", first.log()
    assert first.step("Fail").outcome == "skipped"
    (comment,) = bot_comments(github, number)
    assert comment["body"].startswith(MARKER) and "no changes" in comment["body"].lower()

    second = team.job("preview.yml", event=event, edit=add_dermatology)
    assert not second.failed, second.log()
    assert bot_comments(github, number) == [comment] and "Metro Dermatology" in comment["body"], "not edited in place"
    assert github.calls[-1] == f"PATCH /repos/clinic-it/videocall-iac/issues/comments/{comment['id']}"

    broken = team.job("preview.yml", event=event, edit=lambda folder: spec(folder).write_text("organisations: 7\n"))
    assert broken.failed and broken.step("Fail").outcome == "failure", broken.log()
    assert broken.step("Comment").outcome == "success" and bot_comments(github, number) == [comment]
    assert "organisations" in comment["body"] and "Metro Dermatology" not in comment["body"]
    person = [c for c in github.comments.values() if c["issue_number"] == number and c["user"]["type"] == "User"]
    assert [c["body"] for c in person] == [f"{MARKER} quoted by a person"], "the person's comment was touched"


@pytest.mark.parametrize("workflow", ["drift.yml", "preview.yml"])
def test_a_missing_secret_fails_the_first_step_and_nothing_runs(team: Team, workflow: str) -> None:
    calls = len(team.github.calls)
    run = team.job(workflow, event={"pull_request": {"number": 1}}, PULUMI_BACKEND_URL="")
    assert run.failed and run.results[1].outcome == "failure"
    assert "::error::set the repository secrets PULUMI_BACKEND_URL" in run.results[1].output
    assert all(result.outcome == "skipped" for result in run.results[2:] if result.name != "Keep the reports")
    assert team.github.calls[calls:] == []


def bot_comments(github: GitHubStandIn, number: int) -> list[dict[str, Any]]:
    """The Actions bot's comments on a pull request."""
    return [c for c in github.comments.values() if c["issue_number"] == number and c["user"]["type"] == "Bot"]


def spec(folder: Path) -> Path:
    """The example spec of a checkout (the spec the workflows preview and check by default)."""
    return folder / "examples" / "metro-health.yaml"


def add_dermatology(folder: Path) -> None:
    """The pull request's change: a new clinic in the example spec."""
    data = yaml.safe_load(spec(folder).read_text())
    data["organisations"][0]["clinics"].append({"key": "dermatology", "name": "Metro Dermatology"})
    admin = data["organisations"][0]["people"][0]
    admin.setdefault("clinic_roles", []).append({"clinic": "dermatology", "roles": ["admin"]})
    spec(folder).write_text(yaml.safe_dump(data, sort_keys=False))
