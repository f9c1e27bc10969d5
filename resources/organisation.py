"""An organisation: a hospital, GP practice or mental-health service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

import schemas
from platform_client import PlatformClient
from platform_client.errors import Conflict
from platform_client.models import Organisation as PlatformOrganisation
from platform_client.models import PlatformObject
from resources.base import PlatformResource
from resources.shapes import without_defaults
from resources.provider import PlatformProvider, ProviderRefusal
from resources.validation import field_failures


NO_INFORMATION = schemas.OrganisationInformation()


def without_default_information(values: dict[str, Any]) -> dict[str, Any]:
    """`information` only when some of it is set: an organisation without reads the same as one from before the setting."""
    return without_defaults(values, {"information": NO_INFORMATION.model_dump(mode="json")})


class OrganisationProvider(PlatformProvider):
    """Organisations are created with an operator token; deleting one leaves nothing of ours behind."""

    kind = "organisation"
    input_fields = ("key", "name", "timezone", "information", "labels")

    def endpoint(self, client: PlatformClient) -> Any:
        return client.organisations

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        return field_failures(schemas.Organisation, inputs, self.input_fields)

    def live_inputs(self, live: PlatformObject) -> dict[str, Any]:
        return without_default_information(super().live_inputs(live))


    def create_object(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformOrganisation:
        return client.organisations.create(
            self.to_platform(inputs), idempotency_scope=self.idempotency_scope(inputs)
        )

    def own_candidates(
        self, client: PlatformClient, inputs: dict[str, Any], wanted: Mapping[str, str]
    ) -> Iterable[PlatformOrganisation]:
        """Organisations carrying this one's ownership labels (one filtered listing)."""
        return client.organisations.list(labels=wanted)

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformOrganisation | None:
        return next((org for org in client.organisations.list() if org.name == inputs.get("name")), None)

    def delete_object(self, client: PlatformClient, id_: str, _inputs: dict[str, Any]) -> None:
        """Delete once only members remain (a last admin cannot be removed alone); refuse over others' objects."""
        try:
            client.organisations.delete(id_)
        except Conflict as error:
            if error.code != "organisation_not_empty":
                raise
            tree = client.organisations.tree(id_)
            others = [clinic.name for clinic in tree.clinics] + [
                room.name for room in (*tree.meeting_rooms, *tree.group_rooms, *tree.user_rooms)
            ]
            if others:
                raise ProviderRefusal(
                    f"the organisation {id_} still holds objects this stack does not manage: "
                    f"{', '.join(sorted(others))}; delete or adopt them first"
                ) from None
            client.organisations.delete(id_, cascade=True)


class Organisation(PlatformResource, module="videocall", name="Organisation"):
    """An organisation on the platform; clinics, rooms and people belong to it."""

    name: pulumi.Output[str]
    timezone: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        key: str,
        name: pulumi.Input[str],
        timezone: pulumi.Input[str] = "Australia/Sydney",
        information: schemas.OrganisationInformation | None = None,
        labels: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare an organisation; `key` names it in the stack and in its objects' ownership labels."""
        self.spec_key = key
        props = without_default_information({"key": key, "name": name, "timezone": timezone,
                                             "information": (information or NO_INFORMATION).model_dump(mode="json")})
        super().__init__(OrganisationProvider(), resource_name, props, labels, opts)
