"""Hostile or broken spec files end in problems with positions, within bounded time and memory, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import schemas.source
from schemas import SpecError, SpecFileError, load_spec, validate_spec_text
from schemas.limits import ALIAS_NODE_FLOOR, MAX_DEPTH

from .specs import REPO, all_issues, marked_line, spec

MEMORY_LIMIT = 768 * 1024 * 1024


def laughs(levels: int) -> str:
    """A 'billion laughs' spec: each anchor is nine aliases of the one before, so 9**levels values from a few hundred bytes."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return "\n".join([*lines, f"organisations: *lol{levels}  # <-"]) + "\n"


HOSTILE = {
    "laughs_7": laughs(7),
    "laughs_9": laughs(9),
    "laughs_30": laughs(30),
    "flow_nesting_3000": "organisations: " + "[" * 3000 + "]" * 3000 + "\n",
    "block_nesting_3000": "organisations:\n" + "".join(" " * n + "-\n" for n in range(1, 3000)),
    "mapping_nesting_3000": "".join(" " * n + f"k{n}:\n" for n in range(3000)),
    "number_of_5000_digits": spec(organisation="group_rooms: [{key: big, name: Big, max_participants: " + "9" * 5000 + "}]"),
    "int_tag_on_text": spec(physio="timezone: !!int twenty"),
    "vertical_tab": spec(waiting_area='enabled: false\ndisabled_message: "closed\x0btoday"'),
    "nul_bytes": "version: 1\x00\norganisations: []\x00\n",
    "tab_indentation": spec().replace("    name: Metro Health", "\tname: Metro Health"),
    "unclosed_bracket": "version: 1\norganisations: [\n  {key: metro, name: Metro}\n",
    "binary_garbage": "".join(chr(n) for n in range(0, 0x3000, 7)),
    "many_problems_through_merges": "big: &big {" + ", ".join(f"k{n}: {n}" for n in range(1000)) + "}\norganisations:\n" + "  - {<<: *big}\n" * 60,
}


def run_limited(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m <args>` with its address space capped and a timeout.

    The cap is set by the child itself, not by a `preexec_fn`: Python code between fork and exec runs gRPC's
    fork handlers of this test process (the engine tests load gRPC), which abort the child now and then.
    """
    capped = ("import resource, runpy, sys; "
              f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
              "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)")
    return subprocess.run([sys.executable, "-c", capped, *args], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_spec_is_refused_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    result = run_limited("schemas", "validate", str(path))
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = HOSTILE[name].count("\n") + 1
    printed = result.stdout.splitlines()
    assert printed
    for row in printed:
        file, line, column, _ = row.split(":", 3)
        if not (name == "many_problems_through_merges" and "more problems" in row):
            assert file == str(path) and 1 <= int(line) <= lines and int(column) >= 1, row


def test_sync_preview_of_a_billion_laughs_comments_the_problem_in_bounded_time_and_memory(tmp_path: Path) -> None:
    path, comment = tmp_path / "laughs.yaml", tmp_path / "preview.md"
    path.write_text(laughs(9))
    result = run_limited("sync", "preview", "--stack", "dev", "--spec", str(path), "--markdown", str(comment))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"`{path}:6:14` `(file)`: the aliases up to here repeat more than" in comment.read_text()


@pytest.mark.parametrize("levels", [7, 9, 30])
def test_billion_laughs_stops_at_the_alias_limit(levels: int) -> None:
    text = laughs(levels)
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text(text, "laughs.yaml")
    (issue,) = caught.value.errors
    assert issue.rule == "alias_limit" and issue.line is not None and f"{ALIAS_NODE_FLOOR:,}" in issue.message


def test_aliases_within_the_limit_still_work() -> None:
    validate_spec_text(spec(waiting_area="""
        opening_hours:
          monday: &day {open: "08:00", close: "17:00", breaks: [{start: "12:00", end: "12:30"}]}
          tuesday: *day
          wednesday: *day
          thursday: *day
          friday: *day
    """))


@pytest.mark.parametrize("text", [HOSTILE["flow_nesting_3000"], HOSTILE["block_nesting_3000"], HOSTILE["mapping_nesting_3000"]])
def test_deep_nesting_is_refused_with_its_line(text: str) -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text(text, "deep.yaml")
    (issue,) = caught.value.errors
    assert issue.rule in ("depth_limit", "yaml_syntax") and "deep" in issue.message and issue.line is not None


def test_nesting_up_to_the_limit_is_read() -> None:
    text = "organisations: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    with pytest.raises(SpecError) as caught:
        validate_spec_text(text, "deep.yaml")
    assert not isinstance(caught.value, SpecFileError)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schemas.source, "MAX_SPEC_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("version: 1\n" + "# padding\n" * 200)
    for read in (lambda: load_spec(path), lambda: validate_spec_text(path.read_text())):
        with pytest.raises(SpecFileError) as caught:
            read()
        (issue,) = caught.value.errors
        assert issue.rule == "size_limit" and "1,000 bytes" in issue.message


def test_an_endless_file_is_refused_at_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schemas.source, "MAX_SPEC_BYTES", 100_000)
    with pytest.raises(SpecFileError, match="larger than the 100,000 bytes"):
        load_spec("/dev/zero")


def test_a_number_too_long_is_a_problem_at_its_value() -> None:
    text = spec(organisation="group_rooms:\n  - key: big\n    name: Big\n    max_participants: " + "9" * 5000 + "  # <-")
    (issue,) = all_issues(text)
    assert issue.rule == "yaml_scalar" and "5,000 digits" in issue.message
    assert issue.path == "organisations[metro].group_rooms[big].max_participants" and issue.line == marked_line(text)


def test_a_tag_that_does_not_fit_is_a_problem_at_its_value() -> None:
    text = spec(physio="timezone: !!int twenty  # <-")
    (issue,) = all_issues(text)
    assert issue.path == "organisations[metro].clinics[physio].timezone" and issue.line == marked_line(text)
    assert "'twenty' is tagged '!!int' but is not a whole number" in issue.message


def test_an_unsupported_tag_is_a_problem() -> None:
    (issue,) = all_issues(spec(physio="labels: !!set {a, b}  # <-"))
    assert issue.rule == "yaml_tag" and "'!!set' is not supported" in issue.message


def test_an_alias_without_its_anchor_is_a_problem() -> None:
    text = spec(physio="waiting_area: *nowhere  # <-")
    (issue,) = all_issues(text)
    assert issue.rule == "alias_anchored" and issue.line == marked_line(text)


def test_a_control_character_in_a_value_names_the_field_and_the_rest_is_still_checked() -> None:
    text = spec(waiting_area='enabled: false\ndisabled_message: "closed\x0btoday"  # <-', physio="timezone: Mars/Olympus")
    issues = all_issues(text)
    assert [issue.rule for issue in issues] == ["control_character", "timezone_is_iana"]
    vertical_tab = issues[0]
    assert vertical_tab.path == "organisations[metro].clinics[renal].waiting_area.disabled_message"
    lines = text.split("\n")  # not splitlines(), which breaks lines at a vertical tab too
    assert lines[vertical_tab.line - 1].index("\x0b") + 1 == vertical_tab.column and "# <-" in lines[vertical_tab.line - 1]
    assert "a vertical tab (U+000B)" in vertical_tab.message


def test_a_control_character_outside_any_value_has_its_position() -> None:
    (issue,) = all_issues(spec().replace("version: 1\n", "version: 1  # a comment\x1b\n"))
    assert issue.path == "(file)" and issue.line == 1 and issue.column == len("version: 1  # a comment") + 1


def test_a_tab_used_for_indentation_is_named() -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text("version: 1\norganisations:\n\t- key: metro\n", "tabs.yaml")
    (issue,) = caught.value.errors
    assert issue.message == "a tab cannot indent YAML: indent with spaces" and issue.line == 3


def test_an_unclosed_bracket_says_where_it_opened() -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text("version: 1\norganisations: [\n  {key: metro, name: Metro}\n", "open.yaml")
    (issue,) = caught.value.errors
    assert "that starts at line 2, column 16" in issue.message and issue.line == 4


def test_a_second_document_is_refused_with_a_sentence() -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text("version: 1\norganisations: []\n---\nversion: 1\n", "two.yaml")
    (issue,) = caught.value.errors
    assert issue.rule == "one_document" and issue.line == 3 and "second one starts here" in issue.message


def test_problems_found_before_a_syntax_error_are_kept() -> None:
    with pytest.raises(SpecFileError) as caught:
        validate_spec_text("version: 1\nversion: 1\norganisations: [\n", "broken.yaml")
    assert [issue.rule for issue in caught.value.errors] == ["field_given_once", "yaml_syntax"]
