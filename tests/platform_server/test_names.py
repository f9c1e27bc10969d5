"""Names never hold control characters: every name field answers 422 `validation_failed` naming the field."""

from typing import Any

import pytest

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import (
    call,
    created,
    make_clinic,
    make_member,
    make_waiting_area,
    problem,
    unique,
)

CONTROL_CHARACTERS = ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029"]

# (method, path, body field, loc, extra body) for each write that takes a name; paths are filled from `places`.
Write = tuple[str, str, str, list[str | int], dict[str, Any]]
WRITES: dict[str, Write] = {
    "organisation create": ("POST", "/v1/organisations", "name", ["body", "name"], {}),
    "organisation rename": ("PATCH", "/v1/organisations/{org}", "name", ["body", "name"], {}),
    "clinic create": ("POST", "/v1/organisations/{org}/clinics", "name", ["body", "name"], {}),
    "clinic rename": ("PATCH", "/v1/clinics/{clinic}", "name", ["body", "name"], {}),
    "waiting area create": ("POST", "/v1/clinics/{bare_clinic}/waiting-area", "name", ["body", "name"], {}),
    "waiting area rename": ("PATCH", "/v1/waiting-areas/{area}", "name", ["body", "name"], {}),
    "meeting room create": ("POST", "/v1/clinics/{clinic}/meeting-rooms", "name", ["body", "name"],
                            {"max_participants": 4}),
    "meeting room rename": ("PATCH", "/v1/meeting-rooms/{meeting}", "name", ["body", "name"], {}),
    "group room create": ("POST", "/v1/organisations/{org}/group-rooms", "name", ["body", "name"],
                          {"max_participants": 12}),
    "group room rename": ("PATCH", "/v1/group-rooms/{group}", "name", ["body", "name"], {}),
    "user room create": ("POST", "/v1/organisations/{org}/user-rooms", "name", ["body", "name"],
                         {"owner_member_id": "{roomless}"}),
    "user room rename": ("PATCH", "/v1/user-rooms/{user_room}", "name", ["body", "name"], {}),
    "member display name": ("POST", "/v1/organisations/{org}/members", "display_name", ["body", "display_name"],
                            {"email": "someone@example.com"}),
    "member rename": ("PATCH", "/v1/members/{member}", "display_name", ["body", "display_name"], {}),
    "token name": ("POST", "/v1/organisations/{org}/tokens", "name", ["body", "name"], {"access": "read_only"}),
}


@pytest.fixture(scope="module")
def places(platform_server: RunningPlatform) -> dict[str, str]:
    """One object of each kind to aim the writes at."""
    tenant = platform_server.create_organisation()
    clinic = make_clinic(platform_server, tenant)
    owner = make_member(platform_server, tenant, permissions={"user_room": True})
    roomless = make_member(platform_server, tenant, permissions={"user_room": True})

    def make(path: str, body: dict[str, Any]) -> str:
        return str(created(call(platform_server, tenant, "POST", path, json=body))["id"])

    return {
        "org": tenant.id, "clinic": clinic["id"], "member": owner["id"], "roomless": roomless["id"],
        "bare_clinic": make_clinic(platform_server, tenant)["id"],
        "area": make_waiting_area(platform_server, tenant, clinic["id"])["id"],
        "meeting": make(f"/v1/clinics/{clinic['id']}/meeting-rooms", {"name": "M", "max_participants": 4}),
        "group": make(f"/v1/organisations/{tenant.id}/group-rooms", {"name": "G", "max_participants": 12}),
        "user_room": make(f"/v1/organisations/{tenant.id}/user-rooms", {"name": "U", "owner_member_id": owner["id"]}),
    }


def filled(template: Any, places: dict[str, str]) -> Any:
    """The template with `{place}` markers replaced by the ids of `places`."""
    if isinstance(template, str):
        return template.format(**places)
    if isinstance(template, dict):
        return {key: filled(value, places) for key, value in template.items()}
    return template


def refusal(platform: RunningPlatform, places: dict[str, str], write: str, name: str) -> dict[str, Any]:
    """Send the write with that name, assert the 422 names exactly its field, and return the error."""
    method, path, field, loc, extra = WRITES[write]
    body = {**filled(extra, places), field: name}
    response = call(platform, platform.operator_token, method, filled(path, places), json=body)
    refused = problem(response, 422, "validation_failed")
    assert [error["loc"] for error in refused["errors"]] == [loc]
    return dict(refused["errors"][0])


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_every_name_field_refuses_nul(platform_server: RunningPlatform, places: dict[str, str], write: str) -> None:
    error = refusal(platform_server, places, write, "Renal\x00clinic")
    assert error["msg"] == "must not contain control characters (U+0000 at 5)"


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_names_refuse_every_control_character(
    platform_server: RunningPlatform, places: dict[str, str], character: str,
) -> None:
    for write in ("clinic create", "member rename"):
        error = refusal(platform_server, places, write, f"{character}Renal")
        assert f"U+{ord(character):04X} at 0" in error["msg"]


def test_entry_field_labels_refuse_control_characters(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    fields = [{"label": "Medicare number", "type": "text"}, {"label": "Date\x00of birth", "type": "date"}]
    response = call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area",
                    json={"name": "Front door", "entry_fields": fields})
    refused = problem(response, 422, "validation_failed")
    assert [error["loc"] for error in refused["errors"]] == [["body", "entry_fields", 1, "label"]]


@pytest.mark.parametrize("name", ["Clinique Élan", "Kardiologie – Süd", "心臓内科", "Physio 🙂", "O'Brien & Co"])
def test_ordinary_names_are_kept_as_given(platform_server: RunningPlatform, tenant: Tenant, name: str) -> None:
    clinic = make_clinic(platform_server, tenant, name=f"{name} {unique('')}")
    assert clinic["name"].startswith(name)
    area = make_waiting_area(platform_server, tenant, clinic["id"], name=name)
    assert area["name"] == name


def test_a_refused_name_changes_nothing(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    problem(call(platform_server, tenant, "PATCH", f"/v1/clinics/{clinic['id']}", json={"name": "Renal\x00"}),
            422, "validation_failed")
    after = call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}").json()
    assert after["name"] == clinic["name"] and after["version"] == clinic["version"]

