"""Property-based checks of opening hours and participant limits against an independent statement of the rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from schemas import DayHours, GroupRoom, MeetingRoom, UserRoom
from schemas.common import Key

minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


def hh_mm(minute: int) -> str:
    """Minute of the day as HH:MM."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_is_well_formed(open_: int, close: int, breaks: list[tuple[int, int]]) -> bool:
    """The opening-hours rules, restated independently of the models: a close before the open is the next morning's."""
    if open_ == close:
        return False
    overnight = close < open_
    day = 24 * 60

    def next_morning(minute: int, is_end: bool) -> int:
        return minute + day if overnight and (minute < open_ or (is_end and minute == open_)) else minute

    closing = next_morning(close, True)
    previous_end = open_
    for start, end in breaks:
        start, end = next_morning(start, False), next_morning(end, True)
        if not (previous_end <= start < end <= closing):
            return False
        previous_end = end
    return True


def validate_day(open_: int, close: int, breaks: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The errors DayHours reports for these hours (empty when valid)."""
    data = {"open": hh_mm(open_), "close": hh_mm(close), "breaks": [{"start": hh_mm(s), "end": hh_mm(e)} for s, e in breaks]}
    try:
        DayHours.model_validate(data)
    except ValidationError as error:
        return error.errors()
    return []


@settings(max_examples=300, deadline=None)
@given(minutes, minutes, st.lists(st.tuples(minutes, minutes), max_size=4))
def test_any_opening_hours_are_accepted_exactly_when_well_formed(open_: int, close: int, breaks: list[tuple[int, int]]) -> None:
    errors = validate_day(open_, close, breaks)
    assert (errors == []) == day_is_well_formed(open_, close, breaks), errors
    assert all(error["loc"][0] in ("close", "breaks") for error in errors)


@st.composite
def well_formed_days(draw: st.DrawFn) -> tuple[int, int, list[tuple[int, int]]]:
    """Opening hours that satisfy every rule: sorted points inside the day, paired into breaks."""
    points = sorted(draw(st.lists(minutes, min_size=2, max_size=10, unique=True)))
    open_, close, inner = points[0], points[-1], points[1:-1]
    breaks = [(inner[i], inner[i + 1]) for i in range(0, len(inner) - 1, 2)]
    return open_, close, breaks


@settings(max_examples=200, deadline=None)
@given(well_formed_days())
def test_well_formed_days_are_accepted(day: tuple[int, int, list[tuple[int, int]]]) -> None:
    assert validate_day(*day) == []


@settings(max_examples=200, deadline=None)
@given(well_formed_days(), st.data())
def test_reversing_two_breaks_is_refused_at_the_later_one(day: tuple[int, int, list[tuple[int, int]]], data: st.DataObject) -> None:
    open_, close, breaks = day
    if len(breaks) < 2:
        return
    index = data.draw(st.integers(min_value=1, max_value=len(breaks) - 1))
    breaks[index - 1], breaks[index] = breaks[index], breaks[index - 1]
    errors = validate_day(open_, close, breaks)
    assert any(error["loc"] == ("breaks", index) and error["type"] == "breaks_sorted_and_non_overlapping" for error in errors)


@pytest.mark.parametrize("room", [MeetingRoom, UserRoom])
@given(participants=st.integers(min_value=-5, max_value=100))
def test_small_rooms_hold_two_to_six(room: type[MeetingRoom] | type[UserRoom], participants: int) -> None:
    fields = {"key": "room", "name": "Room", "max_participants": participants} | ({"owner": "alex"} if room is UserRoom else {})
    try:
        room.model_validate(fields)
    except ValidationError as error:
        assert not 2 <= participants <= 6
        (detail,) = error.errors()
        assert detail["loc"] == ("max_participants",)
        assert ("use a group room" in detail["msg"]) == (participants > 6)
    else:
        assert 2 <= participants <= 6


@given(participants=st.integers(min_value=-5, max_value=100))
def test_group_rooms_hold_two_to_twenty_and_warn_at_six_or_fewer(participants: int) -> None:
    try:
        room = GroupRoom.model_validate({"key": "room", "name": "Room", "max_participants": participants})
    except ValidationError as error:
        assert not 2 <= participants <= 20
        (detail,) = error.errors()
        assert ("at least 2" in detail["msg"]) == (participants < 2)
    else:
        assert 2 <= participants <= 20
        assert bool(room.warnings()) == (participants <= 6), "a group room is meant for calls of more than 6"


@given(participants=st.integers(min_value=2, max_value=6), fraction=st.sampled_from([0.0, 0.5, 0.25]))
def test_pulumi_floats_count_only_when_whole(participants: int, fraction: float) -> None:
    value = participants + fraction
    try:
        room = MeetingRoom.model_validate({"key": "room", "name": "Room", "max_participants": value})
    except ValidationError as error:
        assert fraction and error.errors()[0]["type"] == "int_type"
    else:
        assert not fraction and room.max_participants == participants and isinstance(room.max_participants, int)


@settings(max_examples=150)
@given(st.text(alphabet="abz09-_A .", max_size=70) | st.from_regex(r"[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,20}){0,4}", fullmatch=True))
def test_keys_are_lowercase_words_joined_by_single_hyphens(candidate: str) -> None:
    words = candidate.split("-")
    expected = (
        1 <= len(candidate) <= 63
        and candidate[0] in "abcdefghijklmnopqrstuvwxyz"
        and all(word and set(word) <= set("abcdefghijklmnopqrstuvwxyz0123456789") for word in words)
    )
    try:
        TypeAdapter(Key).validate_python(candidate)
    except ValidationError:
        assert not expected
    else:
        assert expected
