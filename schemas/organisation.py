"""Organisations and their clinics: the containers every other object of the platform belongs to."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import model_validator

from .common import Loc, Named, Problem, Timezone, duplicates, rule
from .people import Person
from .rooms import GroupRoom, MeetingRoom, Room, UserRoom
from .waiting_area import WaitingArea

PLATFORM_DEFAULT_TIMEZONE = "Australia/Sydney"


class Clinic(Named):
    """A department, specialty or practice of an organisation; its name is unique across the whole platform."""

    timezone: Timezone | None = None
    """IANA timezone of the opening hours; defaults to the organisation's timezone."""
    waiting_area: WaitingArea | None = None
    """The clinic's waiting area, if it takes patient calls (at most one per clinic)."""
    meeting_rooms: list[MeetingRoom] = []
    """Meeting rooms of this clinic; their members need a role in the clinic."""
    group_rooms: list[GroupRoom] = []
    """Group rooms of this clinic."""


class Organisation(Named):
    """A hospital, GP practice or mental-health service (name unique on the platform): its clinics, rooms and people."""

    timezone: Timezone = PLATFORM_DEFAULT_TIMEZONE
    """IANA timezone; clinics without their own timezone use it."""
    clinics: list[Clinic] = []
    """The organisation's clinics."""
    meeting_rooms: list[MeetingRoom] = []
    """Meeting rooms of the whole organisation."""
    group_rooms: list[GroupRoom] = []
    """Group rooms of the whole organisation."""
    user_rooms: list[UserRoom] = []
    """Personal rooms of providers (at most one per owner)."""
    people: list[Person] = []
    """Members of the organisation and their roles and permissions."""

    @model_validator(mode="after")
    def clinics_default_to_organisation_timezone(self) -> Organisation:
        """A clinic without its own timezone uses the organisation's, as a clinic admin expects."""
        for clinic in self.clinics:
            if clinic.timezone is None:
                clinic.timezone = self.timezone
        return self

    def clinic(self, key: str) -> Clinic | None:
        """The clinic with that key, if any."""
        return next((clinic for clinic in self.clinics if clinic.key == key), None)

    def person(self, key: str) -> Person | None:
        """The person with that key, if any."""
        return next((person for person in self.people if person.key == key), None)

    def rooms(self) -> Iterator[tuple[Loc, Clinic | None, Room]]:
        """Every room of the organisation with its loc and its clinic (None at organisation scope), clinics' first."""
        for c, clinic in enumerate(self.clinics):
            for kind in ("meeting_rooms", "group_rooms"):
                for index, room in enumerate(getattr(clinic, kind)):
                    yield ("clinics", c, kind, index), clinic, room
        for kind in ("meeting_rooms", "group_rooms", "user_rooms"):
            for index, room in enumerate(getattr(self, kind)):
                yield (kind, index), None, room

    @rule
    def keys_unique(self) -> Iterator[Problem]:
        """Keys name Pulumi resources, so clinics, people and rooms each need distinct keys in an organisation."""
        keyed: dict[str, list[tuple[Loc, str]]] = {
            "clinic": [(("clinics", index), clinic.key) for index, clinic in enumerate(self.clinics)],
            "person": [(("people", index), person.key) for index, person in enumerate(self.people)],
            "room": [(loc, room.key) for loc, _, room in self.rooms()],
        }
        for kind, items in keyed.items():
            for index, key in duplicates(key for _, key in items):
                yield Problem((*items[index][0], "key"), f"the {kind} key '{key}' is used twice in this organisation; keys must be unique")

    @rule
    def people_emails_unique(self) -> Iterator[Problem]:
        """The platform allows one member per email address in an organisation."""
        for index, email in duplicates(person.email.casefold() for person in self.people):
            yield Problem(("people", index, "email"), f"the email address '{self.people[index].email}' belongs to another person of this organisation")

    @rule
    def organisation_has_an_admin(self) -> Iterator[Problem]:
        """An organisation always needs at least one admin."""
        if not any("admin" in person.org_roles for person in self.people):
            yield Problem(("people",), "the organisation has no admin: give at least one person the organisation role 'admin'")

    @rule
    def clinic_has_an_admin(self) -> Iterator[Problem]:
        """Every clinic always needs at least one clinic admin."""
        for index, clinic in enumerate(self.clinics):
            if not any("admin" in person.roles_in(clinic.key) for person in self.people):
                yield Problem(("clinics", index), f"the clinic '{clinic.name}' has no admin: give at least one person the clinic role 'admin' in '{clinic.key}'")

    @rule
    def clinic_roles_resolve(self) -> Iterator[Problem]:
        """Clinic roles name clinics of the same organisation."""
        for p, person in enumerate(self.people):
            for r, entry in enumerate(person.clinic_roles):
                if self.clinic(entry.clinic) is None:
                    yield Problem(("people", p, "clinic_roles", r, "clinic"), f"there is no clinic '{entry.clinic}' in this organisation{self._known('clinics')}")

    @rule
    def transfer_targets_resolve(self) -> Iterator[Problem]:
        """Callers can only be transferred to other clinics of the same organisation."""
        for c, clinic in enumerate(self.clinics):
            for t, target in enumerate(clinic.waiting_area.transfer_targets if clinic.waiting_area else []):
                loc = ("clinics", c, "waiting_area", "transfer_targets", t)
                if target == clinic.key:
                    yield Problem(loc, "a waiting area cannot transfer callers to its own clinic")
                elif self.clinic(target) is None:
                    yield Problem(loc, f"there is no clinic '{target}' in this organisation to transfer callers to{self._known('clinics')}")

    @rule
    def room_members_resolve(self) -> Iterator[Problem]:
        """Meeting room members are people of the organisation, and of the clinic for a clinic's room."""
        for loc, clinic, room in self.rooms():
            for m, member in enumerate(room.members if isinstance(room, MeetingRoom) else []):
                person = self.person(member)
                if person is None:
                    yield Problem((*loc, "members", m), f"there is no person '{member}' in this organisation{self._known('people')}")
                elif clinic is not None and not person.roles_in(clinic.key):
                    yield Problem((*loc, "members", m), f"'{member}' has no role in the clinic '{clinic.key}', so cannot be a member of its meeting room")

    @rule
    def user_room_owner_holds_permission(self) -> Iterator[Problem]:
        """A user room's owner is a person of the organisation with the user_room permission."""
        for index, room in enumerate(self.user_rooms):
            owner = self.person(room.owner)
            if owner is None:
                yield Problem(("user_rooms", index, "owner"), f"there is no person '{room.owner}' in this organisation{self._known('people')}")
            elif not owner.permissions.user_room:
                yield Problem(("user_rooms", index, "owner"), f"'{room.owner}' cannot own a user room: give them the permission 'user_room: true'")

    @rule
    def one_user_room_per_owner(self) -> Iterator[Problem]:
        """A person owns at most one user room."""
        for index, owner in duplicates(room.owner for room in self.user_rooms):
            yield Problem(("user_rooms", index, "owner"), f"'{owner}' already owns a user room; a person can own only one")

    def _known(self, kind: str) -> str:
        """A hint listing the keys that do exist, for 'no such key' messages."""
        keys = [item.key for item in getattr(self, kind)]
        return f" (known {kind}: {', '.join(keys)})" if keys else f" (it has no {kind})"
