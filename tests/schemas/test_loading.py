"""Reading spec YAML: times and words stay text, repeated fields and bad files are reported with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import SpecError, SpecFileError, load_spec, validate_spec_data, validate_spec_text
from schemas.source import read_spec_text

from .specs import EXAMPLE, all_issues, marked_line, spec


def test_unquoted_times_and_yes_no_stay_text() -> None:
    data = read_spec_text("open: 12:30\nclose: 08:00\nanswer: no\nflag: true\ncount: 08\n", "t.yaml").data
    assert data == {"open": "12:30", "close": "08:00", "answer": "no", "flag": True, "count": 8}


def test_unquoted_opening_hours_are_accepted() -> None:
    validate_spec_text(spec(waiting_area="opening_hours: {monday: {open: 08:30, close: 17:30, breaks: [{start: 12:00, end: 12:45}]}}"))


def test_a_field_given_twice_is_reported_with_the_second_line() -> None:
    text = spec(physio="timezone: Australia/Perth\ntimezone: Australia/Darwin  # <-")
    (issue,) = all_issues(text)
    assert issue.path == "organisations[metro].clinics[physio].timezone" and issue.line == marked_line(text)
    assert issue.rule == "field_given_once"


def test_yaml_syntax_error_has_a_position() -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text("organisations:\n  - key: metro\n   name: x\n", "bad.yaml")
    (issue,) = caught.value.errors
    assert issue.file == "bad.yaml" and issue.line is not None and "not valid YAML" in issue.message


def test_an_empty_spec_is_an_error() -> None:
    with pytest.raises(SpecError) as caught:
        validate_spec_text("# nothing yet\n", "empty.yaml")
    assert not isinstance(caught.value, SpecFileError)
    assert "empty" in str(caught.value)


def test_a_spec_that_is_not_a_mapping() -> None:
    with pytest.raises(SpecError) as caught:
        validate_spec_text("- metro\n", "list.yaml")
    assert str(caught.value) == "list.yaml:1:1: (top level): must be a mapping of fields, not a list"


def test_missing_organisations() -> None:
    with pytest.raises(SpecError, match="required field 'organisations' is missing"):
        validate_spec_text("version: 1\n")


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    with pytest.raises(SpecFileError, match="cannot read"):
        load_spec(tmp_path / "latin1.yaml")


def test_python_data_is_validated_with_paths_but_no_lines() -> None:
    data = read_spec_text(EXAMPLE.read_text(), "x").data
    data["organisations"][0]["clinics"][1]["waiting_area"]["transfer_targets"] = ["nowhere"]
    with pytest.raises(SpecError) as caught:
        validate_spec_data(data)
    (issue,) = caught.value.errors
    assert issue.path == "organisations[metro].clinics[physio].waiting_area.transfer_targets" and issue.line is None
    assert str(issue).startswith("organisations[metro].clinics[physio]") and issue.file is None


def test_spec_error_str_lists_every_issue() -> None:
    with pytest.raises(SpecError) as caught:
        validate_spec_text(spec(physio="timezone: Nowhere/Land", waiting_area="enabled: 1"), "s.yaml")
    assert len(caught.value.errors) == 2
    assert str(caught.value).splitlines() == [str(issue) for issue in caught.value.errors]


def test_aliases_and_merge_keys_are_followed() -> None:
    text = spec(waiting_area="""
        opening_hours:
          monday: &day {open: "08:00", close: "17:00"}
          tuesday:
            <<: *day
            close: "12:00"
          wednesday: *day
    """)
    area = validate_spec_text(text).organisations[0].clinics[0].waiting_area
    assert area is not None and area.opening_hours.days()["tuesday"].close == "12:00"
