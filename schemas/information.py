"""What an organisation shows its callers: logo, custom URL, policies, troubleshooting and support (docs/access-model.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .common import Email, Name, SpecModel, TextPattern

HttpsUrl = Annotated[str, TextPattern(
    r"^https://[^\s]{1,1990}$",
    "url_is_https",
    "is not an https address: write the whole address, starting with https://",
    "An https address.",
)]
ShortPath = Annotated[str, TextPattern(
    r"^(?=.{1,63}$)[a-z0-9]+(-[a-z0-9]+)*$",
    "custom_url_is_a_short_path",
    "is not a short path: use lowercase letters, digits and single hyphens (like 'metro-health')",
    "The path of the organisation's custom URL: lowercase letters, digits and single hyphens.",
)]
Phone = Annotated[str, TextPattern(
    r"^\+?[0-9 ()-]{6,20}$",
    "phone_is_a_number",
    "is not a phone number: digits, spaces, brackets and hyphens, optionally after a '+'",
    "A phone number.",
)]


class SupportContact(SpecModel):
    """Who callers contact when they need help."""

    name: Name
    """Name of the contact (a service desk, a person)."""
    email: Email | None = None
    """Email address for callers needing help."""
    phone: Phone | None = None
    """Phone number for callers needing help."""


class OrganisationInformation(SpecModel):
    """The organisation information its admins configure; each setting is optional."""

    logo_url: HttpsUrl | None = None
    """Address of the organisation's logo, shown to callers in every clinic."""
    custom_url: ShortPath | None = None
    """Short path of the organisation's custom URL (unique on the platform)."""
    privacy_url: HttpsUrl | None = None
    """The organisation's privacy policy."""
    terms_url: HttpsUrl | None = None
    """The organisation's terms of use."""
    troubleshooting_url: HttpsUrl | None = None
    """Where callers find help with their device or connection."""
    support_message: Annotated[str, StringConstraints(max_length=500)] = ""
    """Shown to callers who need assistance (up to 500 characters)."""
    support_contact: SupportContact | None = None
    """Who callers contact for help."""
