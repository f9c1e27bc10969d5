"""The shipped example spec is valid, uses the defaults a clinic admin expects, and matches the JSON Schema."""

from __future__ import annotations

import json

import jsonschema

from schemas import StructureSpec, WaitingArea, load_spec
from schemas.json_schema import SHIPPED_SCHEMA, render_json_schema
from schemas.source import read_spec_file

from .specs import EXAMPLE


def test_example_is_valid_and_complete() -> None:
    spec = load_spec(EXAMPLE)
    (metro,) = spec.organisations
    assert [clinic.key for clinic in metro.clinics] == ["renal", "physio", "cardiology", "gp", "urgent-care"]
    assert all(clinic.waiting_area is not None for clinic in metro.clinics)
    assert metro.meeting_rooms and metro.group_rooms and all(c.user_rooms for c in metro.clinics if c.key in ("renal", "cardiology"))
    assert any(clinic.meeting_rooms for clinic in metro.clinics)
    renal = metro.clinic("renal")
    assert renal is not None and renal.waiting_area is not None
    assert renal.waiting_area.opening_hours.days()["monday"].breaks[0].start == "12:30"
    assert spec.warnings() == []


def test_example_uses_each_role_permission_and_setting() -> None:
    metro = load_spec(EXAMPLE).organisations[0]
    assert {role for person in metro.people for role in person.org_roles} == {"admin", "coordinator", "reporter"}
    entries = [entry for person in metro.people for entry in person.clinic_roles]
    assert {role for entry in entries for role in entry.roles} == {"admin", "clerk", "team_member", "service_referrer"}
    assert {name for entry in entries for name in entry.permissions.granted()} == {"meeting_rooms", "user_room", "data_collections"}
    areas = [clinic.waiting_area for clinic in metro.clinics if clinic.waiting_area]
    assert any(area.shared_for_transfers for area in areas)
    urgent = metro.clinic("urgent-care")
    assert urgent is not None and urgent.waiting_area is not None
    hours = urgent.waiting_area.opening_hours
    assert hours.monday is not None and (hours.monday.open, hours.monday.close) == ("00:00", "24:00")
    assert hours.saturday is not None and hours.saturday.span()[1] > 24 * 60, "Saturday runs overnight"


def test_example_names_the_schema_on_its_first_line() -> None:
    first_line = EXAMPLE.read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schemas/structure-spec.schema.json"
    assert (EXAMPLE.parent / "../schemas/structure-spec.schema.json").resolve() == SHIPPED_SCHEMA.resolve()


def test_a_clinic_without_a_timezone_leaves_it_to_the_platform() -> None:
    """The platform gives a new clinic the organisation's timezone; a later change of the organisation's changes no clinic."""
    metro = load_spec(EXAMPLE).organisations[0]
    assert metro.clinic("renal").timezone is None and metro.timezone == "Australia/Sydney"  # type: ignore[union-attr]
    assert metro.clinic("cardiology").timezone == "Australia/Brisbane"  # type: ignore[union-attr]


def test_waiting_area_defaults_are_what_a_clinic_admin_expects() -> None:
    area = WaitingArea(name="Renal")
    assert area.enabled and area.show_queue_position
    assert not area.confirm_call_entry
    assert not area.allow_entry_link_change and not area.allow_disable_with_callers
    assert area.opening_hours.days() == {} and area.entry_fields == [] and area.transfer_targets == []


def test_user_room_defaults_to_six_participants() -> None:
    metro = load_spec(EXAMPLE).organisations[0]
    renal = metro.clinic("renal")
    assert renal is not None
    room = next(room for room in renal.user_rooms if room.key == "dr-nguyen-room")
    assert room.max_participants == 6


def test_opening_hours_dump_in_the_platform_shape() -> None:
    area = load_spec(EXAMPLE).organisations[0].clinics[0].waiting_area
    assert area is not None
    hours = area.opening_hours.model_dump(exclude_none=True)
    assert set(hours) == {"monday", "tuesday", "wednesday", "thursday", "friday"}
    assert hours["monday"] == {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:30", "end": "13:15"}]}


def test_shipped_json_schema_is_the_generated_one() -> None:
    assert SHIPPED_SCHEMA.read_text(encoding="utf-8") == render_json_schema(), (
        "schemas/structure-spec.schema.json is stale: run `python -m schemas json-schema > schemas/structure-spec.schema.json`"
    )


def test_json_schema_accepts_the_example_and_refuses_unknown_fields() -> None:
    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    data = read_spec_file(EXAMPLE).data
    assert list(validator.iter_errors(data)) == []
    data["organisations"][0]["clinics"][0]["waiting_area"]["opening_hourz"] = {}
    data["organisations"][0]["meeting_rooms"][0]["max_participants"] = 9
    messages = [error.message for error in validator.iter_errors(data)]
    assert any("opening_hourz" in message for message in messages)
    assert any("9 is greater than the maximum of 6" in message for message in messages)


def test_models_round_trip_through_their_own_dump() -> None:
    spec = load_spec(EXAMPLE)
    assert StructureSpec.model_validate(spec.model_dump()) == spec
