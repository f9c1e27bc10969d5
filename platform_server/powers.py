"""What a member token may do: the powers of the platform's roles and per-clinic permissions (docs/access-model.md).

Another organisation's object is 404 before anything here runs; inside the member's own organisation a power
their roles lack is 403 `forbidden`.
"""

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from platform_server.problems import ProblemError
from platform_server.records import CLINICS, MEMBERS, ORGANISATIONS, ROOMS, WAITING_AREAS, Table

STAFF_ROLES = frozenset({"admin", "clerk", "team_member", "reception"})  # reception: deprecated
"""Clinic roles that see the clinic's waiting area and may use its rooms (a Service Referrer does neither)."""
TRANSFER_ROLES = STAFF_ROLES | {"service_referrer"}
"""Clinic roles that may transfer callers into the clinic's waiting area."""


@dataclass(frozen=True)
class Access:
    """One member's roles and permissions, as the platform holds them now."""

    member_id: str
    org_roles: frozenset[str]
    clinic_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    permissions: dict[str, dict[str, bool]] = field(default_factory=dict)
    legacy_permissions: Mapping[str, bool] = field(default_factory=dict)

    @property
    def org_admin(self) -> bool:
        """Whether the member is an Organisation Administrator."""
        return "admin" in self.org_roles

    @property
    def org_staff(self) -> bool:
        """Organisation Administrators and Coordinators: they configure clinics and see waiting areas."""
        return bool(self.org_roles & {"admin", "coordinator"})

    def roles_in(self, clinic_id: str | None) -> frozenset[str]:
        """The member's roles in a clinic (empty when none)."""
        return self.clinic_roles.get(clinic_id or "", frozenset())

    def holds(self, permission: str, clinic_id: str) -> bool:
        """Whether the member holds a permission in a clinic where they are staff.

        A member-level permission (the deprecated shape) counts in every clinic where they are staff.
        """
        if not self.roles_in(clinic_id) & STAFF_ROLES:
            return False
        return bool(self.permissions.get(clinic_id, {}).get(permission) or self.legacy_permissions.get(permission))

    def configures(self, clinic_id: str | None) -> bool:
        """Whether the member may configure a clinic, its waiting area and its rooms."""
        return self.org_staff or "admin" in self.roles_in(clinic_id)

    def reads_clinic(self, clinic_id: str) -> bool:
        """Every organisation role sees the clinics; a clinic role sees its own clinic."""
        return bool(self.org_roles) or bool(self.roles_in(clinic_id))

    def sees_waiting_area(self, clinic_id: str) -> bool:
        """Organisation admins and coordinators, and the clinic's staff; never a Service Referrer or Reporter."""
        return self.org_staff or bool(self.roles_in(clinic_id) & STAFF_ROLES)

    def manages_people(self) -> bool:
        """Whether the member manages anyone's access at all (admins, coordinators, clerks)."""
        return self.org_staff or any(roles & {"admin", "clerk"} for roles in self.clinic_roles.values())

    def may_enter(self, room: Mapping[str, Any]) -> bool:
        """Who may use a room: meeting and group rooms by the Meeting Rooms permission, a user room by its owner."""
        clinic_id = room["clinic_id"]
        if room["kind"] == "user":
            if room["owner_member_id"] != self.member_id:
                return False
            if clinic_id is None:  # a room from before user rooms belonged to a clinic
                return bool(self.legacy_permissions.get("user_room")) or any(
                    self.holds("user_room", clinic) for clinic in self.clinic_roles)
            return self.holds("user_room", clinic_id)
        if self.org_admin:
            return True
        if clinic_id is not None:
            return self.holds("meeting_rooms", clinic_id)
        return bool(self.legacy_permissions.get("meeting_rooms")) or any(
            self.holds("meeting_rooms", clinic) for clinic in self.clinic_roles)

    def may_transfer_into(self, clinic_id: str, shared: bool) -> bool:
        """Staff transfer callers to clinics they have access to, to shared waiting areas, and as Service Referrer."""
        return shared or self.org_staff or bool(self.roles_in(clinic_id) & TRANSFER_ROLES)


def access_of(connection: sqlite3.Connection, member_id: str) -> Access:
    """Load a member's access."""
    row = connection.execute("SELECT org_roles, permissions FROM members WHERE id = ?", (member_id,)).fetchone()
    if row is None:
        raise ProblemError(401, "unauthorized", "The member of this token is gone")
    entries = connection.execute(
        "SELECT clinic_id, roles, permissions FROM member_clinic_roles WHERE member_id = ?", (member_id,)).fetchall()
    return Access(
        member_id=member_id,
        org_roles=frozenset(json.loads(row[0])),
        clinic_roles={entry[0]: frozenset(json.loads(entry[1])) for entry in entries},
        permissions={entry[0]: json.loads(entry[2]) for entry in entries},
        legacy_permissions=json.loads(row[1]),
    )


def forbidden(detail: str) -> ProblemError:
    """The 403 of a power the member's roles lack."""
    return ProblemError(403, "forbidden", detail)


def ensure(connection: sqlite3.Connection, member_id: str, table: Table, row: Mapping[str, Any], action: str) -> None:
    """Refuse (403) an action on a visible object that the member's roles do not allow.

    Actions: `read`, `write`, and on an organisation `create_clinic`, `organisation_wide` (lists of every
    waiting area, room or member, and the tree), `people` (the member list and invitations, checked in detail by
    `member_change`); on a clinic `delete_clinic`; on a member `member_change` (checked in detail by the router).
    """
    access = access_of(connection, member_id)
    allowed = True
    if table is ORGANISATIONS:
        allowed = {
            "read": True,
            "create_clinic": access.org_staff,
            "organisation_wide": access.org_staff,
            "people": access.manages_people(),
        }.get(action, access.org_admin)
    elif table is CLINICS:
        allowed = {"read": access.reads_clinic(row["id"]), "delete_clinic": access.org_staff}.get(
            action, access.configures(row["id"]))
    elif table is WAITING_AREAS:
        allowed = access.sees_waiting_area(row["clinic_id"]) if action == "read" else access.configures(row["clinic_id"])
    elif table is ROOMS:
        allowed = action == "enter" or _room_allowed(access, row, action)  # entering: `may_enter`, by the router
    elif table is MEMBERS:
        allowed = row["id"] == member_id or access.manages_people()
    if not allowed:
        raise forbidden(f"Your roles do not allow this ({action} {table.name.rstrip('s').replace('_', ' ')})")


def _room_allowed(access: Access, room: Mapping[str, Any], action: str) -> bool:
    clinic_id = room["clinic_id"]
    if room["kind"] == "user":
        return room["owner_member_id"] == access.member_id if action == "read" and not access.org_admin else (
            access.org_admin or (clinic_id is not None and "admin" in access.roles_in(clinic_id)))
    if clinic_id is None:
        return access.org_staff or access.may_enter(room) if action == "read" else access.org_admin
    return access.sees_waiting_area(clinic_id) if action == "read" else access.configures(clinic_id)


def member_change(
    access: Access, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
) -> None:
    """Refuse (403) an invitation, change or removal of a member beyond the caller's powers.

    `before` and `after` are `{"org_roles": [...], "clinic_roles": [{"clinic_id", "roles", "permissions"}]}`;
    None for a member being invited or removed. Organisation Administrators manage everyone; Coordinators manage
    Coordinators and Reporters who hold no clinic roles; Clinic Administrators manage their clinics' entries;
    Clinic Clerks too, except the Clinic Administrator role.
    """
    if access.org_admin:
        return
    old_org = frozenset((before or {}).get("org_roles", []))
    new_org = frozenset((after or {}).get("org_roles", []))
    old_entries = {e["clinic_id"]: e for e in (before or {}).get("clinic_roles", [])}
    new_entries = {e["clinic_id"]: e for e in (after or {}).get("clinic_roles", [])}
    if "coordinator" in access.org_roles and not old_entries and not new_entries \
            and (old_org | new_org) <= {"coordinator", "reporter"}:
        return
    if old_org != new_org:
        raise forbidden("Only an Organisation Administrator changes organisation roles"
                        + (", and a Coordinator only Coordinators and Reporters" if access.org_staff else ""))
    for clinic_id in sorted(set(old_entries) | set(new_entries)):
        old, new = old_entries.get(clinic_id), new_entries.get(clinic_id)
        if old == new:
            continue
        roles = access.roles_in(clinic_id)
        touches_admin = any("admin" in (entry or {}).get("roles", []) for entry in (old, new))
        if "admin" in roles or ("clerk" in roles and not touches_admin):
            continue
        raise forbidden(f"Your roles do not allow changing people's access to clinic {clinic_id}"
                        + (" (a Clinic Clerk does not grant or remove the Clinic Administrator role)" if "clerk" in roles else ""))
