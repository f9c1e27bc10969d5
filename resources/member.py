"""A person's access: their organisation roles, clinic roles and permissions."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

import schemas
from platform_client import PlatformClient
from platform_client.errors import ValidationFailed
from platform_client.models import Member as PlatformMember
from platform_client.models import PlatformObject
from resources.base import PlatformResource
from resources.clinic import Clinic
from resources.organisation import Organisation
from resources.provider import PlatformProvider, ProviderRefusal, log
from resources.validation import model_failures

PERSON_FIELDS = ("key", "email", "display_name", "org_roles", "labels")
NO_MEMBER_PERMISSIONS = {"meeting_rooms": False, "user_room": False}
"""Member-level permissions, the shape before they were per clinic: always sent off, so a migrated person's go."""
LAST_ADMIN_CODES = ("last_org_admin", "last_clinic_admin")
FIRST_ADMIN_CODE = "clinic_admin_required"
"""The platform lets nobody into a clinic before its first Clinic Administrator."""
LAST_ADMIN_PATIENCE = 20.0
"""Seconds a removal of admin waits for the grant to someone else that runs beside it."""
LAST_ADMIN_PAUSE = 0.5


def dropped_admin_grants(olds: Mapping[str, Any], changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Admin grants of clinics that a clinic_roles change drops altogether (those clinics may be leaving)."""
    if "clinic_roles" not in changes:
        return []
    staying = {grant["clinic_id"] for grant in changes["clinic_roles"] or []}
    return [dict(grant) for grant in olds.get("clinic_roles") or []
            if grant["clinic_id"] not in staying and "admin" in grant.get("roles", [])]


def without_unused_permissions(clinic_roles: Any) -> Any:
    """Clinic role entries as declared: an entry's `permissions` are left out when none is granted."""
    if not isinstance(clinic_roles, list):
        return clinic_roles
    return [{name: value for name, value in entry.items() if name != "permissions" or any(value.values())}
            if isinstance(entry, dict) and isinstance(entry.get("permissions"), dict) else entry
            for entry in clinic_roles]


def scope_of(code: str | None) -> str:
    """The platform's word for what a last-admin rule protects."""
    return "organisation" if code == "last_org_admin" else "clinic"


class MemberProvider(PlatformProvider):
    """People are invited by email; the email and the organisation cannot change in place."""

    kind = "member"
    input_fields = ("organisation_id", "key", "email", "display_name", "org_roles", "clinic_roles", "permissions",
                    "labels")
    parent_field = "organisation_id"
    replace_on = ("organisation_id", "email")
    delete_before_replace = False  # a new email is a new person; the old one goes once the new one has access
    output_fields = ("invitation",)

    def endpoint(self, client: PlatformClient) -> Any:
        return client.members

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        return model_failures(schemas.Person, inputs, PERSON_FIELDS)

    def to_platform(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        email = {"email": inputs["email"]} if "email" in inputs else {}
        return {**super().to_platform(inputs), **email}

    def changes(self, changed: dict[str, Any], _inputs: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in super().to_platform(changed).items() if name != "email"}

    def live_inputs(self, live: PlatformObject) -> dict[str, Any]:
        inputs = super().live_inputs(live)
        if "clinic_roles" in inputs:
            inputs["clinic_roles"] = without_unused_permissions(inputs["clinic_roles"])
        return inputs

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformMember | None:
        email = str(inputs.get("email", "")).casefold()
        return next((m for m in client.members.list(inputs["organisation_id"]) if m.email.casefold() == email), None)

    def update_object(
        self, client: PlatformClient, id_: str, changes: dict[str, Any], olds: dict[str, Any], news: dict[str, Any]
    ) -> PlatformObject:
        """Patch the person; a role move between two people waits for the other one to gain it first.

        Changes run in parallel: when admin moves from one person to another, this person's removal can
        come before the other's grant, and the platform never lets the last admin go. Waiting a little
        lets the grant land; a removal that stays refused is explained.
        """
        deadline = time.monotonic() + LAST_ADMIN_PATIENCE
        while True:
            try:
                return super().update_object(client, id_, changes, olds, news)
            except ValidationFailed as error:
                if error.code not in (*LAST_ADMIN_CODES, FIRST_ADMIN_CODE):
                    raise
                if time.monotonic() < deadline:
                    time.sleep(LAST_ADMIN_PAUSE)
                    continue
                kept = dropped_admin_grants(olds, changes)
                if error.code == "last_clinic_admin" and kept:
                    # The clinic itself goes later in this run (deletes come last), and its roles with it.
                    log.info("keeping %s's admin grants of clinics leaving the spec until they are deleted",
                             news.get("key"))
                    changes = {**changes, "clinic_roles": [*changes["clinic_roles"], *kept]}
                    return super().update_object(client, id_, changes, olds, news)
                raise ProviderRefusal(
                    f"'{news.get('key')}' would leave their {scope_of(error.code)} without an admin, and the "
                    "platform keeps at least one: declare another admin for it (or remove the clinic) first"
                ) from None

    def create_object(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject:
        """Invite the person; one given a role in a clinic whose first admin is being invited beside them waits a little."""
        deadline = time.monotonic() + LAST_ADMIN_PATIENCE
        while True:
            try:
                return super().create_object(client, inputs)
            except ValidationFailed as error:
                if error.code != FIRST_ADMIN_CODE:
                    raise
                if time.monotonic() < deadline:
                    time.sleep(LAST_ADMIN_PAUSE)
                    continue
                raise ProviderRefusal(
                    f"'{inputs.get('key')}' has a role in a clinic that has no Clinic Administrator yet, and the platform "
                    "lets nobody in before one: declare the clinic's admin (and, from Python, make this person depend on them)"
                ) from None

    def delete_object(self, client: PlatformClient, id_: str, inputs: dict[str, Any]) -> None:
        try:
            client.members.delete(id_)
        except ValidationFailed as error:
            if error.code not in LAST_ADMIN_CODES:
                raise
            raise ProviderRefusal(
                f"'{inputs.get('key')}' is the last admin of their {scope_of(error.code)}"
                ", and the platform keeps at least one admin: give someone else the admin role first (or remove "
                "the clinic in an earlier `pulumi up`), then remove this person"
            ) from None


class Member(PlatformResource, module="videocall", name="Member"):
    """A person of an organisation with their roles and permissions (an invitation goes to the email)."""

    email: pulumi.Output[str]
    invitation: pulumi.Output[dict[str, Any]]
    """The pending invitation (status and expiry) until the person accepts it."""

    def __init__(
        self,
        resource_name: str,
        *,
        organisation: Organisation,
        key: str,
        email: pulumi.Input[str],
        display_name: pulumi.Input[str],
        org_roles: Sequence[schemas.OrgRole] = (),
        clinic_roles: Mapping[Clinic, Sequence[schemas.ClinicRole]] | None = None,
        clinic_permissions: Mapping[Clinic, schemas.ClinicPermissions] | None = None,
        labels: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a person of `organisation`: roles in it, roles per clinic (`{renal: ["admin"]}`), permissions per clinic."""
        self.spec_key = key
        props = {
            "organisation_id": organisation.id,
            "key": key,
            "email": email,
            "display_name": display_name,
            "org_roles": list(org_roles),
            "clinic_roles": without_unused_permissions([
                {"clinic_id": clinic.id, "roles": list(roles),
                 "permissions": (clinic_permissions or {}).get(clinic, schemas.ClinicPermissions()).model_dump()}
                for clinic, roles in (clinic_roles or {}).items()]),
            "permissions": dict(NO_MEMBER_PERMISSIONS),
        }
        # On destroy the organisation goes too, taking its people with it; deleting them one by one
        # first would stop at the last admin, whom the platform never lets go alone.
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(deleted_with=organisation))
        super().__init__(MemberProvider(), resource_name, props, labels, opts)
