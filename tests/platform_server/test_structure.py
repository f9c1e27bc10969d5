"""Organisations, clinics and waiting areas: shapes and the rules that bind them."""

from typing import Any

import pytest
import requests

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import call, created, make_clinic, make_waiting_area, problem, unique


def test_organisation_has_the_contract_shape(platform_server: RunningPlatform) -> None:
    name = unique("org")
    organisation = created(call(platform_server, platform_server.operator_token, "POST", "/v1/organisations",
                                json={"name": name, "labels": {"pulumi.com/stack": "dev"}}))
    assert organisation["id"].startswith("org_")
    assert organisation["name"] == name
    assert organisation["timezone"] == "Australia/Sydney"
    assert organisation["labels"] == {"pulumi.com/stack": "dev"}
    assert organisation["version"] == 1 and organisation["admin_count"] == 0
    assert organisation["created_at"].endswith("Z")


def test_organisation_names_are_unique(platform_server: RunningPlatform, tenant: Tenant) -> None:
    again = call(platform_server, platform_server.operator_token, "POST", "/v1/organisations",
                 json={"name": tenant.organisation["name"]})
    problem(again, 409, "organisation_name_taken")


def test_only_the_operator_creates_organisations(platform_server: RunningPlatform, tenant: Tenant) -> None:
    problem(call(platform_server, tenant, "POST", "/v1/organisations", json={"name": unique("org")}), 403, "forbidden")


def test_clinic_inherits_the_organisation_timezone(platform_server: RunningPlatform) -> None:
    tenant = platform_server.create_organisation(timezone="Australia/Perth")
    assert make_clinic(platform_server, tenant)["timezone"] == "Australia/Perth"
    assert make_clinic(platform_server, tenant, timezone="Europe/London")["timezone"] == "Europe/London"


def test_clinic_names_are_unique_platform_wide(platform_server: RunningPlatform, tenant: Tenant) -> None:
    other = platform_server.create_organisation()
    clinic = make_clinic(platform_server, tenant)
    again = call(platform_server, other, "POST", f"/v1/organisations/{other.id}/clinics", json={"name": clinic["name"]})
    problem(again, 409, "clinic_name_taken")
    second = make_clinic(platform_server, other)
    renamed = call(platform_server, other, "PATCH", f"/v1/clinics/{second['id']}", json={"name": clinic["name"]})
    problem(renamed, 409, "clinic_name_taken")


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", "../../etc/passwd", "australia/sydney"])
def test_timezones_must_be_iana_names(platform_server: RunningPlatform, tenant: Tenant, timezone: str) -> None:
    response = call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics",
                    json={"name": unique("clinic"), "timezone": timezone})
    body = problem(response, 422, "invalid_timezone")
    assert body["errors"][0]["loc"] == ["body", "timezone"]
    clinic = make_clinic(platform_server, tenant)
    problem(call(platform_server, tenant, "PATCH", f"/v1/clinics/{clinic['id']}", json={"timezone": timezone}),
            422, "invalid_timezone")
    problem(call(platform_server, tenant, "PATCH", f"/v1/organisations/{tenant.id}", json={"timezone": timezone}),
            422, "invalid_timezone")


def test_one_waiting_area_per_clinic(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    area = make_waiting_area(platform_server, tenant, clinic["id"])
    assert area["id"].startswith("wa_") and area["clinic_id"] == clinic["id"]
    assert area["organisation_id"] == tenant.id
    assert area["waiting_count"] == 0 and area["enabled"] is True and area["show_queue_position"] is True
    assert area["entry_link"].startswith(platform_server.url + "/join/")
    second = call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area", json={"name": "Again"})
    problem(second, 409, "waiting_area_exists")
    singleton = call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}/waiting-area")
    assert singleton.status_code == 200 and singleton.json()["id"] == area["id"]


def test_a_clinic_without_waiting_area_answers_404(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    problem(call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}/waiting-area"), 404, "not_found")


def test_entry_link_never_changes(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"])
    changed = call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}", json={"name": "Renamed"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["entry_link"] == area["entry_link"]
    assert changed.json()["version"] == area["version"] + 1
    problem(call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}",
                 json={"entry_link": "http://elsewhere/join/x"}), 422, "immutable_field")


def test_concurrent_creates_of_one_waiting_area_yield_exactly_one(
    platform_server: RunningPlatform, tenant: Tenant
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    clinic = make_clinic(platform_server, tenant)

    def attempt(number: int) -> requests.Response:
        return call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area",
                    json={"name": f"Attempt {number}"})

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(attempt, range(32)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == 31, statuses
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "waiting_area_exists"
    listed = call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}/waiting-areas").json()["items"]
    assert [area["clinic_id"] for area in listed] == [clinic["id"]]


def _week(**days: Any) -> dict[str, Any]:
    return {"opening_hours": days}


@pytest.mark.parametrize("hours", [
    _week(monday={"open": "22:00", "close": "09:00"}, tuesday={"open": "08:00", "close": "12:00"}),
    _week(monday={"open": "09:00", "close": "09:00"}),
    _week(monday={"open": "09:00", "close": "17:00", "breaks": [{"start": "13:00", "end": "12:00"}]}),
    _week(monday={"open": "09:00", "close": "17:00", "breaks": [{"start": "08:00", "end": "10:00"}]}),
    _week(monday={"open": "09:00", "close": "17:00", "breaks": [{"start": "16:00", "end": "18:00"}]}),
    _week(tuesday={"open": "09:00", "close": "17:00",
                   "breaks": [{"start": "12:00", "end": "13:00"}, {"start": "12:30", "end": "14:00"}]}),
    _week(friday={"open": "09:00", "close": "17:00",
                  "breaks": [{"start": "14:00", "end": "15:00"}, {"start": "10:00", "end": "11:00"}]}),
])
def test_opening_hours_rules(platform_server: RunningPlatform, tenant: Tenant, hours: dict[str, Any]) -> None:
    clinic = make_clinic(platform_server, tenant)
    response = call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area",
                    json={"name": "Hours", **hours})
    problem(response, 422, "invalid_opening_hours")
    area = make_waiting_area(platform_server, tenant, clinic["id"])
    problem(call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}", json=hours),
            422, "invalid_opening_hours")


def test_valid_opening_hours_are_kept(platform_server: RunningPlatform, tenant: Tenant) -> None:
    hours = {"monday": {"open": "08:30", "close": "17:00",
                        "breaks": [{"start": "10:00", "end": "10:15"}, {"start": "12:30", "end": "13:30"}]},
             "saturday": {"open": "09:00", "close": "12:00", "breaks": []}}
    area = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"], opening_hours=hours)
    assert area["opening_hours"] == hours


def test_unknown_weekday_and_bad_clock_are_validation_errors(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    for hours in ({"someday": {"open": "09:00", "close": "10:00"}}, {"monday": {"open": "9am", "close": "10:00"}}):
        response = call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area",
                        json={"name": "x", "opening_hours": hours})
        body = problem(response, 422, "validation_failed")
        assert body["errors"] and all("loc" in e and "msg" in e for e in body["errors"])


def test_transfer_targets_stay_within_the_organisation(platform_server: RunningPlatform, tenant: Tenant) -> None:
    other = platform_server.create_organisation()
    home = make_clinic(platform_server, tenant)
    sibling = make_clinic(platform_server, tenant)
    foreign = make_clinic(platform_server, other)
    path = f"/v1/clinics/{home['id']}/waiting-area"
    for targets in ([foreign["id"]], [home["id"]], ["cln_doesnotexist"]):
        problem(call(platform_server, tenant, "POST", path, json={"name": "x", "transfer_targets": targets}),
                422, "invalid_transfer_target")
    area = make_waiting_area(platform_server, tenant, home["id"], transfer_targets=[sibling["id"]])
    assert area["transfer_targets"] == [sibling["id"]]
    problem(call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}",
                 json={"transfer_targets": [sibling["id"], foreign["id"]]}), 422, "invalid_transfer_target")


def test_callers_waiting_block_disable_and_delete_unless_forced(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"])
    path = f"/v1/waiting-areas/{area['id']}"
    queue = call(platform_server, platform_server.operator_token, "POST", f"/v1/dev/waiting-areas/{area['id']}/callers",
                 json={"join": 2})
    assert queue.status_code == 200 and queue.json() == {"waiting_count": 2}
    assert call(platform_server, tenant, "GET", path).json()["waiting_count"] == 2
    problem(call(platform_server, tenant, "PATCH", path, json={"enabled": False}), 409, "callers_waiting")
    problem(call(platform_server, tenant, "DELETE", path), 409, "callers_waiting")
    forced = call(platform_server, tenant, "PATCH", path, params={"force": "true"}, json={"enabled": False})
    assert forced.status_code == 200 and forced.json()["enabled"] is False
    assert call(platform_server, tenant, "DELETE", path, params={"force": "true"}).status_code == 204
    problem(call(platform_server, tenant, "GET", path), 404, "not_found")


def test_queue_empties_then_delete_needs_no_force(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"])
    dev = f"/v1/dev/waiting-areas/{area['id']}/callers"
    call(platform_server, platform_server.operator_token, "POST", dev, json={"join": 1})
    left = call(platform_server, platform_server.operator_token, "POST", dev, json={"leave": 5})
    assert left.json() == {"waiting_count": 0}
    assert call(platform_server, tenant, "DELETE", f"/v1/waiting-areas/{area['id']}").status_code == 204


def test_clinic_delete_needs_cascade_and_force(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    area = make_waiting_area(platform_server, tenant, clinic["id"])
    call(platform_server, platform_server.operator_token, "POST", f"/v1/dev/waiting-areas/{area['id']}/callers",
         json={"join": 1})
    path = f"/v1/clinics/{clinic['id']}"
    problem(call(platform_server, tenant, "DELETE", path), 409, "clinic_not_empty")
    problem(call(platform_server, tenant, "DELETE", path, params={"cascade": "true"}), 409, "callers_waiting")
    assert call(platform_server, tenant, "DELETE", path, params={"cascade": "true", "force": "true"}).status_code == 204
    problem(call(platform_server, tenant, "GET", f"/v1/waiting-areas/{area['id']}"), 404, "not_found")


def test_organisation_delete_needs_cascade(platform_server: RunningPlatform) -> None:
    tenant = platform_server.create_organisation()
    make_clinic(platform_server, tenant)
    operator = platform_server.operator_token
    path = f"/v1/organisations/{tenant.id}"
    problem(call(platform_server, operator, "DELETE", path), 409, "organisation_not_empty")
    assert call(platform_server, operator, "DELETE", path, params={"cascade": "true"}).status_code == 204
    problem(call(platform_server, operator, "GET", path), 404, "not_found")
    problem(call(platform_server, tenant, "GET", path), 401, "unauthorized")


def test_cascades_remove_everything_and_update_what_pointed_in(platform_server: RunningPlatform) -> None:
    tenant = platform_server.create_organisation()
    doomed = make_clinic(platform_server, tenant)
    staying = make_clinic(platform_server, tenant)
    make_waiting_area(platform_server, tenant, doomed["id"])
    pointing = make_waiting_area(platform_server, tenant, staying["id"], transfer_targets=[doomed["id"]])
    created(call(platform_server, tenant, "POST", f"/v1/clinics/{doomed['id']}/group-rooms",
                 json={"name": "G", "max_participants": 8}))
    person = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/members", json={
        "email": "p@example.com", "display_name": "P", "org_roles": ["admin"], "permissions": {"user_room": True},
        "clinic_roles": [{"clinic_id": doomed["id"], "roles": ["admin"]},
                         {"clinic_id": staying["id"], "roles": ["admin"]}]}))
    created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/user-rooms",
                 json={"name": "U", "owner_member_id": person["id"]}))

    assert call(platform_server, tenant, "DELETE", f"/v1/clinics/{doomed['id']}",
                params={"cascade": "true"}).status_code == 204
    area = call(platform_server, tenant, "GET", f"/v1/waiting-areas/{pointing['id']}").json()
    assert area["transfer_targets"] == [] and area["version"] == pointing["version"] + 1
    member = call(platform_server, tenant, "GET", f"/v1/members/{person['id']}").json()
    assert member["clinic_roles"] == [{"clinic_id": staying["id"], "roles": ["admin"], "permissions": {
        "meeting_rooms": False, "user_room": False, "data_collections": False}}]
    assert call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}/group-rooms").json()["items"] == []

    operator = platform_server.operator_token
    assert call(platform_server, operator, "DELETE", f"/v1/organisations/{tenant.id}",
                params={"cascade": "true"}).status_code == 204
    for path in (f"/v1/members/{person['id']}", f"/v1/clinics/{staying['id']}", f"/v1/waiting-areas/{pointing['id']}"):
        problem(call(platform_server, operator, "GET", path), 404, "not_found")


def test_organisation_cascade_refuses_while_callers_wait(platform_server: RunningPlatform) -> None:
    tenant = platform_server.create_organisation()
    area = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"])
    operator = platform_server.operator_token
    call(platform_server, operator, "POST", f"/v1/dev/waiting-areas/{area['id']}/callers", json={"join": 3})
    path = f"/v1/organisations/{tenant.id}"
    problem(call(platform_server, operator, "DELETE", path, params={"cascade": "true"}), 409, "callers_waiting")
    assert call(platform_server, operator, "DELETE", path, params={"cascade": "true", "force": "true"}).status_code == 204


def test_entry_fields_and_automated_messages(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    fields = [{"label": "Date of birth", "type": "date", "required": True}, {"label": "Phone", "type": "phone",
                                                                            "required": False}]
    messages = [{"after_minutes": 5, "text": "Thanks for waiting"}]
    area = make_waiting_area(platform_server, tenant, clinic["id"], entry_fields=fields, automated_messages=messages)
    assert area["entry_fields"] == fields and area["automated_messages"] == messages
    path = f"/v1/waiting-areas/{area['id']}"
    for bad in ({"entry_fields": fields + [fields[0]]},
                {"entry_fields": [{"label": f"F{i}", "type": "text"} for i in range(11)]},
                {"entry_fields": [{"label": "X", "type": "colour"}]},
                {"automated_messages": [{"after_minutes": -1, "text": "x"}]},
                {"disabled_message": "x" * 501}):
        problem(call(platform_server, tenant, "PATCH", path, json=bad), 422, "validation_failed")
    assert call(platform_server, tenant, "GET", path).json()["version"] == area["version"]
