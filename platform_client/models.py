"""The API v1 wire shapes (docs/api-v1.md): output models validate answers, input models refuse unknown fields.

Input models fix the shape only; the platform enforces every rule (limits, uniqueness, references) and
answers 409/422 with the rule's code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from platform_client.errors import MalformedResponse

Labels = dict[str, str]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
OrgRole = Literal["admin", "coordinator", "reporter"]
ClinicRole = Literal["admin", "clerk", "team_member", "service_referrer", "reception"]
"""Clinic Administrator, Clinic Clerk, Team Member, Service Referrer (`reception` is deprecated)."""
EntryFieldType = Literal["text", "number", "date", "email", "phone"]
TokenAccess = Literal["read_write", "read_only", "member"]
InvitationState = Literal["pending", "accepted", "expired"]


class WireModel(BaseModel):
    """Base of every shape sent to the platform: unknown fields are a bug, not a silent drop."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Output(BaseModel):
    """Base of every shape read from the platform: fields added by a newer server are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# Values nested inside objects; the same shape is written and read.


class Break(WireModel):
    """A pause inside a day's opening hours."""

    start: str = Field(description="HH:MM")
    end: str = Field(description="HH:MM")


class OpeningDay(WireModel):
    """One weekday's opening hours; a weekday missing from the map is closed."""

    open: str = Field(description="HH:MM, before close")
    close: str = Field(description="HH:MM")
    breaks: list[Break] = Field(default_factory=list, description="sorted, non-overlapping, inside open..close")


class EntryField(WireModel):
    """A question a caller answers before entering the waiting area."""

    label: str = Field(description="1..80 chars, unique within the waiting area")
    type: EntryFieldType
    required: bool


class AutomatedMessage(WireModel):
    """A message shown to a caller who has waited `after_minutes`."""

    after_minutes: int
    text: str = Field(description="1..500 chars")


class ClinicPermissions(WireModel):
    """What a member may use in one clinic (docs/access-model.md)."""

    meeting_rooms: bool = False
    user_room: bool = False
    data_collections: bool = False


class ClinicRoles(WireModel):
    """A member's roles in one clinic of their organisation, and their permissions there."""

    clinic_id: str
    roles: list[ClinicRole]
    permissions: ClinicPermissions = Field(default_factory=ClinicPermissions)


class Permissions(WireModel):
    """A member's per-person permissions (deprecated: permissions are per clinic)."""

    meeting_rooms: bool = False
    user_room: bool = False


class Invitation(Output):
    """A member's invitation: pending on creation, expires 30 days later unless accepted."""

    state: InvitationState
    expires_at: AwareDatetime


# Objects as the platform returns them.


class PlatformObject(Output):
    """Fields every platform object has; `version` is also its ETag (`"<version>"`)."""

    id: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    version: int = Field(ge=1)
    labels: Labels


class SupportContact(WireModel):
    """Who callers contact for help."""

    name: str
    email: str | None = None
    phone: str | None = None


class OrganisationInformation(WireModel):
    """What an organisation shows callers (docs/access-model.md)."""

    logo_url: str | None = None
    custom_url: str | None = Field(None, description="short path, unique platform-wide")
    privacy_url: str | None = None
    terms_url: str | None = None
    troubleshooting_url: str | None = None
    support_message: str = ""
    support_contact: SupportContact | None = None


class Joining(WireModel):
    """How guests and callers join a clinic's calls."""

    guest_photo: Literal["required", "optional", "none"] = "required"
    last_name_mandatory: bool = False
    camera_preview: bool = True
    callers_may_mute: bool = False


class NewCallerAlert(WireModel):
    """An alert to staff when a caller arrives."""

    channel: Literal["sms", "email", "desktop"]
    to: str | None = None


ConnectionCheck = Literal["off", "permissive", "exceptions_only", "restricted", "strict"]


class Organisation(PlatformObject):
    """A hospital, practice or service; groups clinics."""

    name: str
    timezone: str
    information: OrganisationInformation = Field(default_factory=OrganisationInformation)
    admin_count: int


class Clinic(PlatformObject):
    """A department or practice of one organisation; its name is unique platform-wide."""

    organisation_id: str
    name: str
    timezone: str
    admin_count: int


class WaitingArea(PlatformObject):
    """The one waiting area of a clinic; `entry_link` never changes."""

    clinic_id: str
    organisation_id: str
    name: str
    enabled: bool
    disabled_message: str
    opening_hours: dict[Weekday, OpeningDay]
    confirm_call_entry: bool
    show_queue_position: bool
    entry_fields: list[EntryField]
    automated_messages: list[AutomatedMessage]
    transfer_targets: list[str]
    shared_for_transfers: bool = False
    support_information: str = ""
    call_locks: bool = False
    joining: Joining = Field(default_factory=Joining)
    connection_check: ConnectionCheck = "off"
    new_caller_alerts: list[NewCallerAlert] = Field(default_factory=list)
    entry_link: str
    waiting_count: int


class Room(PlatformObject):
    """Fields every room kind has."""

    organisation_id: str
    name: str
    max_participants: int
    room_link: str


class MeetingRoom(Room):
    """A room for providers to meet; in an organisation or one of its clinics."""

    clinic_id: str | None
    member_ids: list[str]


class GroupRoom(Room):
    """A room for calls of up to 20; in an organisation or one of its clinics."""

    clinic_id: str | None


class UserRoom(Room):
    """A provider's personal room in one clinic (null: made before rooms had clinics), entered only by invitation."""

    owner_member_id: str
    clinic_id: str | None = None


class Member(PlatformObject):
    """A person of an organisation and their access."""

    organisation_id: str
    email: str
    display_name: str
    org_roles: list[OrgRole]
    clinic_roles: list[ClinicRoles]
    permissions: Permissions
    invitation: Invitation


class Token(Output):
    """An organisation token as listed (never with its secret)."""

    id: str
    name: str
    access: TokenAccess
    organisation_id: str
    member_id: str | None = None


class CreatedToken(Token):
    """A freshly made token; `token` is its secret, shown once and redacted in reprs."""

    token: SecretStr


class ClinicWithWaitingArea(Clinic):
    """A clinic in the organisation tree, with its waiting area if it has one."""

    waiting_area: WaitingArea | None


class OrganisationTree(Output):
    """Every object of one organisation, from a single bulk read."""

    organisation: Organisation
    clinics: list[ClinicWithWaitingArea]
    meeting_rooms: list[MeetingRoom]
    group_rooms: list[GroupRoom]
    user_rooms: list[UserRoom]
    members: list[Member]

    def objects(self) -> Iterator[PlatformObject]:
        """Every object of the tree, the organisation and each clinic's waiting area included."""
        yield self.organisation
        for clinic in self.clinics:
            yield clinic
            if clinic.waiting_area is not None:
                yield clinic.waiting_area
        yield from (*self.meeting_rooms, *self.group_rooms, *self.user_rooms, *self.members)


T = TypeVar("T", bound=BaseModel)


class Page(Output, Generic[T]):
    """One page of a collection; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None


# What callers send. Create models carry the contract's defaults for documentation; only the
# fields a caller set are sent, so the platform's own defaults (e.g. the organisation's timezone) apply.


class OrganisationCreate(WireModel):
    """A new organisation (operator token only)."""

    name: str = Field(description="1..120 chars, unique platform-wide")
    timezone: str = Field("Australia/Sydney", description="IANA name; default for its clinics")
    information: OrganisationInformation = Field(default_factory=OrganisationInformation)
    labels: Labels = Field(default_factory=dict)


class OrganisationUpdate(WireModel):
    """Changes to an organisation."""

    name: str | None = None
    timezone: str | None = None
    information: OrganisationInformation | None = None
    labels: Labels | None = None


class ClinicCreate(WireModel):
    """A new clinic in an organisation."""

    name: str = Field(description="1..120 chars, unique platform-wide")
    timezone: str | None = Field(None, description="IANA name; default: the organisation's")
    labels: Labels = Field(default_factory=dict)


class ClinicUpdate(WireModel):
    """Changes to a clinic."""

    name: str | None = None
    timezone: str | None = None
    labels: Labels | None = None


class WaitingAreaCreate(WireModel):
    """The waiting area of a clinic (at most one per clinic)."""

    name: str
    enabled: bool = True
    disabled_message: str = Field("", description="<= 500 chars")
    opening_hours: dict[Weekday, OpeningDay] = Field(default_factory=dict)
    confirm_call_entry: bool = False
    show_queue_position: bool = True
    entry_fields: list[EntryField] = Field(default_factory=list, description="at most 10")
    automated_messages: list[AutomatedMessage] = Field(default_factory=list, description="at most 10")
    transfer_targets: list[str] = Field(default_factory=list, description="deprecated: grants nothing")
    shared_for_transfers: bool = Field(False, description="every clinic of the organisation may transfer callers in")
    support_information: str = Field("", description="<= 500 chars")
    call_locks: bool = False
    joining: Joining = Field(default_factory=Joining)
    connection_check: ConnectionCheck = "off"
    new_caller_alerts: list[NewCallerAlert] = Field(default_factory=list, description="at most 10")
    labels: Labels = Field(default_factory=dict)


class WaitingAreaUpdate(WireModel):
    """Changes to a waiting area; disabling while callers wait needs force."""

    name: str | None = None
    enabled: bool | None = None
    disabled_message: str | None = None
    opening_hours: dict[Weekday, OpeningDay] | None = None
    confirm_call_entry: bool | None = None
    show_queue_position: bool | None = None
    entry_fields: list[EntryField] | None = None
    automated_messages: list[AutomatedMessage] | None = None
    transfer_targets: list[str] | None = None
    shared_for_transfers: bool | None = None
    support_information: str | None = None
    call_locks: bool | None = None
    joining: Joining | None = None
    connection_check: ConnectionCheck | None = None
    new_caller_alerts: list[NewCallerAlert] | None = None
    labels: Labels | None = None


class MeetingRoomCreate(WireModel):
    """A new meeting room (2..6 participants)."""

    name: str
    max_participants: int
    member_ids: list[str] = Field(default_factory=list)
    labels: Labels = Field(default_factory=dict)


class MeetingRoomUpdate(WireModel):
    """Changes to a meeting room."""

    name: str | None = None
    max_participants: int | None = None
    member_ids: list[str] | None = None
    labels: Labels | None = None


class GroupRoomCreate(WireModel):
    """A new group room (2..20 participants)."""

    name: str
    max_participants: int
    labels: Labels = Field(default_factory=dict)


class GroupRoomUpdate(WireModel):
    """Changes to a group room."""

    name: str | None = None
    max_participants: int | None = None
    labels: Labels | None = None


class UserRoomCreate(WireModel):
    """A provider's personal room; the owner needs the user_room permission."""

    owner_member_id: str
    name: str
    max_participants: int = Field(6, description="2..6")
    labels: Labels = Field(default_factory=dict)


class UserRoomUpdate(WireModel):
    """Changes to a user room (the owner is fixed; a room made without a clinic may be placed in one, once)."""

    clinic_id: str | None = None
    name: str | None = None
    max_participants: int | None = None
    labels: Labels | None = None


class MemberCreate(WireModel):
    """A new member (their invitation starts pending)."""

    email: str = Field(description="unique within the organisation")
    display_name: str
    org_roles: list[OrgRole] = Field(default_factory=list)
    clinic_roles: list[ClinicRoles] = Field(default_factory=list)
    permissions: Permissions = Field(default_factory=Permissions)
    labels: Labels = Field(default_factory=dict)


class MemberUpdate(WireModel):
    """Changes to a member (the email is fixed)."""

    display_name: str | None = None
    org_roles: list[OrgRole] | None = None
    clinic_roles: list[ClinicRoles] | None = None
    permissions: Permissions | None = None
    labels: Labels | None = None


class TokenCreate(WireModel):
    """A new organisation token (operator only)."""

    name: str
    access: TokenAccess
    member_id: str | None = Field(None, description="for access 'member': the member the token acts as")


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Any, *, status: int, **context: Any) -> M:
    """Validate an answer's body against its model, or raise MalformedResponse (values never quoted)."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '<body>'}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False)[:5]
        )
    # Raised outside the except block: the ValidationError quotes the answer, which may hold a secret.
    raise MalformedResponse(f"{status} answer does not match {model.__name__}: {problems}", status=status, **context)


def payload(model: type[WireModel], value: WireModel | dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The JSON body for a create (unset and null fields left out) or a merge patch (only the set fields)."""
    checked = value if isinstance(value, model) else model.model_validate(value)
    dumped = checked.model_dump(mode="json")  # nested values whole: the platform replaces them whole
    return {k: v for k, v in dumped.items() if k in checked.model_fields_set and (partial or v is not None)}
