"""A clinic's waiting area: opening hours with breaks, caller entry fields, automated messages, transfers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from .common import (
    Key,
    Labels,
    Name,
    Problem,
    SpecModel,
    TextPattern,
    UnknownValue,
    WholeNumber,
    duplicates,
    rule,
)

Time = Annotated[str, TextPattern(
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "time_is_hh_mm",
    "is not a time of day: write it as HH:MM on the 24-hour clock, in quotes (like '08:30' or '17:00')",
    "Time of day, HH:MM on the 24-hour clock.",
)]
EndTime = Annotated[str, TextPattern(
    r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
    "time_is_hh_mm",
    "is not a time of day: write it as HH:MM on the 24-hour clock, in quotes (like '17:00', or '24:00' for midnight)",
    "Time of day, HH:MM on the 24-hour clock; '24:00' is midnight at the end of the day.",
)]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY = 24 * 60


def minutes(clock: str) -> int:
    """Minutes since midnight of an HH:MM time ('24:00' is 1440)."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


class Break(SpecModel):
    """A pause within a day's opening hours (lunch, handover) when the waiting area does not take callers."""

    start: Time
    """When the break starts (HH:MM; after midnight on an overnight day when before the opening)."""
    end: EndTime
    """When the break ends (HH:MM); after `start`."""


class DayHours(SpecModel):
    """Opening hours of one weekday: open..close, with optional breaks in between.

    A close at or before the open is the next morning's (overnight, `22:00`-`06:00`); `00:00`-`24:00` is all day.
    """

    open: Time
    """When the waiting area opens (HH:MM)."""
    close: EndTime
    """When the waiting area closes (HH:MM, '24:00' for midnight); before `open` runs overnight into the next morning."""
    breaks: list[Break] = []
    """Breaks within open..close, in time order, not overlapping."""

    def span(self) -> tuple[int, int]:
        """open..close in minutes from the day's midnight; an overnight close is past 1440."""
        start, end = minutes(self.open), minutes(self.close)
        return start, end + DAY if end <= start else end

    def break_span(self, pause: Break) -> tuple[int, int]:
        """A break in minutes from the day's midnight; times before the opening are the next morning's."""
        opening = minutes(self.open)
        start, end = minutes(pause.start), minutes(pause.end)
        if minutes(self.close) > opening:  # not overnight: the break is that day's
            return start, end
        return start + (DAY if start < opening else 0), end + (DAY if end <= opening and end != DAY else 0)

    @rule
    def opens_before_it_closes(self) -> Iterator[Problem]:
        """A day's open and close differ (a close before the open runs overnight)."""
        if minutes(self.open) == minutes(self.close):
            yield Problem(("close",), f"opens and closes at {self.open}: write open '00:00' and close '24:00' to stay open "
                                      "all day, or a close before the open to run overnight")

    @rule
    def breaks_start_before_they_end(self) -> Iterator[Problem]:
        """A break must have a positive length."""
        for index, pause in enumerate(self.breaks):
            with suppress(UnknownValue):
                start, end = self.break_span(pause)
                if start >= end:
                    yield Problem(("breaks", index, "end"), f"the break ends at {pause.end}, which is not after its start at {pause.start}")

    @rule
    def breaks_inside_opening_hours(self) -> Iterator[Problem]:
        """Every break lies within the day's open..close (checked once the day itself makes sense)."""
        opening, closing = self.span()
        for index, pause in enumerate(self.breaks if minutes(self.open) != minutes(self.close) else []):
            with suppress(UnknownValue):
                start, end = self.break_span(pause)
                if start < end and (start < opening or end > closing):
                    yield Problem(("breaks", index), f"the break {pause.start}-{pause.end} is outside the opening hours {self.open}-{self.close}")

    @rule
    def breaks_sorted_and_non_overlapping(self) -> Iterator[Problem]:
        """Breaks are listed in time order and do not overlap."""
        for index in range(1, len(self.breaks)):
            before, pause = self.breaks[index - 1], self.breaks[index]
            with suppress(UnknownValue):
                (before_start, before_end), (start, _) = self.break_span(before), self.break_span(pause)
                if start < before_start:
                    yield Problem(("breaks", index), f"the break at {pause.start} is listed after the later break at {before.start}: list breaks in time order")
                elif start < before_end:
                    yield Problem(("breaks", index), f"the break {pause.start}-{pause.end} overlaps the break {before.start}-{before.end}")


class OpeningHours(SpecModel):
    """Opening hours per weekday; a weekday left out is closed all day (`model_dump(exclude_none=True)` is the platform's shape)."""

    monday: DayHours | None = None
    tuesday: DayHours | None = None
    wednesday: DayHours | None = None
    thursday: DayHours | None = None
    friday: DayHours | None = None
    saturday: DayHours | None = None
    sunday: DayHours | None = None

    def days(self) -> dict[str, DayHours]:
        """The open weekdays and their hours, in the platform's shape (weekday -> hours)."""
        return {day: hours for day in WEEKDAYS if (hours := getattr(self, day)) is not None}

    @rule
    def overnight_hours_end_before_the_next_day_opens(self) -> Iterator[Problem]:
        """A day that runs past midnight closes before (or as) the next day opens."""
        for index, day in enumerate(WEEKDAYS):
            with suppress(UnknownValue):
                hours, following = getattr(self, day), getattr(self, WEEKDAYS[(index + 1) % 7])
                if hours and following and hours.span()[1] - DAY > minutes(following.open):
                    yield Problem((day, "close"), f"{day}'s hours run to {hours.close} the next morning, after "
                                                  f"{WEEKDAYS[(index + 1) % 7]} opens at {following.open}")


class EntryField(SpecModel):
    """A question a caller answers before entering the waiting area (e.g. date of birth)."""

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    """What the caller is asked, 1 to 80 characters, unique within the waiting area."""
    type: Literal["text", "number", "date", "email", "phone"] = "text"
    """Kind of answer expected."""
    required: bool = False
    """Whether the caller must answer before entering."""


class AutomatedMessage(SpecModel):
    """A message shown to a waiting caller after they have waited a number of minutes."""

    after_minutes: WholeNumber = Field(ge=0)
    """Minutes of waiting after which the message is shown (0 = on arrival)."""
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    """The message, 1 to 500 characters."""


class Joining(SpecModel):
    """How guests and callers join the clinic's calls (the clinic's "Joining a call" options)."""

    guest_photo: Literal["required", "optional", "none"] = "required"
    """Whether guests invited to the clinic's meeting and group rooms take a photo first."""
    last_name_mandatory: bool = False
    """Whether callers and guests must give their last name."""
    camera_preview: bool = True
    """Whether callers see their camera on the entry page."""
    callers_may_mute: bool = False
    """Whether waiting callers may mute their camera and microphone."""


class NewCallerAlert(SpecModel):
    """An alert to staff when a caller arrives: an SMS or email to `to`, or a desktop notification."""

    channel: Literal["sms", "email", "desktop"]
    """sms, email or desktop (to the staff signed in)."""
    to: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)] | None = None
    """The phone number or email address the alert goes to (none for desktop)."""

    @rule
    def alerts_name_their_recipient(self) -> Iterator[Problem]:
        """SMS and email alerts go somewhere; desktop alerts go to the staff signed in."""
        if self.channel != "desktop" and self.to is None:
            yield Problem(("to",), f"a {self.channel} alert needs `to`: the {'phone number' if self.channel == 'sms' else 'email address'} it goes to")
        elif self.channel == "desktop" and self.to is not None:
            yield Problem(("to",), "a desktop alert goes to the staff signed in: remove `to`")


class WaitingAreaSettings(SpecModel):
    """What the platform stores of a waiting area: its name, opening hours, entry questions and messages."""

    name: Name
    """Name shown to callers and staff."""
    enabled: bool = True
    """Whether callers can enter; when false, `disabled_message` is shown instead."""
    disabled_message: Annotated[str, StringConstraints(max_length=500)] = ""
    """Shown to callers while the waiting area is disabled (up to 500 characters)."""
    opening_hours: OpeningHours = OpeningHours()
    """Opening hours per weekday; a weekday left out is closed."""
    confirm_call_entry: bool = False
    """Whether callers confirm before entering the call."""
    show_queue_position: bool = True
    """Whether callers see their position in the queue."""
    entry_fields: list[EntryField] = Field(default=[], max_length=10)
    """Questions asked of callers on entry (at most 10, labels unique)."""
    automated_messages: list[AutomatedMessage] = Field(default=[], max_length=10)
    """Messages shown to callers as they wait (at most 10)."""
    shared_for_transfers: bool = False
    """Share the waiting area with the organisation: staff of every clinic may transfer callers into it."""
    support_information: Annotated[str, StringConstraints(max_length=500)] = ""
    """Support information shown to callers (up to 500 characters)."""
    call_locks: bool = False
    """Whether staff may lock a call so no colleague joins it from the waiting area."""
    joining: Joining = Joining()
    """Joining a call: guest photo, last name, camera preview, muting while waiting."""
    connection_check: Literal["off", "permissive", "exceptions_only", "restricted", "strict"] = "off"
    """The caller connection check; each mode has the platform's warn and block thresholds (restricted: warn under 330 kbps, block under 180)."""
    new_caller_alerts: list[NewCallerAlert] = Field(default=[], max_length=10)
    """Alerts to staff when a caller arrives (at most 10)."""

    @rule
    def entry_field_labels_unique(self) -> Iterator[Problem]:
        """Two entry fields with one label would confuse callers; the platform refuses them."""
        for index, _ in duplicates(self.entry_fields, lambda field: field.label.casefold()):
            yield Problem(("entry_fields", index, "label"), f"the entry field label '{self.entry_fields[index].label}' is used twice in this waiting area")


class WaitingArea(WaitingAreaSettings):
    """The one waiting area of a clinic, where each patient waits in their own private video room."""

    PROVIDER_OPTIONS: ClassVar[frozenset[str]] = frozenset({"allow_entry_link_change", "allow_disable_with_callers"})
    """Fields only the Pulumi provider reads; they are never sent to the platform."""

    transfer_targets: SkipJsonSchema[list[Key]] = []
    """Not a platform setting (transfers follow people's access): a spec that gives it is told what to write."""
    labels: Labels = {}
    """Free-form labels copied onto the platform object."""
    allow_entry_link_change: bool = False
    """Opt-in (not sent to the platform): allow a change that replaces the waiting area and so changes its patient entry link."""
    allow_disable_with_callers: bool = False
    """Opt-in (not sent to the platform): allow disabling or deleting the waiting area while callers are queued."""

    @rule
    def transfer_targets_are_not_a_platform_setting(self) -> Iterator[Problem]:
        """Staff transfer callers to clinics they have access to; a list on the sending waiting area is not the platform's."""
        if self.transfer_targets:
            yield Problem(("transfer_targets",), "transfer_targets is not a platform setting: staff transfer callers to the "
                          "clinics where they hold a role; remove it, and write `shared_for_transfers: true` on the waiting "
                          f"area of {', '.join(repr(t) for t in self.transfer_targets)} to let every clinic of the "
                          "organisation transfer callers there, or give a person the role 'service_referrer' in a clinic "
                          "to let them transfer into it without seeing it")
