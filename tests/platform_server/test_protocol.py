"""The API's conventions: auth, tenant isolation, idempotency, ETags, pagination, labels, errors."""

from typing import Any

import pytest
import requests

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import call, created, make_clinic, make_member, make_waiting_area, problem, unique


def _objects_of(platform: RunningPlatform, tenant: Tenant) -> dict[str, str]:
    """One object of every kind in the tenant's organisation: {single-object path: PATCH body as JSON}."""
    clinic = make_clinic(platform, tenant)
    area = make_waiting_area(platform, tenant, clinic["id"])
    meeting = created(call(platform, tenant, "POST", f"/v1/clinics/{clinic['id']}/meeting-rooms",
                           json={"name": "M", "max_participants": 2}))
    group = created(call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                         json={"name": "G", "max_participants": 10}))
    owner = make_member(platform, tenant, permissions={"user_room": True})
    user_room = created(call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/user-rooms",
                             json={"name": "U", "owner_member_id": owner["id"]}))
    member = make_member(platform, tenant)
    return {
        f"/v1/clinics/{clinic['id']}": "name",
        f"/v1/waiting-areas/{area['id']}": "name",
        f"/v1/meeting-rooms/{meeting['id']}": "name",
        f"/v1/group-rooms/{group['id']}": "name",
        f"/v1/user-rooms/{user_room['id']}": "name",
        f"/v1/members/{member['id']}": "display_name",
        f"/v1/organisations/{tenant.id}": "name",
    }


def test_another_tenants_objects_do_not_exist(platform_server: RunningPlatform) -> None:
    owner = platform_server.create_organisation()
    intruder = platform_server.create_organisation()
    intruder_reader = platform_server.create_token(intruder.id, "read_only")
    objects = _objects_of(platform_server, owner)
    for path, field in objects.items():
        before = call(platform_server, owner, "GET", path).json()
        problem(call(platform_server, intruder, "GET", path), 404, "not_found")
        problem(call(platform_server, intruder, "PATCH", path, json={field: unique("hijacked")}), 404, "not_found")
        problem(call(platform_server, intruder, "DELETE", path, params={"force": "true", "cascade": "true"}),
                404, "not_found")
        problem(call(platform_server, intruder_reader, "PATCH", path, json={field: "x"}), 404, "not_found")
        assert call(platform_server, owner, "GET", path).json() == before
    for collection in ("clinics", "waiting-areas", "meeting-rooms", "group-rooms", "user-rooms", "members", "tree"):
        problem(call(platform_server, intruder, "GET", f"/v1/organisations/{owner.id}/{collection}"), 404, "not_found")
    problem(call(platform_server, intruder, "POST", f"/v1/organisations/{owner.id}/clinics",
                 json={"name": unique("clinic")}), 404, "not_found")
    problem(call(platform_server, intruder, "GET", f"/v1/organisations/{owner.id}/tokens"), 404, "not_found")
    listed = call(platform_server, intruder, "GET", "/v1/organisations").json()["items"]
    assert [organisation["id"] for organisation in listed] == [intruder.id]


def test_read_only_tokens_read_but_never_write(platform_server: RunningPlatform, tenant: Tenant) -> None:
    reader = platform_server.create_token(tenant.id, "read_only")
    clinic = make_clinic(platform_server, tenant)
    assert call(platform_server, reader, "GET", f"/v1/clinics/{clinic['id']}").status_code == 200
    problem(call(platform_server, reader, "POST", f"/v1/organisations/{tenant.id}/clinics",
                 json={"name": unique("clinic")}), 403, "forbidden")
    problem(call(platform_server, reader, "PATCH", f"/v1/clinics/{clinic['id']}", json={"name": "x"}), 403, "forbidden")
    problem(call(platform_server, reader, "DELETE", f"/v1/clinics/{clinic['id']}"), 403, "forbidden")
    assert call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}").json()["name"] == clinic["name"]


def test_only_the_operator_deletes_an_organisation(platform_server: RunningPlatform, tenant: Tenant) -> None:
    problem(call(platform_server, tenant, "DELETE", f"/v1/organisations/{tenant.id}"), 403, "forbidden")
    assert call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}").status_code == 200


def test_tokens_need_the_operator_and_can_be_revoked(platform_server: RunningPlatform, tenant: Tenant) -> None:
    problem(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/tokens",
                 json={"name": "x", "access": "read_write"}), 403, "forbidden")
    made = created(call(platform_server, platform_server.operator_token, "POST",
                        f"/v1/organisations/{tenant.id}/tokens", json={"name": "ci", "access": "read_only"}))
    assert made["id"].startswith("tok_") and made["token"] and made["organisation_id"] == tenant.id
    listed = call(platform_server, platform_server.operator_token, "GET", f"/v1/organisations/{tenant.id}/tokens")
    assert made["id"] in [t["id"] for t in listed.json()["items"]]
    assert all("token" not in t and "secret_hash" not in t for t in listed.json()["items"])
    assert call(platform_server, made["token"], "GET", f"/v1/organisations/{tenant.id}").status_code == 200
    assert call(platform_server, platform_server.operator_token, "DELETE", f"/v1/tokens/{made['id']}").status_code == 204
    problem(call(platform_server, made["token"], "GET", f"/v1/organisations/{tenant.id}"), 401, "unauthorized")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_unauthenticated_requests_get_401(platform_server: RunningPlatform, headers: dict[str, str]) -> None:
    response = requests.get(f"{platform_server.url}/v1/organisations", headers=headers, timeout=10)
    problem(response, 401, "unauthorized")


def test_request_ids_are_echoed_or_made_up(platform_server: RunningPlatform, tenant: Tenant) -> None:
    echoed = call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}", headers={"X-Request-Id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    made_up = [call(platform_server, tenant, "GET", "/v1/clinics/cln_missing").headers["x-request-id"] for _ in range(2)]
    assert made_up[0] and made_up[0] != made_up[1]


def test_body_validation_errors_are_problems(platform_server: RunningPlatform, tenant: Tenant) -> None:
    path = f"/v1/organisations/{tenant.id}/clinics"
    body = problem(call(platform_server, tenant, "POST", path, json={"name": "", "colour": "red"}), 422, "validation_failed")
    locations = sorted(tuple(error["loc"]) for error in body["errors"])
    assert locations == [("body", "colour"), ("body", "name")]
    problem(call(platform_server, tenant, "POST", path, data="{not json", headers={"Content-Type": "application/json"}),
            422, "validation_failed")
    problem(call(platform_server, tenant, "PATCH", f"/v1/organisations/{tenant.id}", json={"name": None}),
            422, "validation_failed")
    problem(call(platform_server, tenant, "GET", "/v1/no-such-thing"), 404, "not_found")


@pytest.mark.parametrize("labels", [
    {"Upper": "x"}, {"": "x"}, {"k" * 64: "x"}, {"key": "v" * 256}, {f"k{i}": "v" for i in range(33)}, {"sp ace": "x"},
])
def test_label_rules(platform_server: RunningPlatform, tenant: Tenant, labels: dict[str, str]) -> None:
    response = call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics",
                    json={"name": unique("clinic"), "labels": labels})
    problem(response, 422, "validation_failed")


def test_label_filter(platform_server: RunningPlatform, tenant: Tenant) -> None:
    prod = make_clinic(platform_server, tenant, labels={"env": "prod", "pulumi.com/stack": "a"})
    make_clinic(platform_server, tenant, labels={"env": "dev", "pulumi.com/stack": "a"})
    other_stack = make_clinic(platform_server, tenant, labels={"env": "prod", "pulumi.com/stack": "b"})
    make_clinic(platform_server, tenant)
    path = f"/v1/organisations/{tenant.id}/clinics"

    def ids(*filters: str) -> list[str]:
        response = call(platform_server, tenant, "GET", path, params=[("label", f) for f in filters])
        assert response.status_code == 200, response.text
        return [clinic["id"] for clinic in response.json()["items"]]

    assert ids("env=prod") == [prod["id"], other_stack["id"]]
    assert ids("env=prod", "pulumi.com/stack=a") == [prod["id"]]
    assert ids("env=staging") == []
    problem(call(platform_server, tenant, "GET", path, params={"label": "no-equals-sign"}), 422, "validation_failed")


def test_pagination_walks_every_object_once_in_id_order(platform_server: RunningPlatform, tenant: Tenant) -> None:
    made = [make_clinic(platform_server, tenant)["id"] for _ in range(7)]
    path = f"/v1/organisations/{tenant.id}/clinics"
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = call(platform_server, tenant, "GET", path, params=params).json()
        assert len(page["items"]) <= 3
        seen += [clinic["id"] for clinic in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(made) == sorted(set(seen))
    default_page = call(platform_server, tenant, "GET", path).json()
    assert len(default_page["items"]) == 7 and default_page["next_cursor"] is None
    for bad in ({"limit": 0}, {"limit": 201}, {"cursor": "garbage"}):
        problem(call(platform_server, tenant, "GET", path, params=bad), 422, "validation_failed")


def test_etag_and_if_match(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    path = f"/v1/clinics/{clinic['id']}"
    read = call(platform_server, tenant, "GET", path)
    assert read.headers["etag"] == '"1"'
    changed = call(platform_server, tenant, "PATCH", path, json={"labels": {"a": "b"}}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["version"] == 2 and changed.headers["etag"] == '"2"'
    problem(call(platform_server, tenant, "PATCH", path, json={"labels": {}}, headers={"If-Match": '"1"'}),
            412, "precondition_failed")
    problem(call(platform_server, tenant, "DELETE", path, headers={"If-Match": '"1"'}), 412, "precondition_failed")
    problem(call(platform_server, tenant, "DELETE", path, headers={"If-Match": '"1", "3"'}), 412, "precondition_failed")
    problem(call(platform_server, tenant, "DELETE", path, headers={"If-Match": "garbage"}), 412, "precondition_failed")
    assert call(platform_server, tenant, "PATCH", path, json={}, headers={"If-Match": "2"}).status_code == 200
    assert call(platform_server, tenant, "PATCH", path, json={}, headers={"If-Match": 'W/"2"'}).status_code == 200
    unchanged = call(platform_server, tenant, "PATCH", path, json={"labels": {"a": "b"}})
    assert unchanged.json()["version"] == 2, "a PATCH that changes nothing keeps the version"
    assert call(platform_server, tenant, "DELETE", path, headers={"If-Match": '"2"'}).status_code == 204


def test_idempotent_create_replays(platform_server: RunningPlatform, tenant: Tenant) -> None:
    path = f"/v1/organisations/{tenant.id}/clinics"
    body = {"name": unique("clinic")}
    key = {"Idempotency-Key": unique("key")}
    first = call(platform_server, tenant, "POST", path, json=body, headers=key)
    again = call(platform_server, tenant, "POST", path, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.headers["etag"] == first.headers["etag"] == '"1"'
    listed = call(platform_server, tenant, "GET", path).json()["items"]
    assert [clinic["id"] for clinic in listed] == [first.json()["id"]]
    problem(call(platform_server, tenant, "POST", path, json={"name": unique("clinic")}, headers=key),
            422, "idempotency_key_reused")
    problem(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                 json={"name": "G", "max_participants": 3}, headers=key), 422, "idempotency_key_reused")


def test_idempotency_keys_are_scoped_to_the_token(platform_server: RunningPlatform, tenant: Tenant) -> None:
    second_token = platform_server.create_token(tenant.id)
    path = f"/v1/organisations/{tenant.id}/group-rooms"
    key = {"Idempotency-Key": "shared-key"}
    first = call(platform_server, tenant, "POST", path, json={"name": "G", "max_participants": 3}, headers=key)
    other = call(platform_server, second_token, "POST", path, json={"name": "G", "max_participants": 3}, headers=key)
    assert first.status_code == other.status_code == 201
    assert first.json()["id"] != other.json()["id"]
    assert "idempotent-replayed" not in other.headers


def test_failed_requests_release_their_key(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    path = f"/v1/clinics/{clinic['id']}/waiting-area"
    key = {"Idempotency-Key": unique("key")}
    make_waiting_area(platform_server, tenant, clinic["id"])
    problem(call(platform_server, tenant, "POST", path, json={"name": "W"}, headers=key), 409, "waiting_area_exists")
    area = call(platform_server, tenant, "GET", path).json()
    assert call(platform_server, tenant, "DELETE", f"/v1/waiting-areas/{area['id']}").status_code == 204
    retried = call(platform_server, tenant, "POST", path, json={"name": "W"}, headers=key)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


def test_idempotency_key_length(platform_server: RunningPlatform, tenant: Tenant) -> None:
    problem(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                 json={"name": "G", "max_participants": 3}, headers={"Idempotency-Key": "k" * 256}),
            422, "validation_failed")
