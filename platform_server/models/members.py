"""Member bodies and shape: people, their org and clinic roles, permissions, invitation state."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field

from platform_server.models.common import (
    ChangeModel,
    InputModel,
    Labels,
    Name,
    ObjectId,
    ObjectOut,
    items_are_listed_once,
)

OrgRole = Literal["admin", "coordinator", "reporter"]
ClinicRole = Literal["admin", "clerk", "team_member", "service_referrer", "reception"]
"""Clinic Administrator, Clinic Clerk, Team Member, Service Referrer; `reception` is deprecated (not a platform role)."""
OrgRoles = Annotated[list[OrgRole], AfterValidator(items_are_listed_once)]


class ClinicPermissions(InputModel):
    """What a member may use in one clinic: Meeting Rooms (group rooms too), User Room, Data Collections."""

    meeting_rooms: bool = False
    user_room: bool = False
    data_collections: bool = False


class ClinicRoles(InputModel):
    """The roles a member holds in one clinic, and their permissions there."""

    clinic_id: ObjectId
    roles: Annotated[list[ClinicRole], AfterValidator(items_are_listed_once)]
    permissions: ClinicPermissions = ClinicPermissions()


def each_clinic_is_listed_once(entries: list[ClinicRoles]) -> list[ClinicRoles]:
    """Refuse two entries for the same clinic."""
    items_are_listed_once([entry.clinic_id for entry in entries])
    return entries


ClinicRoleList = Annotated[list[ClinicRoles], Field(max_length=500), AfterValidator(each_clinic_is_listed_once)]


class Permissions(InputModel):
    """Per-person permissions (deprecated: permissions are per clinic, on each clinic role entry)."""

    meeting_rooms: bool = False
    user_room: bool = False


class MemberCreate(InputModel):
    """POST /v1/organisations/{org_id}/members."""

    email: EmailStr
    display_name: Name
    org_roles: OrgRoles = []
    clinic_roles: ClinicRoleList = []
    permissions: Permissions = Permissions()
    labels: Labels = {}


class MemberChange(ChangeModel):
    """PATCH /v1/members/{mbr_id}."""

    immutable_fields = frozenset({"email", "organisation_id"})

    # Absent means unchanged; an explicit null is refused.
    display_name: Name = None  # type: ignore[assignment]
    org_roles: OrgRoles = None  # type: ignore[assignment]
    clinic_roles: ClinicRoleList = None  # type: ignore[assignment]
    permissions: Permissions = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class Invitation(BaseModel):
    """Where a member's invitation stands."""

    state: Literal["pending", "accepted", "expired"]
    expires_at: datetime


class Member(ObjectOut):
    """A member as the API shows it."""

    organisation_id: str
    email: str
    display_name: str
    org_roles: list[OrgRole]
    clinic_roles: list[ClinicRoles]
    permissions: Permissions
    invitation: Invitation
