"""Organisation bodies and shape."""

from typing import Annotated

from pydantic import EmailStr, StringConstraints

from platform_server.models.common import ChangeModel, InputModel, Labels, Name, ObjectOut, Timezone

DEFAULT_TIMEZONE = "Australia/Sydney"
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$", max_length=2000)]
ShortPath = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=63)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{6,20}$")]


class SupportContact(InputModel):
    """Who callers contact for help."""

    name: Name
    email: EmailStr | None = None
    phone: Phone | None = None


class OrganisationInformation(InputModel):
    """What the organisation shows callers: logo, custom URL, policies, troubleshooting, support."""

    logo_url: HttpsUrl | None = None
    custom_url: ShortPath | None = None
    """The short path of the organisation's custom URL, unique platform-wide (409 `custom_url_taken`)."""
    privacy_url: HttpsUrl | None = None
    terms_url: HttpsUrl | None = None
    troubleshooting_url: HttpsUrl | None = None
    support_message: Annotated[str, StringConstraints(max_length=500)] = ""
    support_contact: SupportContact | None = None


class OrganisationCreate(InputModel):
    """POST /v1/organisations."""

    name: Name
    timezone: Timezone = DEFAULT_TIMEZONE
    information: OrganisationInformation = OrganisationInformation()
    labels: Labels = {}


class OrganisationChange(ChangeModel):
    """PATCH /v1/organisations/{org_id}."""

    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    timezone: Timezone = None  # type: ignore[assignment]
    information: OrganisationInformation = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class Organisation(ObjectOut):
    """An organisation as the API shows it."""

    name: str
    timezone: str
    information: OrganisationInformation
    admin_count: int
