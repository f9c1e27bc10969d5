"""Organisations and their clinics: the containers every other object of the platform belongs to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from typing import Any

from pydantic.json_schema import SkipJsonSchema

from .common import (
    KeyIndex,
    Loc,
    Named,
    Problem,
    Timezone,
    UnknownValue,
    duplicates,
    known,
    rule,
)
from .information import OrganisationInformation
from .people import Person
from .rooms import GroupRoom, MeetingRoom, Room, UserRoom
from .waiting_area import WaitingArea

PLATFORM_DEFAULT_TIMEZONE = "Australia/Sydney"


class Clinic(Named):
    """A department, specialty or practice of an organisation; its name is unique across the whole platform."""

    timezone: Timezone | None = None
    """IANA timezone of the opening hours; without one the clinic takes the organisation's when it is created, and keeps it."""
    waiting_area: WaitingArea | None = None
    """The clinic's waiting area, if it takes patient calls (at most one per clinic)."""
    meeting_rooms: list[MeetingRoom] = []
    """Meeting rooms of this clinic; their members need a role in the clinic."""
    group_rooms: list[GroupRoom] = []
    """Group rooms of this clinic; people with the meeting_rooms permission in the clinic use them."""
    user_rooms: list[UserRoom] = []
    """Personal rooms of people of this clinic holding its user_room permission (one per person)."""


class Organisation(Named):
    """A hospital, GP practice or mental-health service (name unique on the platform): its clinics, rooms and people."""

    timezone: Timezone = PLATFORM_DEFAULT_TIMEZONE
    """IANA timezone: the default of clinics created later without their own (changing it changes no existing clinic)."""
    information: OrganisationInformation = OrganisationInformation()
    """Logo, custom URL, privacy, terms and troubleshooting addresses, support message and contact."""
    clinics: list[Clinic] = []
    """The organisation's clinics."""
    meeting_rooms: list[MeetingRoom] = []
    """Meeting rooms of the whole organisation."""
    group_rooms: list[GroupRoom] = []
    """Group rooms of the whole organisation."""
    user_rooms: SkipJsonSchema[list[UserRoom]] = []
    """Not the platform's shape (user rooms belong to a person in a clinic): a spec that gives it is told where to move them."""
    people: list[Person] = []
    """Members of the organisation and their roles and permissions."""

    def warnings(self) -> Iterator[tuple[str, str]]:
        """(path, message) for what the platform allows but does not mean (a group room of 6 or fewer)."""
        for loc, _clinic, room in self.rooms():
            if isinstance(room, GroupRoom):
                for field, message in room.warnings():
                    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in (*loc, *field))
                    yield f"organisations[{self.key}]{where}", message

    def clinic(self, key: str) -> Clinic | None:
        """The clinic with that key, if any."""
        return next((clinic for clinic in self.clinics if clinic.key == key), None)

    def person(self, key: str) -> Person | None:
        """The person with that key, if any."""
        return next((person for person in self.people if person.key == key), None)

    def rooms(self) -> Iterator[tuple[Loc, Clinic | None, Room]]:
        """Every room of the organisation with its loc and its clinic (None at organisation scope), clinics' first.

        In a partial model (partial.py) the rooms of lists not known are left out.
        """
        for c, clinic in enumerate(self.clinics):
            for kind in ("meeting_rooms", "group_rooms", "user_rooms"):
                with suppress(UnknownValue):
                    yield from ((("clinics", c, kind, index), clinic, room) for index, room in enumerate(getattr(clinic, kind)))
        for kind in ("meeting_rooms", "group_rooms", "user_rooms"):
            with suppress(UnknownValue):
                yield from (((kind, index), None, room) for index, room in enumerate(getattr(self, kind)))

    @rule
    def keys_unique(self) -> Iterator[Problem]:
        """Keys name Pulumi resources, so clinics, people and rooms each need distinct keys in an organisation."""
        keyed: dict[str, Callable[[], list[tuple[Loc, Any]]]] = {
            "clinic": lambda: [(("clinics", index), clinic) for index, clinic in enumerate(self.clinics)],
            "person": lambda: [(("people", index), person) for index, person in enumerate(self.people)],
            "room": lambda: [(loc, room) for loc, _, room in self.rooms()],
        }
        for kind, listed in keyed.items():
            with suppress(UnknownValue):
                items = listed()
                for index, key in duplicates(items, lambda item: item[1].key):
                    yield Problem((*items[index][0], "key"), f"the {kind} key '{key}' is used twice in this organisation; keys must be unique")

    @rule
    def people_emails_unique(self) -> Iterator[Problem]:
        """The platform allows one member per email address in an organisation."""
        for index, _ in duplicates(self.people, lambda person: person.email.casefold()):
            yield Problem(("people", index, "email"), f"the email address '{self.people[index].email}' belongs to another person of this organisation")

    @rule
    def organisation_has_an_admin(self) -> Iterator[Problem]:
        """An organisation always needs at least one admin."""
        if not any("admin" in person.org_roles for person in self.people):
            yield Problem(("people",), "the organisation has no admin: give at least one person the organisation role 'admin'")

    @rule
    def clinic_has_an_admin(self) -> Iterator[Problem]:
        """Every clinic always needs at least one clinic admin."""
        admins = ClinicAdmins(self.people)
        for index, clinic in enumerate(self.clinics):
            with suppress(UnknownValue):
                if admins.lacks_admin(clinic.key):
                    yield Problem(("clinics", index), f"the clinic '{clinic.key}' has no admin: give at least one person the clinic role 'admin' in it")

    @rule
    def clinic_roles_resolve(self) -> Iterator[Problem]:
        """Clinic roles name clinics of the same organisation."""
        clinics = KeyIndex(self.clinics, lambda clinic: clinic.key)
        for p, person in enumerate(self.people):
            with suppress(UnknownValue):
                for r, entry in enumerate(person.clinic_roles):
                    with suppress(UnknownValue):
                        if clinics.get(entry.clinic) is None:
                            yield Problem(("people", p, "clinic_roles", r, "clinic"), f"there is no clinic '{entry.clinic}' in this organisation{clinics.hint('clinics', entry.clinic)}")

    @rule
    def room_members_resolve(self) -> Iterator[Problem]:
        """Meeting room members are people of the organisation, and of the clinic for a clinic's room."""
        people = KeyIndex(self.people, lambda person: person.key)
        for loc, clinic, room in self.rooms():
            with suppress(UnknownValue):
                for m, member in enumerate(room.members if isinstance(room, MeetingRoom) else []):
                    with suppress(UnknownValue):
                        person = people.get(member)
                        if person is None:
                            yield Problem((*loc, "members", m), f"there is no person '{member}' in this organisation{people.hint('people', member)}")
                        elif clinic is not None and not person.roles_in(clinic.key):
                            yield Problem((*loc, "members", m), f"'{member}' has no role in the clinic '{clinic.key}', so cannot be a member of its meeting room")
                        elif not self.may_enter(person, clinic):
                            where = f"in the clinic '{clinic.key}'" if clinic else "in a clinic"
                            yield Problem((*loc, "members", m), f"'{member}' may not enter this meeting room: give them "
                                          f"`permissions: {{meeting_rooms: true}}` {where} (the role admin, clerk or team_member there)")

    def may_enter(self, person: Person, clinic: Clinic | None) -> bool:
        """Meeting and group rooms: the clinic's staff with meeting_rooms there (anywhere, for the organisation's), and organisation admins."""
        if "admin" in person.org_roles:
            return True
        if person.permissions is not None:  # the old member-level shape: its own problem says what to write
            raise UnknownValue
        return person.holds("meeting_rooms", clinic.key) if clinic is not None else person.holds_anywhere("meeting_rooms")

    @rule
    def user_rooms_belong_to_a_clinic(self) -> Iterator[Problem]:
        """User rooms belong to a person in a clinic: say which clinic to move each organisation-level one to."""
        people = KeyIndex(self.people, lambda person: person.key)
        for index, room in enumerate(self.user_rooms):
            with suppress(UnknownValue):
                owner = people.get(room.owner)
                staff = [entry.clinic for entry in owner.clinic_roles if entry.is_staff()] if owner else []
                where = (f"under `clinics` in the clinic '{staff[0]}'" if len(staff) == 1 else
                         f"under `clinics` in one of the clinics where '{room.owner}' works ({', '.join(staff)})" if staff else
                         f"under `clinics` in a clinic where '{room.owner}' has the role admin, clerk or team_member")
                yield Problem(("user_rooms", index), f"user rooms belong to a person in a clinic: move this entry to `user_rooms` "
                              f"{where}, and give '{room.owner}' `permissions: {{user_room: true}}` in that clinic's clinic_roles entry")

    @rule
    def user_room_owner_holds_permission(self) -> Iterator[Problem]:
        """A user room's owner is a person of the clinic holding its user_room permission."""
        people = KeyIndex(self.people, lambda person: person.key)
        for c, clinic in enumerate(self.clinics):
            with suppress(UnknownValue):
                for index, room in enumerate(clinic.user_rooms):
                    loc = ("clinics", c, "user_rooms", index, "owner")
                    with suppress(UnknownValue):
                        owner = people.get(room.owner)
                        if owner is None:
                            yield Problem(loc, f"there is no person '{room.owner}' in this organisation{people.hint('people', room.owner)}")
                        elif not owner.holds("user_room", clinic.key):
                            yield Problem(loc, f"'{room.owner}' cannot have a user room in the clinic '{clinic.key}': give them "
                                          "`permissions: {user_room: true}` in its clinic_roles entry (with the role admin, clerk or team_member)")

    @rule
    def one_user_room_per_owner(self) -> Iterator[Problem]:
        """A person has at most one user room in a clinic."""
        for c, clinic in enumerate(self.clinics):
            with suppress(UnknownValue):
                for index, owner in duplicates(clinic.user_rooms, lambda room: room.owner):
                    yield Problem(("clinics", c, "user_rooms", index, "owner"),
                                  f"'{owner}' already has a user room in this clinic; a person has one per clinic")


class ClinicAdmins:
    """Which clinics have a known admin, from everyone's clinic roles; a clinic whose admins are not known answers UnknownValue."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.known: set[str] = set()
        self.unsure: set[str] = set()
        self.all_unsure = False
        for person in people:
            try:
                entries = list(person.clinic_roles)
            except UnknownValue:
                self.all_unsure = True
                continue
            for entry in entries:
                try:
                    clinic = known(entry.clinic)
                except UnknownValue:
                    self.all_unsure = True
                    continue
                try:
                    if "admin" in entry.roles:
                        self.known.add(clinic)
                except UnknownValue:
                    self.unsure.add(clinic)

    def lacks_admin(self, clinic: str) -> bool:
        """Whether no one is an admin of the clinic; UnknownValue when that depends on roles not known."""
        if clinic in self.known:
            return False
        if self.all_unsure or clinic in self.unsure:
            raise UnknownValue
        return True
