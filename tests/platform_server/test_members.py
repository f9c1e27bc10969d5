"""Members: roles, permissions, invitations, and the last-admin rules."""

from devtools.platform import RunningPlatform, Tenant
from tests.platform_server.api import call, created, make_clinic, make_member, problem


def test_member_shape_and_invitation(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    make_member(platform_server, tenant, clinic_roles=[{"clinic_id": clinic["id"], "roles": ["admin"]}])
    member = make_member(platform_server, tenant, org_roles=["coordinator"],
                         clinic_roles=[{"clinic_id": clinic["id"], "roles": ["team_member", "clerk"],
                                        "permissions": {"meeting_rooms": True}}])
    assert member["id"].startswith("mbr_") and member["organisation_id"] == tenant.id
    assert member["permissions"] == {"meeting_rooms": False, "user_room": False}
    assert member["clinic_roles"] == [{"clinic_id": clinic["id"], "roles": ["team_member", "clerk"],
                                       "permissions": {"meeting_rooms": True, "user_room": False,
                                                       "data_collections": False}}]
    assert member["invitation"]["state"] == "pending"
    accepted = call(platform_server, platform_server.operator_token, "POST",
                    f"/v1/dev/members/{member['id']}/accept-invitation")
    assert accepted.status_code == 200 and accepted.json()["invitation"]["state"] == "accepted"


def test_email_is_unique_within_the_organisation(platform_server: RunningPlatform, tenant: Tenant) -> None:
    member = make_member(platform_server, tenant)
    again = call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/members",
                 json={"email": member["email"].upper(), "display_name": "Twin"})
    problem(again, 409, "member_exists")
    other = platform_server.create_organisation()
    created(call(platform_server, other, "POST", f"/v1/organisations/{other.id}/members",
                 json={"email": member["email"], "display_name": "Same person elsewhere"}))
    problem(call(platform_server, tenant, "PATCH", f"/v1/members/{member['id']}", json={"email": "x@example.com"}),
            422, "immutable_field")
    problem(call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/members",
                 json={"email": "not-an-email", "display_name": "X"}), 422, "validation_failed")


def test_clinic_roles_only_in_own_clinics(platform_server: RunningPlatform, tenant: Tenant) -> None:
    other = platform_server.create_organisation()
    foreign = make_clinic(platform_server, other)
    response = call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/members",
                    json={"email": "a@example.com", "display_name": "A",
                          "clinic_roles": [{"clinic_id": foreign["id"], "roles": ["admin"]}]})
    problem(response, 422, "unknown_clinic")


def test_last_org_admin_cannot_go(platform_server: RunningPlatform, tenant: Tenant) -> None:
    first = make_member(platform_server, tenant, org_roles=["admin"])
    assert call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}").json()["admin_count"] == 1
    problem(call(platform_server, tenant, "PATCH", f"/v1/members/{first['id']}", json={"org_roles": ["reporter"]}),
            422, "last_org_admin")
    problem(call(platform_server, tenant, "DELETE", f"/v1/members/{first['id']}"), 422, "last_org_admin")
    second = make_member(platform_server, tenant, org_roles=["admin", "reporter"])
    demoted = call(platform_server, tenant, "PATCH", f"/v1/members/{first['id']}", json={"org_roles": []})
    assert demoted.status_code == 200 and demoted.json()["org_roles"] == []
    problem(call(platform_server, tenant, "DELETE", f"/v1/members/{second['id']}"), 422, "last_org_admin")
    assert call(platform_server, tenant, "GET", f"/v1/organisations/{tenant.id}").json()["admin_count"] == 1


def test_last_clinic_admin_cannot_go(platform_server: RunningPlatform, tenant: Tenant) -> None:
    clinic = make_clinic(platform_server, tenant)
    other_clinic = make_clinic(platform_server, tenant)
    admin_roles = [{"clinic_id": clinic["id"], "roles": ["admin"]}]
    admin = make_member(platform_server, tenant, clinic_roles=admin_roles)
    assert call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}").json()["admin_count"] == 1
    path = f"/v1/members/{admin['id']}"
    problem(call(platform_server, tenant, "PATCH", path,
                 json={"clinic_roles": [{"clinic_id": clinic["id"], "roles": ["team_member"]}]}), 422, "last_clinic_admin")
    problem(call(platform_server, tenant, "PATCH", path,
                 json={"clinic_roles": [{"clinic_id": other_clinic["id"], "roles": ["admin"]}]}), 422, "last_clinic_admin")
    problem(call(platform_server, tenant, "DELETE", path), 422, "last_clinic_admin")
    make_member(platform_server, tenant, clinic_roles=admin_roles)
    assert call(platform_server, tenant, "PATCH", path, json={"clinic_roles": []}).status_code == 200
    assert call(platform_server, tenant, "GET", f"/v1/clinics/{clinic['id']}").json()["admin_count"] == 1


def test_duplicate_roles_are_refused(platform_server: RunningPlatform, tenant: Tenant) -> None:
    response = call(platform_server, tenant, "POST", f"/v1/organisations/{tenant.id}/members",
                    json={"email": "d@example.com", "display_name": "D", "org_roles": ["admin", "admin"]})
    problem(response, 422, "validation_failed")
