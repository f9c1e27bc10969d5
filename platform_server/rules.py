"""The platform's rules that span several objects (single-object rules live in the models)."""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from platform_server.problems import ProblemError


def organisation_admin_count(connection: sqlite3.Connection, organisation_id: str) -> int:
    """How many members hold the organisation `admin` role."""
    return int(connection.execute(
        "SELECT count(*) FROM members WHERE organisation_id = ?"
        " AND EXISTS (SELECT 1 FROM json_each(members.org_roles) WHERE value = 'admin')",
        (organisation_id,),
    ).fetchone()[0])


def clinic_admin_count(connection: sqlite3.Connection, clinic_id: str) -> int:
    """How many members hold the clinic `admin` role in that clinic."""
    return int(connection.execute(
        "SELECT count(*) FROM member_clinic_roles WHERE clinic_id = ?"
        " AND EXISTS (SELECT 1 FROM json_each(member_clinic_roles.roles) WHERE value = 'admin')",
        (clinic_id,),
    ).fetchone()[0])


@dataclass(frozen=True)
class AdminCounts:
    """Admin counts of an organisation and some of its clinics, taken before a member change."""

    organisation_id: str
    organisation_admins: int
    clinic_admins: dict[str, int]


def count_admins(connection: sqlite3.Connection, organisation_id: str, clinic_ids: Iterable[str]) -> AdminCounts:
    """Take the admin counts that a member change must not bring to zero."""
    return AdminCounts(
        organisation_id=organisation_id,
        organisation_admins=organisation_admin_count(connection, organisation_id),
        clinic_admins={clinic_id: clinic_admin_count(connection, clinic_id) for clinic_id in set(clinic_ids)},
    )


def admins_remain(connection: sqlite3.Connection, before: AdminCounts) -> None:
    """After a member change, in its transaction: refuse if a place that had admins now has none (422).

    Only places that had admins are checked, so a new organisation or clinic may start without any.
    """
    if before.organisation_admins > 0 and organisation_admin_count(connection, before.organisation_id) == 0:
        raise ProblemError(422, "last_org_admin", "The organisation would be left without an admin")
    for clinic_id, admins in sorted(before.clinic_admins.items()):
        if admins > 0 and clinic_admin_count(connection, clinic_id) == 0:
            raise ProblemError(422, "last_clinic_admin", f"Clinic {clinic_id} would be left without an admin")


def clinics_without_admin(connection: sqlite3.Connection, clinic_ids: Iterable[str]) -> list[str]:
    """Clinics among `clinic_ids` where someone holds a role but nobody is a Clinic Administrator."""
    return sorted(
        clinic_id for clinic_id in set(clinic_ids)
        if connection.execute("SELECT 1 FROM member_clinic_roles WHERE clinic_id = ? AND roles <> '[]'",
                              (clinic_id,)).fetchone() is not None
        and clinic_admin_count(connection, clinic_id) == 0
    )


def clinics_keep_an_admin(connection: sqlite3.Connection, clinic_ids: Iterable[str]) -> None:
    """A clinic with people has at least one Clinic Administrator: its first person is its admin (422)."""
    lacking = clinics_without_admin(connection, clinic_ids)
    if lacking:
        raise ProblemError(422, "clinic_admin_required",
                           f"Clinic {', '.join(lacking)} would have people but no Clinic Administrator: "
                           "give someone the admin role there first (the first person of a clinic is its admin)")


def clinic_roles_are_coherent(clinic_roles: list[dict[str, Any]]) -> None:
    """A Service Referrer is an additional role, and permissions need a role that uses them (422)."""
    problems = []
    staff_elsewhere = {entry["clinic_id"] for entry in clinic_roles if {"admin", "team_member"} & set(entry["roles"])}
    for index, entry in enumerate(clinic_roles):
        roles = set(entry["roles"])
        if "service_referrer" in roles and roles - {"service_referrer"}:
            problems.append((index, "a Service Referrer holds no other role in that clinic (they cannot see its waiting area)"))
        elif "service_referrer" in roles and not staff_elsewhere - {entry["clinic_id"]}:
            problems.append((index, "Service Referrer is an additional role: the member needs the admin or team_member role in another clinic"))
        granted = [name for name, value in entry.get("permissions", {}).items() if value]
        if granted and not roles & {"admin", "clerk", "team_member", "reception"}:
            problems.append((index, f"permissions ({', '.join(granted)}) need the admin, clerk or team_member role in that clinic"))
    if problems:
        raise ProblemError(422, "invalid_clinic_roles", problems[0][1],
                           errors=[{"loc": ["body", "clinic_roles", index], "msg": msg} for index, msg in problems])


def ids_in_organisation(
    connection: sqlite3.Connection, table: str, organisation_id: str, object_ids: Iterable[str]
) -> set[str]:
    """The subset of `object_ids` naming rows of `table` (clinics, members) in the organisation."""
    wanted = list(object_ids)
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    rows = connection.execute(
        f"SELECT id FROM {table} WHERE organisation_id = ? AND id IN ({marks})", (organisation_id, *wanted)
    ).fetchall()
    return {row[0] for row in rows}


def transfer_targets_are_sibling_clinics(
    connection: sqlite3.Connection, organisation_id: str, own_clinic_id: str, targets: list[str]
) -> None:
    """Refuse transfer targets that are not other clinics of the same organisation (422)."""
    siblings = ids_in_organisation(connection, "clinics", organisation_id, targets) - {own_clinic_id}
    wrong = [target for target in targets if target not in siblings]
    if wrong:
        raise ProblemError(422, "invalid_transfer_target",
                           f"Not another clinic of this organisation: {', '.join(wrong)}",
                           errors=[{"loc": ["body", "transfer_targets"], "msg": f"unknown or own clinic {target}"}
                                   for target in wrong])


def no_callers_waiting(waiting_count: int, force: bool, action: str) -> None:
    """Refuse to `action` a waiting area while callers are queued, unless forced (409)."""
    if waiting_count > 0 and not force:
        raise ProblemError(409, "callers_waiting",
                           f"{waiting_count} caller(s) are waiting; {action} anyway with ?force=true")
