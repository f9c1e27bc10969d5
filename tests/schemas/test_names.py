"""Names (organisations, clinics, rooms, waiting areas, people) are one line of visible text: control characters are refused."""

from __future__ import annotations

import json

import jsonschema
import pytest

from schemas import SpecError, validate_spec_data, validate_spec_text
from schemas.json_schema import SHIPPED_SCHEMA
from schemas.source import read_spec_text

from .specs import all_issues, marked_line, spec

ESCAPES = {"\\0": "NUL character (U+0000)", "\\v": "vertical tab (U+000B)", "\\e": "escape character (U+001B)", "\\t": "tab (U+0009)",
           "\\n": "line break (U+000A)", "\\x7f": "delete character (U+007F)", "\\x85": "control character (U+0085)"}

NAME_FIELDS = {
    "organisations[metro].name": lambda name: spec().replace("name: Metro Health", f'name: "{name}"  # <-'),
    "organisations[metro].clinics[physio].name": lambda name: spec().replace("name: Metro Physio", f'name: "{name}"  # <-'),
    "organisations[metro].clinics[renal].waiting_area.name": lambda name: spec().replace("name: Renal waiting area", f'name: "{name}"  # <-'),
    "organisations[metro].people[kim].display_name": lambda name: spec().replace("display_name: Kim Physio", f'display_name: "{name}"  # <-'),
    "organisations[metro].group_rooms[class].name": lambda name: spec(organisation=f'group_rooms: [{{key: class, name: "{name}"}}]  # <-'),
    "organisations[metro].meeting_rooms[leads].name": lambda name: spec(organisation=f'meeting_rooms: [{{key: leads, name: "{name}"}}]  # <-'),
}


@pytest.mark.parametrize("path", sorted(NAME_FIELDS))
@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_a_name_with_a_control_character_is_refused_naming_the_field_and_line(path: str, escape: str) -> None:
    text = NAME_FIELDS[path](f"Metro{escape}Clinic")
    (issue,) = all_issues(text)
    assert issue.rule == "name_has_no_control_characters" and issue.path == path
    assert issue.line == marked_line(text) and issue.column is not None
    assert ESCAPES[escape] in issue.message


def test_a_control_character_at_the_end_of_a_name_is_not_stripped_away() -> None:
    (issue,) = all_issues(NAME_FIELDS["organisations[metro].name"]("Metro Health\\v"))
    assert issue.rule == "name_has_no_control_characters"


def test_a_raw_control_character_in_a_name_is_reported_at_the_name() -> None:
    text = spec().replace("name: Metro Physio", "name: Metro\x00Physio  # <-")
    (issue,) = all_issues(text)
    assert issue.rule == "control_character" and issue.path == "organisations[metro].clinics[physio].name"
    assert issue.line == marked_line(text) and issue.column == len("        name: Metro") + 1


def test_names_in_python_data_are_checked_too() -> None:
    data = read_spec_text(spec(), "x").data
    data["organisations"][0]["clinics"][1]["name"] = "Metro\x0bPhysio"
    with pytest.raises(SpecError) as caught:
        validate_spec_data(data)
    (issue,) = caught.value.errors
    assert issue.path == "organisations[metro].clinics[physio].name" and issue.rule == "name_has_no_control_characters"


def test_names_in_any_script_with_symbols_are_accepted() -> None:
    text = spec().replace("name: Metro Physio", 'name: "Clínica São José — ფიზიო 🩺 (east)"')
    assert validate_spec_text(text).organisations[0].clinics[1].name == "Clínica São José — ფიზიო 🩺 (east)"


def test_the_json_schema_refuses_control_characters_in_names() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8")))
    data = read_spec_text(spec(), "x").data
    assert list(validator.iter_errors(data)) == []
    data["organisations"][0]["name"] = "Metro\x00Health"
    assert any("does not match" in error.message for error in validator.iter_errors(data))
