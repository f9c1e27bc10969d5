"""Meeting, group and user rooms: scopes, participant limits, members and owners."""

import pytest

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import call, created, make_clinic, make_member, problem

LIMITS = {"meeting-rooms": 6, "group-rooms": 20}
PREFIXES = {"meeting-rooms": "mr_", "group-rooms": "gr_"}


@pytest.mark.parametrize("path", ["meeting-rooms", "group-rooms"])
def test_rooms_at_organisation_and_clinic_scope(platform_server: RunningPlatform, tenant: Tenant, path: str) -> None:
    clinic = make_clinic(platform_server, tenant)
    at_org = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/{path}",
                          json={"name": "Team", "max_participants": 4}))
    at_clinic = created(call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/{path}",
                             json={"name": "Case", "max_participants": LIMITS[path]}))
    assert at_org["id"].startswith(PREFIXES[path]) and at_org["clinic_id"] is None
    assert at_clinic["clinic_id"] == clinic["id"] and at_clinic["organisation_id"] == tenant.id
    assert at_org["room_link"] != at_clinic["room_link"]
    everything = call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}/{path}").json()["items"]
    assert {room["id"] for room in everything} == {at_org["id"], at_clinic["id"]}
    in_clinic = call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}/{path}").json()["items"]
    assert [room["id"] for room in in_clinic] == [at_clinic["id"]]
    fetched = call(platform_server, tenant, "GET", f"/v1/{path}/{at_org['id']}")
    assert fetched.status_code == 200 and fetched.json() == at_org and fetched.headers["etag"] == '"1"'


@pytest.mark.parametrize("path", ["meeting-rooms", "group-rooms", "user-rooms"])
def test_participant_limits(platform_server: RunningPlatform, tenant: Tenant, path: str) -> None:
    limit = LIMITS.get(path, 6)
    body: dict[str, object] = {"name": "Room", "max_participants": limit + 1}
    if path == "user-rooms":
        owner = make_member(platform_server, tenant, permissions={"user_room": True})
        body["owner_member_id"] = owner["id"]
    collection = f"/v1/organisations/{tenant.id}/{path}"
    problem(call(platform_server, tenant, "POST", collection, json=body), 422, "participant_limit_exceeded")
    problem(call(platform_server, tenant, "POST", collection, json=body | {"max_participants": 1}),
            422, "validation_failed")
    room = created(call(platform_server, tenant, "POST", collection, json=body | {"max_participants": limit}))
    problem(call(platform_server, tenant, "PATCH", f"/v1/{path}/{room['id']}", json={"max_participants": limit + 1}),
            422, "participant_limit_exceeded")
    lowered = call(platform_server, tenant, "PATCH", f"/v1/{path}/{room['id']}", json={"max_participants": 2})
    assert lowered.status_code == 200 and lowered.json()["max_participants"] == 2


def test_room_kinds_do_not_mix(platform_server: RunningPlatform, tenant: Tenant) -> None:
    room = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                        json={"name": "Big", "max_participants": 12}))
    problem(call(platform_server, tenant, "GET", f"/v1/meeting-rooms/{room['id']}"), 404, "not_found")
    problem(call(platform_server, tenant, "DELETE", f"/v1/meeting-rooms/{room['id']}"), 404, "not_found")


def test_meeting_room_members_must_belong_to_the_organisation(platform_server: RunningPlatform, tenant: Tenant) -> None:
    other = platform_server.create_organisation()
    mine = make_member(platform_server, tenant, permissions={"meeting_rooms": True})
    theirs = make_member(platform_server, other, permissions={"meeting_rooms": True})
    collection = f"/v1/organisations/{tenant.id}/meeting-rooms"
    problem(call(platform_server, tenant, "POST", collection,
                 json={"name": "M", "max_participants": 3, "member_ids": [theirs["id"]]}), 422, "unknown_member")
    room = created(call(platform_server, tenant, "POST", collection,
                        json={"name": "M", "max_participants": 3, "member_ids": [mine["id"]]}))
    assert room["member_ids"] == [mine["id"]]
    problem(call(platform_server, tenant, "PATCH", f"/v1/meeting-rooms/{room['id']}",
                 json={"member_ids": [mine["id"], theirs["id"]]}), 422, "unknown_member")
    # Removing the member takes them out of the room, and that is a change of the room.
    assert call(platform_server, tenant, "DELETE", f"/v1/members/{mine['id']}").status_code == 204
    after = call(platform_server, tenant, "GET", f"/v1/meeting-rooms/{room['id']}").json()
    assert after["member_ids"] == [] and after["version"] == room["version"] + 1


def test_user_room_needs_the_permission_and_is_one_per_owner(platform_server: RunningPlatform, tenant: Tenant) -> None:
    collection = f"/v1/organisations/{tenant.id}/user-rooms"
    plain = make_member(platform_server, tenant)
    problem(call(platform_server, tenant, "POST", collection, json={"name": "Mine", "owner_member_id": plain["id"]}),
            422, "user_room_permission_required")
    problem(call(platform_server, tenant, "POST", collection, json={"name": "Mine", "owner_member_id": "mbr_nobody"}),
            422, "unknown_member")
    owner = make_member(platform_server, tenant, permissions={"user_room": True, "meeting_rooms": False})
    room = created(call(platform_server, tenant, "POST", collection, json={"name": "Mine", "owner_member_id": owner["id"]}))
    assert room["id"].startswith("ur_") and room["max_participants"] == 6 and room["owner_member_id"] == owner["id"]
    problem(call(platform_server, tenant, "POST", collection, json={"name": "Again", "owner_member_id": owner["id"]}),
            409, "user_room_exists")
    problem(call(platform_server, tenant, "PATCH", f"/v1/user-rooms/{room['id']}", json={"owner_member_id": plain["id"]}),
            422, "immutable_field")
    problem(call(platform_server, tenant, "PATCH", f"/v1/members/{owner['id']}",
                 json={"permissions": {"user_room": False}}), 409, "user_room_exists")
    problem(call(platform_server, tenant, "DELETE", f"/v1/members/{owner['id']}"), 409, "user_room_exists")
    assert call(platform_server, tenant, "DELETE", f"/v1/user-rooms/{room['id']}").status_code == 204
    revoked = call(platform_server, tenant, "PATCH", f"/v1/members/{owner['id']}", json={"permissions": {"user_room": False}})
    assert revoked.status_code == 200 and revoked.json()["permissions"] == {"meeting_rooms": False, "user_room": False}


def test_a_room_scope_is_immutable(platform_server: RunningPlatform, tenant: Tenant) -> None:
    room = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/meeting-rooms",
                        json={"name": "M", "max_participants": 3}))
    clinic = make_clinic(platform_server, tenant)
    problem(call(platform_server, tenant, "PATCH", f"/v1/meeting-rooms/{room['id']}", json={"clinic_id": clinic["id"]}),
            422, "immutable_field")


def test_tree_holds_every_object(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    bare = make_clinic(platform_server, tenant)
    area = created(call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area", json={"name": "W"}))
    meeting = created(call(platform_server, tenant, "POST", f"/v1/clinics/{clinic['id']}/meeting-rooms",
                           json={"name": "M", "max_participants": 2}))
    group = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                         json={"name": "G", "max_participants": 20}))
    owner = make_member(platform_server, tenant, permissions={"user_room": True})
    user_room = created(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/user-rooms",
                             json={"name": "U", "owner_member_id": owner["id"]}))
    tree = call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}/tree")
    assert tree.status_code == 200
    body = tree.json()
    assert body["organisation"]["id"] == tenant.id
    by_id = {c["id"]: c for c in body["clinics"]}
    assert by_id[clinic["id"]]["waiting_area"]["id"] == area["id"]
    assert by_id[bare["id"]]["waiting_area"] is None
    assert [r["id"] for r in body["meeting_rooms"]] == [meeting["id"]]
    assert [r["id"] for r in body["group_rooms"]] == [group["id"]]
    assert [r["id"] for r in body["user_rooms"]] == [user_room["id"]]
    assert [m["id"] for m in body["members"]] == [owner["id"]]
    assert body["meeting_rooms"][0] == call(platform_server, tenant, "GET", f"/v1/meeting-rooms/{meeting['id']}").json()
