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
FieldLabel = name_of_length(80)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Break(InputModel):
    """A pause within a day's opening hours."""

    start: ClockTime
    end: ClockTime


class DayHours(InputModel):
    """When a waiting area is open on one weekday."""

    open: ClockTime
    close: ClockTime
    breaks: Annotated[list[Break], Field(max_length=20)] = []

    @model_validator(mode="after")
    def breaks_are_sorted_and_inside_opening_hours(self) -> "DayHours":
        """Require open < close and breaks that are ordered, disjoint and within open..close."""
        if not self.open < self.close:
            raise PydanticCustomError("invalid_opening_hours", "open {open} must be before close {close}",
                                      {"open": self.open, "close": self.close})
        previous_end = self.open
        for pause in self.breaks:
            if not pause.start < pause.end:
                raise PydanticCustomError("invalid_opening_hours", "break {start}-{end} ends before it starts",
                                          {"start": pause.start, "end": pause.end})
            if pause.start < previous_end or pause.end > self.close:
                raise PydanticCustomError(
                    "invalid_opening_hours",
                    "break {start}-{end} overlaps another break, is out of order, or is outside opening hours",
                    {"start": pause.start, "end": pause.end},
                )
            previous_end = pause.end
        return self


OpeningHours = dict[Weekday, DayHours]


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
    entry_link: str
    waiting_count: int
