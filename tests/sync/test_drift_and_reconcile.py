"""Drift detection and reconciliation against a fixed set of out-of-band changes, with the real engine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from pulumi import automation as auto

from devtools.platform import running_platform
from devtools.platform_dev import Dev
from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL, STACK_LABEL
from sync import report
from sync.drift import detect_drift
from sync.engine import PROJECT_ROOT
from sync.reconcile import reconcile
from sync.severity import Severity
from sync.stack import project_stack, scratch_project
from tests.support.diagrams import blocks, mermaid

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE = PROJECT_ROOT / "examples" / "metro-health.yaml"


def by_resource(tree, kind: str) -> dict:
    """Objects of one kind in a tree, by their Pulumi resource name label."""
    objects = {
        "clinic": tree.clinics,
        "waiting_area": [c.waiting_area for c in tree.clinics if c.waiting_area],
        "member": tree.members,
        "meeting_room": tree.meeting_rooms,
        "group_room": tree.group_rooms,
    }[kind]
    return {obj.labels.get(RESOURCE_LABEL): obj for obj in objects}


def forget_from_state(stack: auto.Stack, name: str) -> None:
    """`pulumi state delete` of one resource: it stays on the platform, an orphan."""
    state = stack.export_stack()
    resources = state.deployment["resources"]
    state.deployment["resources"] = [r for r in resources if not r["urn"].endswith(f"::{name}")]
    assert len(state.deployment["resources"]) == len(resources) - 1
    stack.import_stack(state)


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory):
    """The example applied, then changed behind the stack's back in seven ways."""
    root = tmp_path_factory.mktemp("drift")
    with running_platform(root / "platform") as platform, PlatformClient(platform.url, platform.operator_token) as client:
        spec = root / "spec.yaml"
        spec.write_text(EXAMPLE.read_text())
        project = scratch_project(root / "project")
        stack = project_stack("drift", api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=root / "state", work_dir=project)
        stack.up()
        org = next(client.organisations.list())
        tree = client.organisations.tree(org.id)
        client.clinics.update(by_resource(tree, "clinic")["metro.renal"].id, {"name": "Renal (temporary name)"})
        client.waiting_areas.update(by_resource(tree, "waiting_area")["metro.physio"].id,
                                    {"opening_hours": {"monday": {"open": "10:00", "close": "11:00", "breaks": []}}})
        client.waiting_areas.update(by_resource(tree, "waiting_area")["metro.cardiology"].id, {"enabled": False})
        client.members.update(by_resource(tree, "member")["metro.front-desk"].id, {"org_roles": ["admin"]})
        client.meeting_rooms.delete(by_resource(tree, "meeting_room")["metro.clinical-leads"].id)
        client.clinics.create(org.id, {"name": "Pop-up vaccination clinic"})
        forget_from_state(stack, "metro.physio-hydro-class")
        yield platform, client, stack, org, root


def test_drift_reports_exactly_the_changes_made(drifted) -> None:
    platform, client, stack, org, root = drifted
    found = detect_drift(stack, client, progress=lambda _line: None)
    reported = {(f.kind, f.object_kind, f.name, f.severity, tuple(c.name for c in f.changes)) for f in found.findings}
    assert reported == {
        ("changed", "Member", "metro.front-desk", Severity.CRITICAL, ("org_roles",)),
        ("changed", "WaitingArea", "metro.cardiology", Severity.HIGH, ("enabled",)),
        ("changed", "WaitingArea", "metro.physio", Severity.HIGH, ("opening_hours",)),
        ("deleted", "MeetingRoom", "metro.clinical-leads", Severity.MEDIUM, ()),
        ("orphaned", "GroupRoom", "metro.physio-hydro-class", Severity.MEDIUM, ()),
        ("changed", "Clinic", "metro.renal", Severity.LOW, ("name",)),
        ("unmanaged", "Clinic", "Pop-up vaccination clinic", Severity.LOW, ()),
    }
    assert [f.severity for f in found.findings] == sorted(f.severity for f in found.findings)
    renal = next(f for f in found.findings if f.name == "metro.renal")
    assert (renal.changes[0].before, renal.changes[0].after) == ("Metro Health Renal Clinic", "Renal (temporary name)")
    assert found.exit_code == 2
    assert found.total == found.managed + 2  # the orphan and the hand-made clinic


def test_drift_command_exit_code_and_reports(drifted) -> None:
    platform, client, stack, org, root = drifted
    env = {**os.environ, "VIDEOCALL_API_URL": platform.url, "VIDEOCALL_API_TOKEN": platform.operator_token}
    result = subprocess.run(
        [sys.executable, "-m", "sync", "drift", "--stack", "drift", "--spec", str(root / "spec.yaml"),
         "--state-dir", str(root / "state"), "--project-dir", str(root / "project"),
         "--markdown", str(root / "drift.md"), "--json", str(root / "drift.json")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith("Drift in stack drift: 1 critical, 2 high, 2 medium, 1 low.")
    data = json.loads((root / "drift.json").read_text())
    assert data["schema"] == "videocall-iac/drift-report" and data["exit_code"] == 2
    assert data["counts"] == {"critical": 1, "high": 2, "medium": 2, "low": 2}
    markdown = (root / "drift.md").read_text()
    assert "metro.front-desk" in markdown and "Pop-up vaccination clinic" in markdown
    assert "| `opening_hours.monday.open` | `07:30` | `10:00` |" in markdown, "the changed leaf, declared → live"
    assert "      org_roles: — → [\"admin\"]" in result.stdout
    assert not re.search(r"\b(cln|mbr|org)_[0-9A-Za-z]{8}|iac\.videocall/", markdown + result.stdout), "spec keys, not ids"
    for text in (result.stdout, result.stderr, markdown, json.dumps(data)):
        assert platform.operator_token not in text
        assert "waiting_count" not in text


def test_drift_report_draws_what_was_found(drifted) -> None:
    platform, client, stack, org, root = drifted
    text = report.markdown(detect_drift(stack, client, progress=lambda _line: None))
    with mermaid() as page:
        drawn = page.render(blocks(text)[0])
    for label, status in [("Renal (temporary name)\nclinic · drifted", "drifted"),
                          ("Physio waiting area\nwaiting area · drifted", "drifted"),
                          ("Cardiology waiting area\nwaiting area · drifted", "drifted"),
                          ("(organisation roles)\ndrifted: Front desk", "drifted"),
                          ("metro.clinical-leads\nmeeting room · deleted", "deleted"),
                          ("Hydrotherapy group class\ngroup room · orphaned", "orphaned"),
                          ("Pop-up vaccination clinic\nclinic · unmanaged", "unmanaged"),
                          ("2 clinics unchanged", "unchanged")]:
        assert status in drawn.node(label).classes, label


def test_reconcile_repairs_drift_and_leaves_unmanaged_alone(drifted) -> None:
    platform, client, stack, org, root = drifted
    result = reconcile(stack, client, progress=lambda _line: None)
    assert result.refused is None
    after = detect_drift(stack, client, progress=lambda _line: None)
    assert after.exit_code == 0, [f for f in after.findings]
    assert [(f.kind, f.name) for f in after.findings] == [("unmanaged", "Pop-up vaccination clinic")]
    tree = client.organisations.tree(org.id)
    popup = next(c for c in tree.clinics if c.name == "Pop-up vaccination clinic")
    assert STACK_LABEL not in popup.labels and popup.version == 1
    assert len([r for r in tree.group_rooms if r.name == "Hydrotherapy group class"]) == 1, "orphan adopted, not doubled"
    assert by_resource(tree, "waiting_area")["metro.cardiology"].enabled is True
    assert by_resource(tree, "member")["metro.front-desk"].org_roles == []


def test_reconcile_never_disables_a_waiting_area_with_callers(drifted) -> None:
    platform, client, stack, org, root = drifted
    spec = root / "spec.yaml"
    spec.write_text(spec.read_text().replace(
        "        waiting_area:\n          name: Renal waiting area\n",
        "        waiting_area:\n          name: Renal waiting area\n          enabled: false\n", 1))
    area = by_resource(client.organisations.tree(org.id), "waiting_area")["metro.renal"]
    Dev.of(client).join_callers(area.id, 3)
    result = reconcile(stack, client, progress=lambda _line: None)
    assert result.refused and "3 caller(s) are waiting" in result.refused
    assert client.waiting_areas.get(area.id).enabled is True
    Dev.of(client).leave_callers(area.id, 3)
