"""Organisation bodies and shape."""

from platform_server.models.common import ChangeModel, InputModel, Labels, Name, ObjectOut, Timezone

DEFAULT_TIMEZONE = "Australia/Sydney"


class OrganisationCreate(InputModel):
    """POST /v1/organisations."""

    name: Name
    timezone: Timezone = DEFAULT_TIMEZONE
    labels: Labels = {}


class OrganisationChange(ChangeModel):
    """PATCH /v1/organisations/{org_id}."""

    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    timezone: Timezone = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class Organisation(ObjectOut):
    """An organisation as the API shows it."""

    name: str
    timezone: str
    admin_count: int
