"""Drift compares the spec with the platform, whatever the state holds — even after a by-hand `pulumi refresh`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from resources.ownership import RESOURCE_LABEL
from sync.drift import detect_drift
from tests.support.applied import applied_example

pytestmark = pytest.mark.engine


def test_a_refresh_by_hand_does_not_hide_drift_and_unapplied_spec_edits_show(tmp_path: Path) -> None:
    with applied_example(tmp_path, "truth") as applied:
        stack, client, spec = applied.stack, applied.client, applied.spec
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
    with applied_example(tmp_path, "access") as applied:
        stack, client = applied.stack, applied.client
        org = next(client.organisations.list())
        people = [m.id for m in client.organisations.tree(org.id).members  # people who may use meeting rooms
                  if "admin" in m.org_roles or any(entry.permissions.meeting_rooms for entry in m.clinic_roles)][:2]
        client.meeting_rooms.create({"name": "Side channel", "member_ids": people, "max_participants": 6},
                                    organisation_id=org.id)
        found = detect_drift(stack, client, progress=lambda _line: None)
        room = next(f for f in found.findings if f.name == "Side channel")
        assert (room.kind, room.severity.label, room.audience) == ("unmanaged", "critical", "organisation admins")
        assert found.exit_code == 2
