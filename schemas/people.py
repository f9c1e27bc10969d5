"""People of an organisation and their access: organisation roles, clinic roles and permissions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from .common import Email, Key, Labels, Name, Problem, SpecModel, duplicates, rule

OrgRole = Literal["admin", "coordinator", "reporter"]
ClinicRole = Literal["admin", "team_member", "reception"]


class ClinicRoles(SpecModel):
    """The roles a person holds in one clinic of their organisation."""

    clinic: Key
    """Key of a clinic of the same organisation."""
    roles: list[ClinicRole]
    """Roles in that clinic: admin, team_member, reception."""

    @rule
    def clinic_roles_listed_once(self) -> Iterator[Problem]:
        """Each role is listed once."""
        for index, role in duplicates(self.roles):
            yield Problem(("roles", index), f"the role '{role}' is listed twice")


class Permissions(SpecModel):
    """What a person may use beyond their roles."""

    meeting_rooms: bool = False
    """May use meeting rooms."""
    user_room: bool = False
    """May own a personal user room."""


class Person(SpecModel):
    """A member of an organisation (a provider, receptionist or administrator), invited by email."""

    key: Key
    """Stable key, unique among the organisation's people; rooms and roles refer to it."""
    email: Email
    """Email address the invitation goes to; unique within the organisation, cannot change later."""
    display_name: Name
    """Name shown on the platform."""
    org_roles: list[OrgRole] = []
    """Organisation roles: admin, coordinator, reporter."""
    clinic_roles: list[ClinicRoles] = []
    """Roles per clinic of the organisation."""
    permissions: Permissions = Permissions()
    """Meeting room and user room permissions (both off by default)."""
    labels: Labels = {}
    """Free-form labels copied onto the platform object."""

    @rule
    def org_roles_listed_once(self) -> Iterator[Problem]:
        """Each organisation role is listed once."""
        for index, role in duplicates(self.org_roles):
            yield Problem(("org_roles", index), f"the role '{role}' is listed twice")

    @rule
    def clinics_listed_once(self) -> Iterator[Problem]:
        """A person's roles in one clinic are given in one entry."""
        for index, clinic in duplicates(self.clinic_roles, lambda entry: entry.clinic):
            yield Problem(("clinic_roles", index, "clinic"), f"the clinic '{clinic}' is listed twice: put all roles in that clinic in one entry")

    def roles_in(self, clinic: str) -> list[str]:
        """This person's roles in the clinic with that key (empty when none)."""
        return [role for entry in self.clinic_roles if entry.clinic == clinic for role in entry.roles]
