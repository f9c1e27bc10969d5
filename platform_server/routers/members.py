"""Members (people and their access): `/v1/organisations/{org_id}/members` and `/v1/members/{mbr_id}`."""

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response

from platform_server import powers, records, rules
from platform_server.auth import Caller, Reader, Writer
from platform_server.clock import rfc3339, utc_now
from platform_server.identifiers import new_id
from platform_server.listing import list_in_organisation
from platform_server.lookups import visible
from platform_server.models.common import Page
from platform_server.models.members import Invitation, Member, MemberChange, MemberCreate
from platform_server.pagination import Paging
from platform_server.problems import ProblemError
from platform_server.records import MEMBERS, ORGANISATIONS, ROOMS
from platform_server.writes import check_if_match, perform_read, perform_write

router = APIRouter(tags=["members"])

INVITATION_LIFETIME = timedelta(days=30)
"""A pending invitation expires after one month (the help pages' 30 days)."""
NO_PERMISSIONS = {"meeting_rooms": False, "user_room": False, "data_collections": False}


def clinic_roles_of(connection: sqlite3.Connection, member_id: str) -> list[dict[str, Any]]:
    """A member's clinic roles, in the order they were given."""
    return [{"clinic_id": row[0], "roles": json.loads(row[1]), "permissions": NO_PERMISSIONS | json.loads(row[2])}
            for row in connection.execute(
        "SELECT clinic_id, roles, permissions FROM member_clinic_roles WHERE member_id = ? ORDER BY position",
        (member_id,))]


def invitation_of(row: dict[str, Any]) -> Invitation:
    """The invitation state now: pending ones expire 30 days after creation."""
    expires_at = datetime.fromisoformat(row["invitation_expires_at"])
    state = row["invitation_state"]
    if state == "pending" and expires_at <= utc_now():
        state = "expired"
    return Invitation(state=state, expires_at=expires_at)


def member_out(connection: sqlite3.Connection, row: dict[str, Any]) -> Member:
    """Present a member row."""
    return Member(**row, clinic_roles=clinic_roles_of(connection, row["id"]), invitation=invitation_of(row))


def _clinics_belong(connection: sqlite3.Connection, organisation_id: str, clinic_roles: list[dict[str, Any]]) -> None:
    wanted = [entry["clinic_id"] for entry in clinic_roles]
    known = rules.ids_in_organisation(connection, "clinics", organisation_id, wanted)
    unknown = [clinic_id for clinic_id in wanted if clinic_id not in known]
    if unknown:
        raise ProblemError(422, "unknown_clinic", f"Not clinics of this organisation: {', '.join(unknown)}",
                           errors=[{"loc": ["body", "clinic_roles"], "msg": f"unknown clinic {c}"} for c in unknown])


def _set_clinic_roles(connection: sqlite3.Connection, member_id: str, clinic_roles: list[dict[str, Any]]) -> None:
    connection.execute("DELETE FROM member_clinic_roles WHERE member_id = ?", (member_id,))
    connection.executemany(
        "INSERT INTO member_clinic_roles (member_id, clinic_id, roles, permissions, position) VALUES (?, ?, ?, ?, ?)",
        [(member_id, entry["clinic_id"], json.dumps(entry["roles"]), json.dumps(entry.get("permissions", {})), position)
         for position, entry in enumerate(clinic_roles)],
    )


def _powers_allow(connection: sqlite3.Connection, caller: Caller, before: dict[str, Any] | None,
                  after: dict[str, Any] | None) -> None:
    """A member token changes people's access only within its roles (403)."""
    if caller.member_id is not None:
        powers.member_change(powers.access_of(connection, caller.member_id), before, after)


def _rooms_follow_access(connection: sqlite3.Connection, member_id: str) -> None:
    """After a change of access a user room's owner keeps its permission (409).

    A meeting room's member who loses the permission stays listed but cannot enter (`may_enter` decides at the
    door), so a change of people and a change of the room's list can land in either order.
    """
    access = powers.access_of(connection, member_id)
    for room in connection.execute("SELECT * FROM rooms WHERE owner_member_id = ?", (member_id,)).fetchall():
        if not access.may_enter(dict(room)):
            raise ProblemError(409, "user_room_exists",
                               "The member owns a user room that needs the user_room permission; delete it first")


def _owns_a_user_room(connection: sqlite3.Connection, member_id: str) -> bool:
    """Whether the member owns any user room."""
    return connection.execute("SELECT 1 FROM rooms WHERE owner_member_id = ?", (member_id,)).fetchone() is not None


def _load(connection: sqlite3.Connection, member_id: str, caller: Caller, action: str | None = None) -> dict[str, Any]:
    """The member, if the caller may see it."""
    return visible(connection, MEMBERS, member_id, caller, "member", action=action)


@router.get("/v1/organisations/{org_id}/members", response_model=Page[Member])
def list_members(request: Request, org_id: str, caller: Reader, paging: Paging) -> Response:
    """List an organisation's members."""
    return list_in_organisation(request, caller, paging, org_id, MEMBERS, member_out, Page[Member], action="people")


@router.post("/v1/organisations/{org_id}/members", status_code=201, response_model=Member)
def create_member(request: Request, org_id: str, body: MemberCreate, caller: Writer) -> Response:
    """Invite a person into the organisation with roles and permissions."""
    def work(connection: sqlite3.Connection) -> Member:
        visible(connection, ORGANISATIONS, org_id, caller, "organisation", action="people")
        values = body.model_dump()
        clinic_roles = values.pop("clinic_roles")
        _clinics_belong(connection, org_id, clinic_roles)
        rules.clinic_roles_are_coherent(clinic_roles)
        _powers_allow(connection, caller, None, {"org_roles": values["org_roles"], "clinic_roles": clinic_roles})
        member_id = new_id("mbr")
        values |= {"id": member_id, "organisation_id": org_id, "invitation_state": "pending",
                   "invitation_expires_at": rfc3339(utc_now() + INVITATION_LIFETIME)}
        try:
            records.insert(connection, MEMBERS, values)
        except sqlite3.IntegrityError as error:
            if records.is_unique_violation(error, "members.email"):
                raise ProblemError(409, "member_exists", "A member with this email already exists") from error
            raise
        _set_clinic_roles(connection, member_id, clinic_roles)
        rules.clinics_keep_an_admin(connection, [entry["clinic_id"] for entry in clinic_roles])
        return member_out(connection, _load(connection, member_id, caller))
    return perform_write(request, caller, work, status_code=201, body=body)


@router.get("/v1/members/{mbr_id}", response_model=Member)
def get_member(request: Request, mbr_id: str, caller: Reader) -> Response:
    """Read one member."""
    return perform_read(request, lambda connection: member_out(connection, _load(connection, mbr_id, caller)))


@router.patch("/v1/members/{mbr_id}", response_model=Member)
def update_member(request: Request, mbr_id: str, body: MemberChange, caller: Writer) -> Response:
    """Change a member's name, roles, permissions or labels; no place may lose its last admin."""
    def work(connection: sqlite3.Connection) -> Member:
        row = _load(connection, mbr_id, caller, action="member_change")
        check_if_match(request, row["version"])
        changes = body.changes()
        old_roles = clinic_roles_of(connection, mbr_id)
        new_roles = [{**entry, "permissions": NO_PERMISSIONS | entry.get("permissions", {})}
                     for entry in changes.pop("clinic_roles", old_roles)]
        _clinics_belong(connection, row["organisation_id"], new_roles)
        rules.clinic_roles_are_coherent(new_roles)
        _powers_allow(connection, caller, {"org_roles": row["org_roles"], "clinic_roles": old_roles},
                      {"org_roles": changes.get("org_roles", row["org_roles"]), "clinic_roles": new_roles})
        before = rules.count_admins(connection, row["organisation_id"],
                                    [entry["clinic_id"] for entry in old_roles + new_roles])
        roles_changed = new_roles != old_roles
        if roles_changed:
            _set_clinic_roles(connection, mbr_id, new_roles)
        records.update(connection, MEMBERS, row, changes, force_new_version=roles_changed)
        rules.admins_remain(connection, before)
        rules.clinics_keep_an_admin(connection, before.clinic_admins)
        _rooms_follow_access(connection, mbr_id)
        return member_out(connection, _load(connection, mbr_id, caller))
    return perform_write(request, caller, work, body=body)


@router.delete("/v1/members/{mbr_id}", status_code=204)
def delete_member(request: Request, mbr_id: str, caller: Writer) -> Response:
    """Remove a member; not the last admin of anything, nor the owner of a user room."""
    def work(connection: sqlite3.Connection) -> None:
        row = _load(connection, mbr_id, caller, action="member_change")
        check_if_match(request, row["version"])
        old_roles = clinic_roles_of(connection, mbr_id)
        _powers_allow(connection, caller, {"org_roles": row["org_roles"], "clinic_roles": old_roles}, None)
        if _owns_a_user_room(connection, mbr_id):
            raise ProblemError(409, "user_room_exists", "The member owns a user room; delete it first")
        before = rules.count_admins(connection, row["organisation_id"],
                                    [entry["clinic_id"] for entry in clinic_roles_of(connection, mbr_id)])
        records.touch(connection, ROOMS, [r[0] for r in connection.execute(
            "SELECT room_id FROM room_members WHERE member_id = ?", (mbr_id,))])
        records.delete(connection, MEMBERS, mbr_id)
        rules.admins_remain(connection, before)
        rules.clinics_keep_an_admin(connection, before.clinic_admins)
    return perform_write(request, caller, work)
