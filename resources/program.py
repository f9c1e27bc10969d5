"""Declare every object of a validated structure spec as Pulumi resources, with parents and dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

import schemas
from schemas.rooms import Room
from resources.clinic import Clinic
from resources.member import Member
from resources.organisation import Organisation
from resources.rooms import GroupRoom, MeetingRoom, UserRoom
from resources.sdk_overhead import remove_sdk_overhead
from resources.waiting_area import WaitingArea


@dataclass
class DeclaredOrganisation:
    """The resources declared for one organisation of the spec, by spec key."""

    organisation: Organisation
    clinics: dict[str, Clinic] = field(default_factory=dict)
    waiting_areas: dict[str, WaitingArea] = field(default_factory=dict)
    people: dict[str, Member] = field(default_factory=dict)


def declare_structure(spec: schemas.StructureSpec) -> list[DeclaredOrganisation]:
    """Declare every organisation of the spec; resource names are the spec keys, so renames never replace."""
    remove_sdk_overhead()
    return [declare_organisation(org) for org in spec.organisations]


def declare_organisation(spec: schemas.Organisation) -> DeclaredOrganisation:
    """One organisation with its clinics, waiting areas, people and rooms."""
    org = Organisation(spec.key, key=spec.key, name=spec.name, timezone=spec.timezone, information=spec.information,
                       labels=spec.labels)
    declared = DeclaredOrganisation(org)
    child = pulumi.ResourceOptions(parent=org)

    for clinic in spec.clinics:
        declared.clinics[clinic.key] = Clinic(
            f"{spec.key}.{clinic.key}", organisation=org, key=clinic.key, name=clinic.name,
            timezone=clinic.timezone, labels=clinic.labels, opts=child,
        )
    for clinic in spec.clinics:
        if clinic.waiting_area is not None:
            declared.waiting_areas[clinic.key] = declare_waiting_area(spec, clinic, declared)
    anchors = clinic_admins_first(spec)
    for person in sorted(spec.people, key=lambda person: anchors[person.key][0]):
        declared.people[person.key] = Member(
            f"{spec.key}.{person.key}", organisation=org, key=person.key, email=person.email,
            display_name=person.display_name, org_roles=person.org_roles,
            clinic_roles={declared.clinics[entry.clinic]: entry.roles for entry in person.clinic_roles},
            clinic_permissions={declared.clinics[entry.clinic]: entry.permissions for entry in person.clinic_roles},
            labels=person.labels,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(
                depends_on=[declared.people[key] for key in anchors[person.key][1]])),
        )
    for _loc, room_clinic, room in spec.rooms():
        declare_room(spec, declared, room_clinic, room, child)
    return declared


def clinic_admins_first(spec: schemas.Organisation) -> dict[str, tuple[int, list[str]]]:
    """Per person: a declaration rank and the people they wait for, so that each clinic's first admin comes first.

    The platform lets nobody into a clinic before its first Clinic Administrator; a person with a role but not
    admin in a clinic waits for that clinic's first admin. A wait that would close a circle is left out.
    """
    first_admin: dict[str, str] = {}
    for person in spec.people:
        for entry in person.clinic_roles:
            if "admin" in entry.roles:
                first_admin.setdefault(entry.clinic, person.key)
    waits: dict[str, list[str]] = {}
    for person in spec.people:
        waits[person.key] = list(dict.fromkeys(
            first_admin[entry.clinic] for entry in person.clinic_roles
            if "admin" not in entry.roles and first_admin.get(entry.clinic, person.key) != person.key))
    ranks: dict[str, tuple[int, list[str]]] = {}

    def rank(key: str, visiting: frozenset[str]) -> int:
        if key not in ranks:
            kept = [other for other in waits[key] if other not in visiting]
            ranks[key] = (1 + max((rank(other, visiting | {key}) for other in kept), default=-1), kept)
        return ranks[key][0]

    for person in spec.people:
        rank(person.key, frozenset())
    return ranks


def declare_waiting_area(
    org: schemas.Organisation, clinic: schemas.Clinic, declared: DeclaredOrganisation
) -> WaitingArea:
    """The clinic's waiting area, its settings in the platform's shape."""
    area = clinic.waiting_area
    assert area is not None
    return WaitingArea(
        f"{org.key}.{clinic.key}", clinic=declared.clinics[clinic.key], settings=area,
        transfer_targets=[declared.clinics[target] for target in area.transfer_targets], labels=area.labels,
        allow_entry_link_change=area.allow_entry_link_change,
        allow_disable_with_callers=area.allow_disable_with_callers,
        opts=pulumi.ResourceOptions(parent=declared.clinics[clinic.key], aliases=moved_from(org, clinic)),
    )


def moved_from(org: schemas.Organisation, clinic: schemas.Clinic) -> list[pulumi.Alias]:
    """Names this clinic's waiting area had if it was moved here from a clinic that now has none.

    A waiting area is named after its clinic, so without these a move would be a delete and a create:
    with them the engine sees one waiting area changing clinic, which the provider refuses unless
    `allow_entry_link_change` is set (its patient entry link would change).
    """
    return [pulumi.Alias(name=f"{org.key}.{other.key}") for other in org.clinics
            if other.waiting_area is None and other.key != clinic.key]


def declare_room(
    org: schemas.Organisation, declared: DeclaredOrganisation, clinic: schemas.Clinic | None,
    room: Room, opts: pulumi.ResourceOptions,
) -> None:
    """One room at organisation or clinic scope."""
    name = f"{org.key}.{room.key}"
    organisation = declared.organisation
    room_clinic = declared.clinics[clinic.key] if clinic else None
    if isinstance(room, schemas.MeetingRoom):
        MeetingRoom(name, organisation=organisation, clinic=room_clinic, key=room.key, name=room.name,
                    max_participants=room.max_participants, members=[declared.people[key] for key in room.members],
                    labels=room.labels, opts=opts)
    elif isinstance(room, schemas.GroupRoom):
        GroupRoom(name, organisation=organisation, clinic=room_clinic, key=room.key, name=room.name,
                  max_participants=room.max_participants, labels=room.labels, opts=opts)
    elif isinstance(room, schemas.UserRoom):
        UserRoom(name, organisation=organisation, clinic=room_clinic, owner=declared.people[room.owner], key=room.key,
                 name=room.name, max_participants=room.max_participants, labels=room.labels, opts=opts)
