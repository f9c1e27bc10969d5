"""`python -m sync preview` of a spec edit with the real engine: the comment lists exactly what `up` then does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from devtools.platform import RunningPlatform, running_platform
import sync.preview
from sync.__main__ import main
from sync.changes import changes_from_events
from sync.engine import PROJECT_ROOT
from sync.preview import MARKER
from sync.stack import project_stack, scratch_project
from tests.support.diagrams import blocks, mermaid

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE_SPEC = PROJECT_ROOT / "examples" / "metro-health.yaml"
HEADING = re.compile(r"^#### `[-+~]+` (create|update|replace|delete) (\w+) `([\w.-]+)`$")
ROW = re.compile(r"^\| `([\w.-]+)` \| (.*) \| (.*) \|$")


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[auto.Stack, RunningPlatform, Path]]:
    """The example spec applied to a private platform: its stack, the platform and the spec file."""
    root = tmp_path_factory.mktemp("preview")
    with running_platform(root / "platform") as platform:
        spec = root / "spec.yaml"
        spec.write_text(EXAMPLE_SPEC.read_text())
        stack = project_stack("test", api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=root / "state", work_dir=scratch_project(root / "project"))
        stack.up()
        yield stack, platform, spec


def edited_example() -> dict:
    """The example with a clinic renamed, opening hours changed, a room added and a room deleted."""
    spec = yaml.safe_load(EXAMPLE_SPEC.read_text())
    org = spec["organisations"][0]
    renal = next(clinic for clinic in org["clinics"] if clinic["key"] == "renal")
    renal["name"] = "Metro Health Kidney Clinic"
    renal["waiting_area"]["opening_hours"]["friday"] = {"open": "08:00", "close": "13:00"}
    org["group_rooms"].append({"key": "ward-huddle", "name": "Ward huddle", "max_participants": 20})
    renal.pop("meeting_rooms")
    return spec


def listed_changes(markdown: str) -> dict[tuple[str, str, str], dict[str, tuple[str, str]]]:
    """(op, kind, name) -> {property row: (before, after)} as the comment lists them."""
    listed: dict[tuple[str, str, str], dict[str, tuple[str, str]]] = {}
    current: dict[str, tuple[str, str]] = {}
    for line in markdown.splitlines():
        if heading := HEADING.match(line):
            current = listed.setdefault(heading.groups(), {})
        elif (row := ROW.match(line)) and row.group(1) != "property":
            current[row.group(1)] = (row.group(2), row.group(3))
    return listed


def test_preview_comment_lists_exactly_the_edits_and_up_makes_exactly_them(
    applied: tuple[auto.Stack, RunningPlatform, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stack, platform, spec = applied
    spec.write_text(yaml.safe_dump(edited_example(), sort_keys=False))
    monkeypatch.setattr(sync.preview, "stack_from_arguments", lambda _args: stack)
    comment = tmp_path / "preview.md"

    assert main(["preview", "--stack", "test", "--spec", str(spec), "--markdown", str(comment)]) == 0

    markdown = comment.read_text()
    assert markdown.splitlines()[0] == MARKER
    assert "**4 changes: 1 to create, 2 to update, 1 to delete**" in markdown
    assert "Patient entry links change" not in markdown and "Replaced" not in markdown
    listed = listed_changes(markdown)
    assert listed == {
        ("update", "Clinic", "metro.renal"): {"name": ("`Metro Health Renal Clinic`", "`Metro Health Kidney Clinic`")},
        ("update", "WaitingArea", "metro.renal"): {"opening_hours.friday.close": ("`15:00`", "`13:00`")},
        ("create", "GroupRoom", "metro.ward-huddle"): {  # spec keys, not ids; the spec-only `key` is no setting
            "name": ("—", "`Ward huddle`"), "max_participants": ("—", "`20`"), "organisation": ("—", "`metro`"),
        },
        ("delete", "MeetingRoom", "metro.renal-case-review"): {},
    }
    with mermaid() as page:  # the structure after the edit, drawn by Mermaid with what changes marked
        drawn = page.render(blocks(markdown)[0])
    for label, status in [("Metro Health Kidney Clinic\nclinic · changed", "changed"),
                          ("Renal waiting area\nwaiting area · changed", "changed"),
                          ("Renal case review\nmeeting room · removed", "removed"),
                          ("Ward huddle\ngroup room · added", "added"), ("4 clinics unchanged", "unchanged")]:
        assert status in drawn.node(label).classes, label
    printed = capsys.readouterr()
    assert "Preview of stack test: 4 changes" in printed.out
    assert platform.operator_token not in markdown + printed.out + printed.err

    events: list[auto.EngineEvent] = []
    stack.up(on_event=events.append)
    done = {(c.op, c.kind, c.name): {p.name for p in c.properties} for c in changes_from_events(events)}
    previewed = {key: {row.split(".")[0] for row in rows} if key[0] != "create" else set() for key, rows in listed.items()}
    assert done == previewed
