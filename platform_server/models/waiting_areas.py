"""Waiting area bodies and shape: opening hours, entry fields, automated messages, transfer targets."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from platform_server.models.common import (
    ChangeModel,
    InputModel,
    Labels,
    Name,
    ObjectId,
    ObjectOut,
    items_are_listed_once,
    name_of_length,
)

ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"), Field(examples=["09:00"])]
EndTime = Annotated[str, StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"), Field(examples=["17:00", "24:00"])]
"""A time something ends: `24:00` is midnight at the end of the day."""
DAY = 24 * 60


def minutes(clock: str) -> int:
    """Minutes since midnight of an HH:MM time (24:00 is 1440)."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def span(day: "DayHours") -> tuple[int, int]:
    """The day's open..close in minutes from its midnight; an overnight close is past 1440."""
    start, end = minutes(day.open), minutes(day.close)
    return start, end + DAY if end <= start else end


def break_span(day: "DayHours", pause: "Break") -> tuple[int, int]:
    """A break's start..end in minutes from the day's midnight, after midnight when before the opening."""
    start, end = minutes(pause.start), minutes(pause.end)
    opening = minutes(day.open)
    if minutes(day.close) > opening:  # not overnight: the break is that day's
        return start, end
    start += DAY if start < opening else 0
    end += DAY if end <= opening and end != DAY else 0
    return start, end
FieldLabel = name_of_length(80)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Break(InputModel):
    """A pause within a day's opening hours."""

    start: ClockTime
    end: EndTime


class DayHours(InputModel):
    """When a waiting area is open on one weekday."""

    open: ClockTime
    close: EndTime
    breaks: Annotated[list[Break], Field(max_length=20)] = []

    @model_validator(mode="after")
    def breaks_are_sorted_and_inside_opening_hours(self) -> "DayHours":
        """Require a real span (a close at or before the open is the next morning's) and breaks that are
        ordered, disjoint and within it."""
        if minutes(self.open) == minutes(self.close):
            raise PydanticCustomError("invalid_opening_hours",
                                      "open {open} and close {close} are the same time: write 00:00 to 24:00 for 24 hours",
                                      {"open": self.open, "close": self.close})
        opening, closing = span(self)
        previous_end = opening
        for pause in self.breaks:
            start, end = break_span(self, pause)
            if not start < end:
                raise PydanticCustomError("invalid_opening_hours", "break {start}-{end} ends before it starts",
                                          {"start": pause.start, "end": pause.end})
            if start < previous_end or end > closing:
                raise PydanticCustomError(
                    "invalid_opening_hours",
                    "break {start}-{end} overlaps another break, is out of order, or is outside opening hours",
                    {"start": pause.start, "end": pause.end},
                )
            previous_end = end
        return self


WEEK: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def overnight_hours_end_before_the_next_day_opens(hours: dict[Weekday, DayHours]) -> dict[Weekday, DayHours]:
    """A day that runs past midnight closes before (or as) the next day opens."""
    for index, weekday in enumerate(WEEK):
        day, following = hours.get(weekday), hours.get(WEEK[(index + 1) % 7])
        if day and following and span(day)[1] - DAY > minutes(following.open):
            raise PydanticCustomError(
                "invalid_opening_hours", "{day}'s hours run to {close} the next morning, after {next} opens at {open}",
                {"day": weekday, "close": day.close, "next": WEEK[(index + 1) % 7], "open": following.open})
    return hours


OpeningHours = Annotated[dict[Weekday, DayHours], AfterValidator(overnight_hours_end_before_the_next_day_opens)]


class EntryField(InputModel):
    """A question a caller answers on entry."""

    label: FieldLabel
    type: Literal["text", "number", "date", "email", "phone"]
    required: bool = False


class AutomatedMessage(InputModel):
    """A message shown to a caller who has waited a while."""

    after_minutes: Annotated[int, Field(ge=0, le=100_000)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=500)]


def entry_field_labels_are_unique(fields: list[EntryField]) -> list[EntryField]:
    """Refuse two entry fields with the same label."""
    labels = [field.label for field in fields]
    if len(set(labels)) != len(labels):
        raise ValueError("entry field labels must be unique within the waiting area")
    return fields


EntryFields = Annotated[list[EntryField], Field(max_length=10), AfterValidator(entry_field_labels_are_unique)]
AutomatedMessages = Annotated[list[AutomatedMessage], Field(max_length=10)]
TransferTargets = Annotated[list[ObjectId], Field(max_length=100), AfterValidator(items_are_listed_once)]
DisabledMessage = Annotated[str, StringConstraints(max_length=500)]


class Joining(InputModel):
    """How guests and callers join: the clinic's "Joining a call" options."""

    guest_photo: Literal["required", "optional", "none"] = "required"
    last_name_mandatory: bool = False
    camera_preview: bool = True
    callers_may_mute: bool = False


ConnectionCheck = Literal["off", "permissive", "exceptions_only", "restricted", "strict"]
"""The caller connection check: each mode has the platform's own warn and block thresholds."""


class NewCallerAlert(InputModel):
    """An alert to staff when a caller arrives: by SMS or email to an address, or a desktop notification."""

    channel: Literal["sms", "email", "desktop"]
    to: Annotated[str, StringConstraints(min_length=1, max_length=254)] | None = None

    @model_validator(mode="after")
    def alerts_name_their_recipient(self) -> "NewCallerAlert":
        """SMS goes to a phone number, email to an address; a desktop notification to the staff signed in."""
        if (self.channel == "desktop") != (self.to is None):
            raise PydanticCustomError("validation_failed", "sms and email alerts need `to`; desktop alerts take none")
        return self


NewCallerAlerts = Annotated[list[NewCallerAlert], Field(max_length=10)]
SupportInformation = Annotated[str, StringConstraints(max_length=500)]


class WaitingAreaCreate(InputModel):
    """POST /v1/clinics/{clinic_id}/waiting-area."""

    name: Name
    enabled: bool = True
    disabled_message: DisabledMessage = ""
    opening_hours: OpeningHours = {}
    confirm_call_entry: bool = False
    show_queue_position: bool = True
    entry_fields: EntryFields = []
    automated_messages: AutomatedMessages = []
    transfer_targets: TransferTargets = []
    shared_for_transfers: bool = False
    support_information: SupportInformation = ""
    call_locks: bool = False
    joining: Joining = Joining()
    connection_check: ConnectionCheck = "off"
    new_caller_alerts: NewCallerAlerts = []
    labels: Labels = {}


class WaitingAreaChange(ChangeModel):
    """PATCH /v1/waiting-areas/{wa_id}."""

    immutable_fields = frozenset({"clinic_id", "organisation_id", "entry_link"})

    # Absent means unchanged; an explicit null is refused.
    name: Name = None  # type: ignore[assignment]
    enabled: bool = None  # type: ignore[assignment]
    disabled_message: DisabledMessage = None  # type: ignore[assignment]
    opening_hours: OpeningHours = None  # type: ignore[assignment]
    confirm_call_entry: bool = None  # type: ignore[assignment]
    show_queue_position: bool = None  # type: ignore[assignment]
    entry_fields: EntryFields = None  # type: ignore[assignment]
    automated_messages: AutomatedMessages = None  # type: ignore[assignment]
    transfer_targets: TransferTargets = None  # type: ignore[assignment]
    shared_for_transfers: bool = None  # type: ignore[assignment]
    support_information: SupportInformation = None  # type: ignore[assignment]
    call_locks: bool = None  # type: ignore[assignment]
    joining: Joining = None  # type: ignore[assignment]
    connection_check: ConnectionCheck = None  # type: ignore[assignment]
    new_caller_alerts: NewCallerAlerts = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class WaitingArea(ObjectOut):
    """A waiting area as the API shows it; the queue is only a count."""

    clinic_id: str
    organisation_id: str
    name: str
    enabled: bool
    disabled_message: str
    opening_hours: OpeningHours
    confirm_call_entry: bool
    show_queue_position: bool
    entry_fields: list[EntryField]
    automated_messages: list[AutomatedMessage]
    transfer_targets: list[str]
    shared_for_transfers: bool
    support_information: str
    call_locks: bool
    joining: Joining
    connection_check: ConnectionCheck
    new_caller_alerts: list[NewCallerAlert]
    entry_link: str
    waiting_count: int
