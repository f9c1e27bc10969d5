"""`python -m sync adopt`: spec entries for objects made by hand validate, and `up` adopts them without duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from devtools.platform import RunningPlatform
import schemas
from platform_client import PlatformClient
from resources.ownership import PROJECT_LABEL, RESOURCE_LABEL, STACK_LABEL
from sync.__main__ import main
from sync.adopt import merged, slug, unique
from sync.stack import project_stack, scratch_project

HOURS = {"monday": {"open": "09:00", "close": "17:00", "breaks": [{"start": "12:00", "end": "12:30"}]},
         "thursday": {"open": "13:00", "close": "19:00", "breaks": []}}


def owned(stack: str, resource: str) -> dict[str, str]:
    """Ownership labels as the program writes them."""
    return {PROJECT_LABEL: "videocall-iac", STACK_LABEL: stack, RESOURCE_LABEL: resource}


def adopt(platform: RunningPlatform, monkeypatch: pytest.MonkeyPatch, out: Path, *args: str) -> int:
    """Run the command against the platform, writing to `out`."""
    monkeypatch.setenv("VIDEOCALL_API_URL", platform.url)
    monkeypatch.setenv("VIDEOCALL_API_TOKEN", platform.operator_token)
    return main(["adopt", "--out", str(out), *args])


def test_keys_are_slugs_unique_and_well_formed() -> None:
    taken = {"renal"}
    assert unique(slug("Renal", "clinic"), taken) == "renal-2"
    assert unique(slug("Renal", "clinic"), taken) == "renal-3"
    assert slug("Dr Zoë O'Brien", "person") == "dr-zoe-o-brien"
    assert slug("24/7 Triage", "clinic") == "clinic-24-7-triage"
    assert slug("???", "room") == "room"
    long = unique(slug("x" * 100, "room"), {"x" * 63})
    assert len(long) == 63 and long.endswith("-2")


def test_merge_adds_to_entries_with_the_same_key() -> None:
    spec = {"organisations": [{"key": "metro", "name": "Metro", "clinics": [{"key": "renal", "name": "Renal"}],
                               "people": [{"key": "al", "clinic_roles": [{"clinic": "renal", "roles": ["admin"]}]}]}]}
    entries = {"organisations": [{"key": "metro", "clinics": [{"key": "renal", "group_rooms": [{"key": "g"}]},
                                                                {"key": "skin", "name": "Skin"}],
                                  "people": [{"key": "al", "clinic_roles": [{"clinic": "skin", "roles": ["admin"]}]}]}]}
    org = merged(spec, entries)["organisations"][0]
    assert org["name"] == "Metro"
    assert org["clinics"] == [{"key": "renal", "name": "Renal", "group_rooms": [{"key": "g"}]}, {"key": "skin", "name": "Skin"}]
    assert org["people"][0]["clinic_roles"] == [{"clinic": "renal", "roles": ["admin"]}, {"clinic": "skin", "roles": ["admin"]}]


def test_entries_for_a_managed_organisation_merge_into_its_spec(
    platform_server_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = platform_server_factory()
    with PlatformClient(platform.url, platform.operator_token) as client:
        org = client.organisations.create({"name": "Metro Health", "labels": owned("dev", "metro")})
        renal = client.clinics.create(org.id, {"name": "Metro Renal", "labels": owned("dev", "metro.renal")})
        alex = client.members.create(org.id, {
            "email": "alex@metro.example", "display_name": "Alex", "org_roles": ["admin"],
            "clinic_roles": [{"clinic_id": renal.id, "roles": ["admin"]}], "labels": owned("dev", "metro.alex")})
        # By hand: a clinic whose name makes the key `renal` (taken), its admin, a waiting area and a room in ours.
        extra = client.clinics.create(org.id, {"name": "Renal"})
        client.members.update(alex.id, {"clinic_roles": [{"clinic_id": renal.id, "roles": ["admin"]},
                                                         {"clinic_id": extra.id, "roles": ["admin"]}]})
        client.waiting_areas.create(renal.id, {"name": "Renal waiting", "opening_hours": HOURS,
                                               "transfer_targets": [extra.id]})
        client.group_rooms.create({"name": "Dialysis class", "max_participants": 12}, clinic_id=renal.id)

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"version": 1, "organisations": [{
        "key": "metro", "name": "Metro Health",
        "clinics": [{"key": "renal", "name": "Metro Renal"}],
        "people": [{"key": "alex", "email": "alex@metro.example", "display_name": "Alex", "org_roles": ["admin"],
                    "clinic_roles": [{"clinic": "renal", "roles": ["admin"]}]}],
    }]}))
    out = tmp_path / "adopted.yaml"
    assert adopt(platform, monkeypatch, out, "--organisation", org.id, "--spec", str(spec)) == 0

    entries = yaml.safe_load(out.read_text())
    assert entries["organisations"] == [{
        "key": "metro",
        "clinics": [
            {"key": "renal",
             "waiting_area": {"name": "Renal waiting", "opening_hours": HOURS | {"thursday": {"open": "13:00", "close": "19:00"}}},
             "group_rooms": [{"key": "dialysis-class", "name": "Dialysis class", "max_participants": 12}]},
            {"key": "renal-2", "name": "Renal"},
        ],
        "people": [{"key": "alex", "clinic_roles": [{"clinic": "renal-2", "roles": ["admin"]}]}],
    }]
    full = schemas.validate_spec_data(merged(yaml.safe_load(spec.read_text()), entries))
    assert [clinic.key for clinic in full.organisations[0].clinics] == ["renal", "renal-2"]


def test_unknown_organisation_is_an_error(platform_server_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    platform = platform_server_factory()
    assert adopt(platform, monkeypatch, tmp_path / "out.yaml", "--organisation", "Nowhere Health") == 1
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.engine
@pytest.mark.slow
def test_up_adopts_the_written_entries_without_duplicates(
    platform_server_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = platform_server_factory()
    client = PlatformClient(platform.url, platform.operator_token)
    org = client.organisations.create({"name": "Harbour Health", "timezone": "Australia/Perth", "labels": {"cost-centre": "77"},
                                       "information": {"custom_url": "harbour", "support_message": "Call 08 6000 0000"}})
    skin = client.clinics.create(org.id, {"name": "Harbour Skin Clinic"})
    physio = client.clinics.create(org.id, {"name": "Harbour Physio", "timezone": "Australia/Darwin"})
    area = client.waiting_areas.create(skin.id, {
        "name": "Skin waiting area", "opening_hours": HOURS, "confirm_call_entry": True,
        "entry_fields": [{"label": "Date of birth", "type": "date", "required": True}],
        "automated_messages": [{"after_minutes": 5, "text": "Thanks for waiting."}],
        "shared_for_transfers": True, "call_locks": True, "connection_check": "strict",
        "joining": {"guest_photo": "optional"}, "new_caller_alerts": [{"channel": "desktop"}]})
    ana = client.members.create(org.id, {
        "email": "ana@harbour.example", "display_name": "Ana Admin", "org_roles": ["admin"],
        "clinic_roles": [{"clinic_id": skin.id, "roles": ["admin"]}, {"clinic_id": physio.id, "roles": ["admin"]}],
        "permissions": {"meeting_rooms": True, "user_room": True}})
    ben = client.members.create(org.id, {
        "email": "ben@harbour.example", "display_name": "Ben Nurse",
        "clinic_roles": [{"clinic_id": skin.id, "roles": ["team_member"]}], "permissions": {"meeting_rooms": True}})
    client.meeting_rooms.create({"name": "Skin cases", "max_participants": 4, "member_ids": [ana.id, ben.id]},
                                clinic_id=skin.id)
    client.group_rooms.create({"name": "Education", "max_participants": 12}, organisation_id=org.id)
    client.user_rooms.create({"name": "Ana's room", "owner_member_id": ana.id}, organisation_id=org.id)
    before = client.organisations.tree(org.id)

    out = tmp_path / "harbour.yaml"
    assert adopt(platform, monkeypatch, out, "--organisation", "Harbour Health") == 0
    spec = schemas.validate_spec_text(out.read_text(), str(out))
    harbour = spec.organisations[0]
    assert harbour.key == "harbour-health" and harbour.timezone == "Australia/Perth"
    assert [c.key for c in harbour.clinics] == ["harbour-skin-clinic", "harbour-physio"]
    assert harbour.clinics[0].waiting_area.shared_for_transfers and harbour.clinics[0].waiting_area.call_locks
    assert harbour.clinics[0].waiting_area.joining.guest_photo == "optional"
    assert harbour.information.custom_url == "harbour"
    # Member-level permissions (the earlier shape) are written per clinic; a room without a clinic goes to its owner's.
    assert [entry.permissions.granted() for entry in harbour.people[0].clinic_roles] == [["meeting_rooms", "user_room"]] * 2
    assert [p.key for p in harbour.people] == ["ana-admin", "ben-nurse"]
    assert harbour.clinics[0].meeting_rooms[0].members == ["ana-admin", "ben-nurse"]
    assert harbour.clinics[0].user_rooms[0].owner == "ana-admin"
    assert "waiting_count" not in out.read_text()

    stack = project_stack("adopt", api_url=platform.url, api_token=platform.operator_token, spec=str(out),
                          state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
    stack.set_config("videocall:adoptExisting", auto.ConfigValue("true"))
    stack.up()
    after = client.organisations.tree(org.id)
    assert [o.id for o in client.organisations.list()] == [org.id]
    for kind in ("clinics", "meeting_rooms", "group_rooms", "user_rooms", "members"):
        assert sorted(o.id for o in getattr(after, kind)) == sorted(o.id for o in getattr(before, kind)), kind
    assert after.clinics[0].waiting_area.id == area.id
    assert after.clinics[0].waiting_area.entry_link == area.entry_link
    assert all(obj.labels.get(STACK_LABEL) == "adopt" for obj in (after.organisation, *after.clinics, *after.members))

    stack.remove_config("videocall:adoptExisting")
    assert {op for op, n in stack.preview().change_summary.items() if n and op != "same"} == set()
    assert adopt(platform, monkeypatch, tmp_path / "again.yaml", "--organisation", org.id) == 0
    assert not (tmp_path / "again.yaml").exists(), "nothing is left to adopt"
    client.close()
