"""The platform's rules that span several objects (single-object rules live in the models)."""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

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
