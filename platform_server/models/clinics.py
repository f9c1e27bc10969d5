"""Clinic bodies and shape."""

from platform_server.models.common import ChangeModel, InputModel, Labels, Name, ObjectOut, Timezone


class ClinicCreate(InputModel):
    """POST /v1/organisations/{org_id}/clinics; the time zone defaults to the organisation's."""

    name: Name
    timezone: Timezone | None = None
    labels: Labels = {}


class ClinicChange(ChangeModel):
    """PATCH /v1/clinics/{clinic_id}."""

    immutable_fields = frozenset({"organisation_id"})

    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    timezone: Timezone = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class Clinic(ObjectOut):
    """A clinic as the API shows it."""

    organisation_id: str
    name: str
    timezone: str
    admin_count: int
