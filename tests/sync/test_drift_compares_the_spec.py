"""Drift compares the spec with the platform, whatever the state holds — even after a by-hand `pulumi refresh`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL
from sync.drift import detect_drift
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack, scratch_project
from tests.support.platform import running_platform

pytestmark = pytest.mark.engine

EXAMPLE = PROJECT_ROOT / "examples" / "metro-health.yaml"


@contextmanager
def applied_example(tmp_path: Path) -> Iterator[tuple[auto.Stack, PlatformClient, Path]]:
    """The example spec applied to a private platform: its stack, a client, and the spec file to edit."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(EXAMPLE.read_text())
    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        stack = project_stack("truth", api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.up()
        yield stack, client, spec


def test_a_refresh_by_hand_does_not_hide_drift_and_unapplied_spec_edits_show(tmp_path: Path) -> None:
    with applied_example(tmp_path) as (stack, client, spec):
        org = next(client.organisations.list())
        renal = next(c for c in client.organisations.tree(org.id).clinics
                     if c.labels[RESOURCE_LABEL] == "metro.renal")
        client.clinics.update(renal.id, {"name": "Renal (temporary name)"})
        stack.refresh()  # someone follows the 412 advice: the state now holds the hand-made name

        found = detect_drift(stack, client, progress=lambda _line: None)
        assert found.exit_code == 2
        changed = next(f for f in found.findings if f.name == "metro.renal")
        assert changed.kind == "changed"
        assert [(c.name, c.before, c.after) for c in changed.changes] == [
            ("name", "Metro Health Renal Clinic", "Renal (temporary name)")]

        edited = yaml.safe_load(spec.read_text())
        edited["organisations"][0]["clinics"].append({"key": "dermatology", "name": "Metro Dermatology"})
        admin = edited["organisations"][0]["people"][0]
        admin.setdefault("clinic_roles", []).append({"clinic": "dermatology", "roles": ["admin"]})
        spec.write_text(yaml.safe_dump(edited, sort_keys=False))
        found = detect_drift(stack, client, progress=lambda _line: None)
        assert ("missing", "Clinic", "metro.dermatology") in {(f.kind, f.object_kind, f.name) for f in found.findings}


def test_a_meeting_room_made_by_hand_with_people_in_it_is_an_access_finding(tmp_path: Path) -> None:
    with applied_example(tmp_path) as (stack, client, _spec):
        org = next(client.organisations.list())
        people = [m.id for m in client.organisations.tree(org.id).members][:2]
        client.meeting_rooms.create({"name": "Side channel", "member_ids": people, "max_participants": 6},
                                    organisation_id=org.id)
        found = detect_drift(stack, client, progress=lambda _line: None)
        room = next(f for f in found.findings if f.name == "Side channel")
        assert (room.kind, room.severity.label, room.audience) == ("unmanaged", "critical", "organisation admins")
        assert found.exit_code == 2
