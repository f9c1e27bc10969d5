"""People of an organisation and their access: organisation roles, clinic roles and permissions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BeforeValidator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from .common import Email, Key, Labels, Name, Problem, SpecModel, UnknownValue, duplicates, rule

OrgRole = Literal["admin", "coordinator", "reporter"]
"""Organisation Administrator, Organisation Coordinator, Organisation Reporter."""
STAFF_ROLES = frozenset({"admin", "clerk", "team_member"})
"""Clinic roles that see the clinic's waiting area and use its rooms (not a Service Referrer)."""


def clinic_role_is_a_platform_role(value: Any) -> Any:
    """`reception` was ours, not the platform's: say what to write instead."""
    if value == "reception":
        raise PydanticCustomError(
            "clinic_role_is_a_platform_role",
            "'reception' is not a role on the platform: write 'clerk' for someone who adds colleagues to the clinic, "
            "or 'team_member' for someone who answers callers",
        )
    return value


if TYPE_CHECKING:
    ClinicRole: TypeAlias = Literal["admin", "clerk", "team_member", "service_referrer"]
else:
    ClinicRole = Annotated[Literal["admin", "clerk", "team_member", "service_referrer"],
                           BeforeValidator(clinic_role_is_a_platform_role)]
"""Clinic Administrator, Clinic Clerk, Team Member, Service Referrer."""


class ClinicPermissions(SpecModel):
    """What a person may use in one clinic, granted by its admins (all off by default)."""

    meeting_rooms: bool = False
    """May use the clinic's meeting rooms and group rooms."""
    user_room: bool = False
    """May have a personal user room in the clinic."""
    data_collections: bool = False
    """Data Collections (the platform's help calls it future functionality and advises leaving it off)."""

    def granted(self) -> list[str]:
        """The names of the permissions granted."""
        return [name for name in ("meeting_rooms", "user_room", "data_collections") if getattr(self, name)]


class ClinicRoles(SpecModel):
    """The roles a person holds in one clinic of their organisation, and their permissions there."""

    clinic: Key
    """Key of a clinic of the same organisation."""
    roles: list[ClinicRole]
    """Roles in that clinic: admin (Clinic Administrator), clerk (Clinic Clerk), team_member, service_referrer."""
    permissions: ClinicPermissions = ClinicPermissions()
    """Permissions in that clinic: meeting_rooms (group rooms too), user_room, data_collections."""

    @rule
    def clinic_roles_listed_once(self) -> Iterator[Problem]:
        """Each role is listed once."""
        for index, role in duplicates(self.roles):
            yield Problem(("roles", index), f"the role '{role}' is listed twice")

    @rule
    def service_referrer_holds_no_other_role_here(self) -> Iterator[Problem]:
        """A Service Referrer transfers callers into a clinic without seeing it, so holds no other role there."""
        if "service_referrer" in self.roles and len(set(self.roles)) > 1:
            yield Problem(("roles",), "a service_referrer cannot see this clinic's waiting area, so holds no other role "
                                      "in it: keep 'service_referrer' or the other roles")

    @rule
    def permissions_need_a_role(self) -> Iterator[Problem]:
        """Permissions are used by the clinic's staff: admin, clerk or team_member."""
        granted = self.permissions.granted()
        if granted and not STAFF_ROLES & set(self.roles):
            yield Problem(("permissions",), f"{', '.join(granted)} needs the role admin, clerk or team_member in this "
                                            "clinic (a service_referrer does not use its rooms)")

    def is_staff(self) -> bool:
        """Whether these roles see the clinic's waiting area and may use its rooms."""
        return bool(STAFF_ROLES & set(self.roles))


class Permissions(SpecModel):
    """Member-level permissions, the shape before permissions were per clinic: only read to say what to write now."""

    meeting_rooms: bool = False
    user_room: bool = False


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
    permissions: SkipJsonSchema[Permissions | None] = None
    """Not a platform setting any more (permissions are per clinic); a spec that gives it is told what to write."""
    labels: Labels = {}
    """Free-form labels copied onto the platform object."""

    @rule
    def permissions_are_per_clinic(self) -> Iterator[Problem]:
        """Permissions are granted per clinic on the platform: name the clinic entries to move them to."""
        if self.permissions is None:
            return
        granted = [name for name in ("meeting_rooms", "user_room") if getattr(self.permissions, name)]
        flags = ", ".join(f"{name}: true" for name in granted)
        staff = [entry.clinic for entry in self.clinic_roles if entry.is_staff()]
        if not granted:
            yield Problem(("permissions",), "permissions are granted per clinic on the platform: remove this entry")
        elif staff:
            yield Problem(("permissions",), "permissions are granted per clinic on the platform: remove this entry and "
                          f"write `permissions: {{{flags}}}` in the clinic_roles entry of each clinic where it applies "
                          f"({', '.join(staff)})")
        else:
            yield Problem(("permissions",), "permissions are granted per clinic on the platform, and this person has no "
                          f"admin, clerk or team_member role in a clinic: remove this entry, or give them a clinic role "
                          f"with `permissions: {{{flags}}}` (an organisation admin uses meeting rooms without one)")

    @rule
    def service_referrer_is_an_additional_role(self) -> Iterator[Problem]:
        """A Service Referrer already holds the admin or team_member role in another clinic."""
        for index, entry in enumerate(self.clinic_roles):
            with suppress(UnknownValue):
                if "service_referrer" in entry.roles and not any(
                        {"admin", "team_member"} & set(other.roles) for other in self.clinic_roles if other is not entry):
                    yield Problem(("clinic_roles", index, "roles"),
                                  f"service_referrer is an additional role: '{self.key}' needs the role admin or "
                                  "team_member in another clinic first")

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

    def holds(self, permission: str, clinic: str) -> bool:
        """Whether this person is staff of the clinic with that permission there."""
        return any(entry.clinic == clinic and entry.is_staff() and getattr(entry.permissions, permission)
                   for entry in self.clinic_roles)

    def holds_anywhere(self, permission: str) -> bool:
        """Whether this person holds the permission in some clinic."""
        return any(entry.is_staff() and getattr(entry.permissions, permission) for entry in self.clinic_roles)
