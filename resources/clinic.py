"""A clinic: a department, specialty or general practice of one organisation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

import schemas
from platform_client import PlatformClient
from platform_client.models import Clinic as PlatformClinic
from resources.base import PlatformResource
from resources.organisation import Organisation
from resources.provider import DiffResult, PlatformProvider, ReadResult
from resources.validation import field_failures


def without_undeclared_timezone(values: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    """The values without `timezone` when the declaration gives none (the platform's default at creation stays)."""
    return values if declared.get("timezone") is not None else {k: v for k, v in values.items() if k != "timezone"}


class ClinicProvider(PlatformProvider):
    """Clinic names are unique platform-wide, so a replacement deletes the old clinic first."""

    kind = "clinic"
    input_fields = ("organisation_id", "key", "name", "timezone", "labels")
    parent_field = "organisation_id"
    replace_on = ("organisation_id",)

    def endpoint(self, client: PlatformClient) -> Any:
        return client.clinics

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        return field_failures(schemas.Clinic, inputs, ("key", "name", "timezone", "labels"))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A clinic declared without a timezone took the organisation's when it was made; that one is not managed."""
        return super().diff(_id, without_undeclared_timezone(olds, news), news)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        result = super().read(id_, props)
        if not result.id:
            return result
        # The outputs too: a read's outputs are the next read's `props`, so an undeclared timezone stays undeclared.
        return ReadResult(result.id, without_undeclared_timezone(result.outs or {}, props),
                          without_undeclared_timezone(result.inputs or {}, props))

    def changes(self, changed: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        return super().changes(without_undeclared_timezone(changed, inputs), inputs)

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformClinic | None:
        clinics = client.clinics.list(inputs["organisation_id"])
        return next((clinic for clinic in clinics if clinic.name == inputs.get("name")), None)


class Clinic(PlatformResource, module="videocall", name="Clinic"):
    """A clinic of an organisation; it may have one waiting area."""

    name: pulumi.Output[str]
    timezone: pulumi.Output[str]
    organisation_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        organisation: Organisation,
        key: str,
        name: pulumi.Input[str],
        timezone: pulumi.Input[str] | None = None,
        labels: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a clinic of `organisation`; without a `timezone` it takes the organisation's when it is made, and keeps it."""
        self.spec_key = key
        self.organisation_spec_key = organisation.spec_key
        props = {"organisation_id": organisation.id, "key": key, "name": name,
                 **({"timezone": timezone} if timezone is not None else {})}
        super().__init__(ClinicProvider(), resource_name, props, labels, opts)
