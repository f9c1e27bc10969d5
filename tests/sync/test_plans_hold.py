"""What a plan promises, `up` and `reconcile` do: role moves keep an admin at every step, and the platform's own
version bumps (a person accepting their invitation) are not conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from devtools.platform_dev import Dev
from resources.ownership import RESOURCE_LABEL
from sync.drift import detect_drift
from sync.reconcile import applied_summary, reconcile
from tests.support.applied import applied_example

pytestmark = pytest.mark.engine


def test_reconcile_moves_the_organisation_admin_back_without_ever_leaving_none(tmp_path: Path) -> None:
    with applied_example(tmp_path, "roles") as applied:
        stack, client = applied.stack, applied.client
        org = next(client.organisations.list())
        people = {m.labels[RESOURCE_LABEL]: m for m in client.organisations.tree(org.id).members}
        # By hand: admin given to a second person, then taken from the declared admin.
        client.members.update(people["metro.sam-coordinator"].id, {"org_roles": ["admin", "coordinator", "reporter"]})
        client.members.update(people["metro.alex-admin"].id, {"org_roles": []})

        for _ in range(2):  # a second reconcile finds nothing left to do
            result = reconcile(stack, client, progress=lambda _line: None)
            assert result.refused is None
        after = {m.labels[RESOURCE_LABEL]: m for m in client.organisations.tree(org.id).members}
        assert after["metro.alex-admin"].org_roles == ["admin"]
        assert "admin" not in after["metro.sam-coordinator"].org_roles
        assert detect_drift(stack, client, progress=lambda _line: None).exit_code == 0


def test_a_person_accepting_their_invitation_is_no_conflict_for_the_next_edit(tmp_path: Path) -> None:
    with applied_example(tmp_path, "invited") as applied:
        stack, client, spec = applied.stack, applied.client, applied.spec
        org = next(client.organisations.list())
        nurse = next(m for m in client.organisations.tree(org.id).members
                     if m.labels[RESOURCE_LABEL] == "metro.nurse-patel")
        accepted = Dev.of(client).accept_invitation(nurse.id)
        assert accepted.version > nurse.version
        edited = yaml.safe_load(spec.read_text())
        person = next(p for p in edited["organisations"][0]["people"] if p["key"] == "nurse-patel")
        person["display_name"] = "Priya Patel (Charge Nurse)"
        spec.write_text(yaml.safe_dump(edited, sort_keys=False))
        stack.up()
        assert client.members.get(nurse.id).display_name == "Priya Patel (Charge Nurse)"

        client.members.update(nurse.id, {"display_name": "Changed by hand"})  # a real conflict still is one
        person["display_name"] = "Priya Patel"
        spec.write_text(yaml.safe_dump(edited, sort_keys=False))
        with pytest.raises(Exception, match="changed on the platform since Pulumi last read it"):
            stack.up()


def test_removing_a_clinic_with_its_waiting_area_and_its_admin_applies_as_previewed(tmp_path: Path) -> None:
    with applied_example(tmp_path, "shrink") as applied:
        stack, client, spec = applied.stack, applied.client, applied.spec
        edited = yaml.safe_load(spec.read_text())
        org = edited["organisations"][0]
        org["clinics"] = [clinic for clinic in org["clinics"] if clinic["key"] != "cardiology"]
        for person in org["people"]:
            person["clinic_roles"] = [g for g in person.get("clinic_roles", []) if g["clinic"] != "cardiology"]
        for room in org["meeting_rooms"]:  # without a clinic of their own, they may use no meeting room
            room["members"] = [key for key in room.get("members", []) if key != "dr-okafor"]
        spec.write_text(yaml.safe_dump(edited, sort_keys=False))

        planned = stack.preview().change_summary
        assert planned.get("delete") == 3  # the clinic, its waiting area and Dr Okafor's user room there
        applied = stack.up().summary.resource_changes or {}
        assert {op: n for op, n in applied.items() if op != "same"} == {op: n for op, n in planned.items()
                                                                          if op != "same"}
        tree = client.organisations.tree(next(client.organisations.list()).id)
        assert "Metro Health Cardiology" not in [c.name for c in tree.clinics]
        okafor = next(m for m in tree.members if m.labels[RESOURCE_LABEL] == "metro.dr-okafor")
        assert okafor.clinic_roles == []
        assert detect_drift(stack, client, progress=lambda _line: None).exit_code == 0


def test_a_clinic_deleted_by_hand_and_restored_by_reconcile_calls_out_its_new_entry_link(tmp_path: Path) -> None:
    with applied_example(tmp_path, "relink") as applied:
        stack, client = applied.stack, applied.client
        old_links = stack.outputs()["metro.entry_links"].value
        org = next(client.organisations.list())
        physio = next(c for c in client.organisations.tree(org.id).clinics if c.labels[RESOURCE_LABEL] == "metro.physio")
        client.clinics.delete(physio.id, cascade=True)

        result = reconcile(stack, client, progress=lambda _line: None)
        assert result.refused is None
        old, new = result.entry_links_changed["metro.physio"]
        assert old == old_links["physio"] and new and new != old
        summary = applied_summary(result)
        assert summary.splitlines()[0].startswith("  PATIENT ENTRY LINK CHANGED for waiting area metro.physio")
        assert old in summary and new in summary
