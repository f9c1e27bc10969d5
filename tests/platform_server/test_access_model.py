"""The platform's access model (docs/access-model.md): each role's powers through member tokens, per-clinic
permissions deciding who may use meeting, group and user rooms, transfers following access, and at least one
Clinic Administrator in every clinic with people."""

from dataclasses import dataclass
from typing import Any

import pytest

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import call, created, make_clinic, make_member, make_waiting_area, problem

ROOMS = {"meeting_rooms": True}
USER_ROOM = {"user_room": True}


def entry(clinic: dict[str, Any], *roles: str, **permissions: bool) -> dict[str, Any]:
    """One clinic role entry of a member."""
    return {"clinic_id": clinic["id"], "roles": list(roles), "permissions": permissions}


def token_for(platform: RunningPlatform, tenant: Tenant, member: dict[str, Any]) -> str:
    """A member token: it acts with that member's roles and permissions."""
    made = created(call(platform, platform.operator_token, "POST", f"/v1/organisations/{tenant.id}/tokens",
                        json={"name": f"as {member['display_name']}", "access": "member", "member_id": member["id"]}))
    assert made["access"] == "member" and made["member_id"] == member["id"]
    return str(made["token"])


@dataclass
class Hospital:
    """Two clinics with a waiting area each, and one person per role, with their member tokens."""

    renal: dict[str, Any]
    cardio: dict[str, Any]
    renal_area: dict[str, Any]
    cardio_area: dict[str, Any]
    people: dict[str, dict[str, Any]]
    tokens: dict[str, str]


@pytest.fixture
def hospital(platform_server: RunningPlatform, tenant: Tenant) -> Hospital:
    renal, cardio = make_clinic(platform_server, tenant), make_clinic(platform_server, tenant)
    renal_area = make_waiting_area(platform_server, tenant, renal["id"])
    cardio_area = make_waiting_area(platform_server, tenant, cardio["id"])
    specs: dict[str, dict[str, Any]] = {
        "org_admin": {"org_roles": ["admin"]},
        "coordinator": {"org_roles": ["coordinator"]},
        "reporter": {"org_roles": ["reporter"]},
        "renal_admin": {"clinic_roles": [entry(renal, "admin", **ROOMS, **USER_ROOM)]},
        "cardio_admin": {"clinic_roles": [entry(cardio, "admin")]},
        "clerk": {"clinic_roles": [entry(renal, "clerk")]},
        "nurse": {"clinic_roles": [entry(renal, "team_member", **ROOMS)]},
        "plain": {"clinic_roles": [entry(renal, "team_member")]},
        "referrer": {"clinic_roles": [entry(renal, "team_member"), entry(cardio, "service_referrer")]},
    }
    people = {name: make_member(platform_server, tenant, display_name=name, **fields) for name, fields in specs.items()}
    tokens = {name: token_for(platform_server, tenant, person) for name, person in people.items()}
    return Hospital(renal, cardio, renal_area, cardio_area, people, tokens)


def status(platform: RunningPlatform, token: str, method: str, path: str, **kwargs: Any) -> int:
    """The answer's status code."""
    return call(platform, token, method, path, **kwargs).status_code


def test_every_role_reads_the_organisation_and_its_clinics(platform_server: RunningPlatform, tenant: Tenant,
                                                           hospital: Hospital) -> None:
    for name, token in hospital.tokens.items():
        assert status(platform_server, token, "GET", f"/v1/organisations/{tenant.id}") == 200, name
        assert status(platform_server, token, "GET", f"/v1/organisations/{tenant.id}/clinics") == 200, name


def test_another_organisation_is_404_for_every_role(platform_server: RunningPlatform, hospital: Hospital) -> None:
    other = platform_server.create_organisation()
    foreign = make_clinic(platform_server, other)
    for name, token in hospital.tokens.items():
        problem(call(platform_server, token, "GET", f"/v1/clinics/{foreign['id']}"), 404, "not_found")
        problem(call(platform_server, token, "PATCH", f"/v1/clinics/{foreign['id']}", json={"name": "x"}), 404, "not_found")
        assert name


def test_who_sees_a_waiting_area(platform_server: RunningPlatform, hospital: Hospital) -> None:
    path = f"/v1/waiting-areas/{hospital.renal_area['id']}"
    for name in ("org_admin", "coordinator", "renal_admin", "clerk", "nurse", "plain", "referrer"):
        assert status(platform_server, hospital.tokens[name], "GET", path) == 200, name
    for name in ("reporter", "cardio_admin"):
        problem(call(platform_server, hospital.tokens[name], "GET", path), 403, "forbidden")
    # A Service Referrer cannot see the waiting area of the clinic where they refer.
    problem(call(platform_server, hospital.tokens["referrer"], "GET", f"/v1/waiting-areas/{hospital.cardio_area['id']}"),
            403, "forbidden")


def test_who_configures_clinics(platform_server: RunningPlatform, tenant: Tenant, hospital: Hospital) -> None:
    renal_area = f"/v1/waiting-areas/{hospital.renal_area['id']}"
    for name in ("org_admin", "coordinator", "renal_admin"):
        assert status(platform_server, hospital.tokens[name], "PATCH", renal_area, json={"name": f"by {name}"}) == 200
    for name in ("reporter", "cardio_admin", "clerk", "nurse", "referrer"):
        problem(call(platform_server, hospital.tokens[name], "PATCH", renal_area, json={"name": "no"}), 403, "forbidden")
    new_clinic = {"name": f"{tenant.id} new clinic"}
    for name in ("reporter", "renal_admin", "clerk", "nurse"):
        problem(call(platform_server, hospital.tokens[name], "POST", f"/v1/organisations/{tenant.id}/clinics",
                     json=new_clinic), 403, "forbidden")
    made = created(call(platform_server, hospital.tokens["coordinator"], "POST",
                        f"/v1/organisations/{tenant.id}/clinics", json=new_clinic))
    problem(call(platform_server, hospital.tokens["renal_admin"], "DELETE", f"/v1/clinics/{hospital.renal['id']}"),
            403, "forbidden")
    assert status(platform_server, hospital.tokens["coordinator"], "DELETE", f"/v1/clinics/{made['id']}") == 204
    for name in ("coordinator", "renal_admin"):
        problem(call(platform_server, hospital.tokens[name], "PATCH", f"/v1/organisations/{tenant.id}",
                     json={"name": "renamed"}), 403, "forbidden")
    problem(call(platform_server, hospital.tokens["reporter"], "GET", f"/v1/organisations/{tenant.id}/tree"),
            403, "forbidden")
    assert status(platform_server, hospital.tokens["coordinator"], "GET", f"/v1/organisations/{tenant.id}/tree") == 200


def test_who_manages_people(platform_server: RunningPlatform, tenant: Tenant, hospital: Hospital) -> None:
    members = f"/v1/organisations/{tenant.id}/members"
    colleague = {"email": "new.colleague@example.com", "display_name": "New colleague",
                 "clinic_roles": [entry(hospital.renal, "team_member")]}
    for name in ("reporter", "nurse", "cardio_admin", "referrer", "coordinator"):
        problem(call(platform_server, hospital.tokens[name], "POST", members, json=colleague), 403, "forbidden")
    # A Clinic Clerk adds colleagues to their clinic, but never grants the Clinic Administrator role.
    problem(call(platform_server, hospital.tokens["clerk"], "POST", members,
                 json={**colleague, "clinic_roles": [entry(hospital.renal, "admin")]}), 403, "forbidden")
    added = created(call(platform_server, hospital.tokens["clerk"], "POST", members, json=colleague))
    nurse = f"/v1/members/{hospital.people['nurse']['id']}"
    problem(call(platform_server, hospital.tokens["clerk"], "PATCH", nurse,
                 json={"clinic_roles": [entry(hospital.renal, "admin")]}), 403, "forbidden")
    assert status(platform_server, hospital.tokens["renal_admin"], "PATCH", nurse,
                  json={"clinic_roles": [entry(hospital.renal, "team_member", **ROOMS, **USER_ROOM)]}) == 200
    # Organisation roles are the Organisation Administrator's; a Coordinator manages Coordinators and Reporters.
    problem(call(platform_server, hospital.tokens["renal_admin"], "PATCH", nurse, json={"org_roles": ["reporter"]}),
            403, "forbidden")
    reporter = created(call(platform_server, hospital.tokens["coordinator"], "POST", members,
                            json={"email": "reports@example.com", "display_name": "Reports", "org_roles": ["reporter"]}))
    problem(call(platform_server, hospital.tokens["coordinator"], "PATCH", f"/v1/members/{reporter['id']}",
                 json={"org_roles": ["admin"]}), 403, "forbidden")
    assert status(platform_server, hospital.tokens["org_admin"], "DELETE", f"/v1/members/{added['id']}") == 204
    problem(call(platform_server, hospital.tokens["nurse"], "GET", members), 403, "forbidden")


def make_room(platform: RunningPlatform, tenant: Tenant, path: str, **fields: Any) -> dict[str, Any]:
    """Create a room at that collection path."""
    return created(call(platform, tenant, "POST", path, json={"name": "Room", "max_participants": 6, **fields}))


def test_meeting_rooms_permission_decides_who_enters_meeting_and_group_rooms(
        platform_server: RunningPlatform, tenant: Tenant, hospital: Hospital) -> None:
    meeting = make_room(platform_server, tenant, f"/v1/clinics/{hospital.renal['id']}/meeting-rooms")
    group = make_room(platform_server, tenant, f"/v1/clinics/{hospital.renal['id']}/group-rooms", max_participants=12)
    for path in (f"/v1/meeting-rooms/{meeting['id']}/enter", f"/v1/group-rooms/{group['id']}/enter"):
        for name in ("nurse", "renal_admin", "org_admin"):
            answer = call(platform_server, hospital.tokens[name], "POST", path)
            assert answer.status_code == 200, (name, answer.text)
            assert answer.json()["room_link"] in (meeting["room_link"], group["room_link"])
        for name in ("plain", "clerk", "cardio_admin", "coordinator", "reporter", "referrer"):
            problem(call(platform_server, hospital.tokens[name], "POST", path), 403, "room_access_denied")
    problem(call(platform_server, tenant, "POST", f"/v1/meeting-rooms/{meeting['id']}/enter"), 403, "forbidden")


def test_room_members_need_the_permission_where_the_room_is(
        platform_server: RunningPlatform, tenant: Tenant, hospital: Hospital) -> None:
    path = f"/v1/clinics/{hospital.renal['id']}/meeting-rooms"
    plain = hospital.people["plain"]["id"]
    problem(call(platform_server, tenant, "POST", path,
                 json={"name": "Huddle", "max_participants": 4, "member_ids": [plain]}), 422, "room_access_required")
    room = make_room(platform_server, tenant, path, member_ids=[hospital.people["nurse"]["id"]])
    # Losing the permission shuts the member out of the room; the room's list changes only when it is written.
    nurse = f"/v1/members/{hospital.people['nurse']['id']}"
    assert call(platform_server, tenant, "PATCH", nurse,
                json={"clinic_roles": [entry(hospital.renal, "team_member")]}).status_code == 200
    assert call(platform_server, tenant, "GET", f"/v1/meeting-rooms/{room['id']}").json()["version"] == room["version"]
    problem(call(platform_server, hospital.tokens["nurse"], "POST", f"/v1/meeting-rooms/{room['id']}/enter"),
            403, "room_access_denied")


def test_user_rooms_belong_to_a_person_in_a_clinic(platform_server: RunningPlatform, tenant: Tenant,
                                                   hospital: Hospital) -> None:
    path = f"/v1/clinics/{hospital.renal['id']}/user-rooms"
    owner = hospital.people["renal_admin"]["id"]
    problem(call(platform_server, tenant, "POST", path, json={"name": "Nurse's room", "owner_member_id": hospital.people["nurse"]["id"]}),
            422, "user_room_permission_required")
    problem(call(platform_server, tenant, "POST", f"/v1/clinics/{hospital.cardio['id']}/user-rooms",
                 json={"name": "Elsewhere", "owner_member_id": owner}), 422, "user_room_permission_required")
    room = created(call(platform_server, tenant, "POST", path, json={"name": "My room", "owner_member_id": owner}))
    assert room["clinic_id"] == hospital.renal["id"]
    problem(call(platform_server, tenant, "POST", path, json={"name": "Second", "owner_member_id": owner}),
            409, "user_room_exists")
    enter = f"/v1/user-rooms/{room['id']}/enter"
    assert status(platform_server, hospital.tokens["renal_admin"], "POST", enter) == 200
    problem(call(platform_server, hospital.tokens["nurse"], "POST", enter), 403, "room_access_denied")
    problem(call(platform_server, hospital.tokens["org_admin"], "POST", enter), 403, "room_access_denied")
    problem(call(platform_server, tenant, "PATCH", f"/v1/members/{owner}",
                 json={"clinic_roles": [entry(hospital.renal, "admin", **ROOMS)]}), 409, "user_room_exists")


def test_transfers_follow_access(platform_server: RunningPlatform, tenant: Tenant, hospital: Hospital) -> None:
    def transfer(who: str, area: dict[str, Any], to: dict[str, Any]) -> Any:
        return call(platform_server, hospital.tokens[who], "POST", f"/v1/waiting-areas/{area['id']}/transfers",
                    json={"to_clinic_id": to["id"]})

    def queue(area: dict[str, Any], join: int) -> None:
        assert call(platform_server, platform_server.operator_token, "POST",
                    f"/v1/dev/waiting-areas/{area['id']}/callers", json={"join": join}).status_code == 200

    problem(transfer("nurse", hospital.renal_area, hospital.cardio), 403, "transfer_not_allowed")
    queue(hospital.renal_area, 3)
    problem(transfer("nurse", hospital.renal_area, hospital.cardio), 403, "transfer_not_allowed")
    moved = transfer("referrer", hospital.renal_area, hospital.cardio)
    assert moved.status_code == 201, moved.text
    assert moved.json()["waiting_count"] == 2 and moved.json()["to_waiting_count"] == 1
    # The Service Referrer cannot transfer out of the clinic where they only refer: they do not see it.
    problem(transfer("referrer", hospital.cardio_area, hospital.renal), 403, "forbidden")
    problem(transfer("reporter", hospital.renal_area, hospital.cardio), 403, "forbidden")
    assert transfer("coordinator", hospital.renal_area, hospital.cardio).status_code == 201
    # A waiting area shared with the organisation takes transfers from every clinic's staff.
    assert call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{hospital.cardio_area['id']}",
                json={"shared_for_transfers": True}).json()["shared_for_transfers"] is True
    assert transfer("nurse", hospital.renal_area, hospital.cardio).status_code == 201
    problem(transfer("nurse", hospital.renal_area, hospital.cardio), 409, "no_callers_waiting")
    problem(transfer("nurse", hospital.renal_area, hospital.renal), 422, "invalid_transfer_target")
    problem(call(platform_server, tenant, "POST", f"/v1/waiting-areas/{hospital.renal_area['id']}/transfers",
                 json={"to_clinic_id": hospital.cardio["id"]}), 403, "forbidden")


def test_a_clinic_with_people_has_a_clinic_administrator(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    members = f"/v1/organisations/{tenant.id}/members"
    first = {"email": "first@example.com", "display_name": "First", "clinic_roles": [entry(clinic, "team_member")]}
    problem(call(platform_server, tenant, "POST", members, json=first), 422, "clinic_admin_required")
    admin = make_member(platform_server, tenant, clinic_roles=[entry(clinic, "admin")])
    member = created(call(platform_server, tenant, "POST", members, json=first))
    problem(call(platform_server, tenant, "DELETE", f"/v1/members/{admin['id']}"), 422, "last_clinic_admin")
    problem(call(platform_server, tenant, "PATCH", f"/v1/members/{admin['id']}",
                 json={"clinic_roles": [entry(clinic, "clerk")]}), 422, "last_clinic_admin")
    assert call(platform_server, tenant, "DELETE", f"/v1/members/{member['id']}").status_code == 204
    assert call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}").json()["admin_count"] == 1


def test_service_referrer_is_an_additional_role(platform_server: RunningPlatform, tenant: Tenant) -> None:
    renal, cardio = make_clinic(platform_server, tenant), make_clinic(platform_server, tenant)
    make_member(platform_server, tenant, clinic_roles=[entry(renal, "admin"), entry(cardio, "admin")])
    members = f"/v1/organisations/{tenant.id}/members"
    for roles in ([entry(cardio, "service_referrer")],
                  [entry(renal, "team_member"), entry(cardio, "service_referrer", "team_member")],
                  [entry(renal, "team_member"), entry(cardio, "service_referrer", meeting_rooms=True)]):
        problem(call(platform_server, tenant, "POST", members,
                     json={"email": "ref@example.com", "display_name": "Ref", "clinic_roles": roles}),
                422, "invalid_clinic_roles")


def test_what_organisation_and_clinic_administrators_configure(platform_server: RunningPlatform, tenant: Tenant) -> None:
    information = {"logo_url": "https://metro.example/logo.png", "custom_url": f"m-{tenant.id[-8:]}",
                   "support_message": "Call us", "support_contact": {"name": "Desk", "email": "desk@metro.example"}}
    org = call(platform_server, tenant, "PATCH", f"/v1/organisations/{tenant.id}", json={"information": information})
    assert org.status_code == 200 and org.json()["information"]["custom_url"] == information["custom_url"]
    other = platform_server.create_organisation()
    problem(call(platform_server, other, "PATCH", f"/v1/organisations/{other.id}", json={"information": information}),
            409, "custom_url_taken")
    problem(call(platform_server, tenant, "PATCH", f"/v1/organisations/{tenant.id}",
                 json={"information": {"logo_url": "http://insecure.example/logo.png"}}), 422, "validation_failed")
    clinic = make_clinic(platform_server, tenant)
    area = make_waiting_area(platform_server, tenant, clinic["id"], support_information="Have your card ready",
                             call_locks=True, joining={"guest_photo": "none", "last_name_mandatory": True},
                             connection_check="restricted",
                             new_caller_alerts=[{"channel": "email", "to": "team@metro.example"}, {"channel": "desktop"}])
    assert area["joining"] == {"guest_photo": "none", "last_name_mandatory": True, "camera_preview": True,
                               "callers_may_mute": False}
    assert area["call_locks"] and area["connection_check"] == "restricted" and len(area["new_caller_alerts"]) == 2
    path = f"/v1/waiting-areas/{area['id']}"
    for bad in ({"connection_check": "lenient"}, {"new_caller_alerts": [{"channel": "sms"}]},
                {"joining": {"guest_photo": "sometimes"}}, {"support_information": "x" * 501}):
        problem(call(platform_server, tenant, "PATCH", path, json=bad), 422, "validation_failed")
