"""The preview comment rendered from hand-made changes: summary first, callouts, properties, trimming."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

import schemas
import sync.preview
from sync.engine import PROJECT_ROOT
from sync.__main__ import main
from sync.changes import PropertyChange, ResourceChange
from resources.provider import UNKNOWN
from sync.markdown import cell
from sync.preview import MARKER, preview_markdown, redacted, spec_error_markdown, terminal_summary

OWNED = {"iac.videocall/project": "videocall-iac", "iac.videocall/stack": "dev", "iac.videocall/resource": "x"}


def change(kind: str, name: str, op: str, *properties: PropertyChange, after: dict | None = None) -> ResourceChange:
    """A change as changes_from_events would make it."""
    return ResourceChange(urn=f"urn:pulumi:dev::videocall-iac::videocall:{kind}::{name}", kind=kind, name=name,
                          op=op, properties=properties, after=after or {})


RENAME = change("Clinic", "metro.renal", "update", PropertyChange("name", "Renal", "Kidney"))
HOURS = change("WaitingArea", "metro.renal", "update", PropertyChange(
    "opening_hours",
    {"friday": {"open": "08:00", "close": "15:00", "breaks": []}, "monday": {"open": "08:00", "close": "17:00"}},
    {"friday": {"open": "08:00", "close": "13:00", "breaks": []}, "monday": {"open": "08:00", "close": "17:00"}},
))
NEW_ROOM = change("GroupRoom", "metro.huddle", "create", after={
    "key": "huddle", "name": "Huddle", "max_participants": 20.0, "organisation_id": UNKNOWN,
    "labels": {**OWNED, "team": "wards"}, "__provider": "pickled", "version": None,
})
GONE_ROOM = change("MeetingRoom", "metro.leads", "delete")
MOVED_AREA = change("WaitingArea", "metro.gp", "replace", PropertyChange("clinic_id", "cln_1", UNKNOWN))
GONE_AREA = change("WaitingArea", "metro.physio", "delete")
REPLACED_ROOM = change("GroupRoom", "metro.class", "replace", PropertyChange("clinic_id", "cln_1", "cln_2"))


def test_marker_first_then_counts_per_operation_and_type() -> None:
    text = preview_markdown("dev", [RENAME, HOURS, NEW_ROOM, GONE_ROOM])
    assert text.splitlines()[0] == MARKER
    assert "**4 changes: 1 to create, 2 to update, 1 to delete**" in text
    assert "| Clinic |  | 1 |  |  |" in text
    assert "| WaitingArea |  | 1 |  |  |" in text
    assert "| GroupRoom | 1 |  |  |  |" in text
    assert "| MeetingRoom |  |  |  | 1 |" in text


def test_no_changes_says_so() -> None:
    text = preview_markdown("dev", [])
    assert text.startswith(MARKER) and "No changes" in text


def test_entry_link_changes_and_replacements_are_called_out_before_the_details() -> None:
    text = preview_markdown("dev", [RENAME, MOVED_AREA, GONE_AREA, REPLACED_ROOM])
    top = text[:text.index("### Changes")]
    assert "Patient entry links change" in top
    assert "waiting area `metro.gp` is replaced" in top
    assert "waiting area `metro.physio` is deleted" in top
    assert "GroupRoom `metro.class`" in top.split("Replaced")[1]
    assert "metro.renal" not in top, "an in-place rename is no warning"


def test_each_change_lists_its_properties_before_and_after() -> None:
    text = preview_markdown("dev", [RENAME, HOURS, NEW_ROOM, GONE_ROOM])
    assert "| `name` | `Renal` | `Kidney` |" in text
    assert "| `opening_hours.friday.close` | `15:00` | `13:00` |" in text
    assert "monday" not in text, "unchanged days are not listed"
    assert "| `max_participants` | — | `20` |" in text
    assert "| `organisation` | — | _(known after apply)_ |" in text
    assert "`key`" not in text, "the spec key is the heading's name, not a platform setting"
    assert "| `labels` | — | `{\"team\": \"wards\"}` |" in text, "a mapping added whole is one row"
    assert "iac.videocall" not in text and "__provider" not in text and "version" not in text
    assert "delete MeetingRoom `metro.leads`" in text


def test_unknown_values_inside_lists_are_spelled_out() -> None:
    assert cell(["mbr_1", UNKNOWN]) == '`["mbr_1", "(known after apply)"]`'
    assert cell("a | b") == "`a \\| b`"
    assert cell(None) == "—"


def test_long_comment_is_trimmed_from_the_detail_end_never_the_summary() -> None:
    many = [change("GroupRoom", f"metro.room-{n}", "update", PropertyChange("name", f"Old {n}", f"New {n}"))
            for n in range(200)]
    whole = preview_markdown("dev", [MOVED_AREA, *many])
    text = preview_markdown("dev", [MOVED_AREA, *many], max_chars=4000)
    assert len(whole) > 4000 >= len(text)
    summary = whole[:whole.index("### Changes")]
    assert text.startswith(summary), "the summary is never trimmed"
    assert "metro.gp" in text and "`metro.room-0`" in text, "details are kept from the top"
    assert "`metro.room-199`" not in text
    kept = text.count("#### ")
    assert f"{201 - kept} more changes" in text and "left out" in text


def test_spec_errors_list_each_problem_with_path_and_line() -> None:
    text = "version: 1\norganisations:\n  - key: Metro\n    name: Metro Health\n    clinics:\n      - key: renal\n        name: Renal\n        timezone: Sydney\n"
    with pytest.raises(schemas.SpecError) as raised:
        schemas.validate_spec_text(text, "stacks/dev.yaml")
    markdown = spec_error_markdown("dev", "stacks/dev.yaml", raised.value.errors, 60_000)
    assert markdown.startswith(MARKER)
    assert f"**{len(raised.value.errors)} problems**" in markdown
    for issue in raised.value.errors:
        assert f"`stacks/dev.yaml:{issue.line}:{issue.column}` `{issue.path}`: {issue.message}" in markdown
    assert "`organisations[0].key`" in markdown and "Sydney" in markdown


def test_terminal_summary_names_each_change() -> None:
    text = terminal_summary("dev", [RENAME, MOVED_AREA])
    assert text.splitlines()[0] == "Preview of stack dev: 2 changes: 1 to update, 1 to replace"
    assert "patient entry link of metro.gp changes" in text
    assert "~ Clinic metro.renal (name)" in text


def test_tokens_are_redacted_from_failure_messages() -> None:
    assert redacted("401 for vct_secret_123 at /v1", ["vct_secret_123", ""]) == "401 for [secret] at /v1"


def test_invalid_spec_fails_before_any_engine_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\norganisations:\n  - key: metro\n    name: Metro\n    people: []\n")

    def no_engine(_args: object) -> None:
        raise AssertionError("the engine must not run for an invalid spec")

    monkeypatch.setattr(sync.preview, "stack_from_arguments", no_engine)
    out = tmp_path / "preview.md"
    assert main(["preview", "--spec", str(spec), "--markdown", str(out)]) == 1
    markdown = out.read_text()
    assert markdown.startswith(MARKER) and "the spec is not valid" in markdown
    assert f"`{spec}:5:5` `organisations[metro].people`" in markdown and "has no admin" in markdown


class FailingStack:
    """A stack whose preview fails with an error that quotes the platform token."""

    token = "vct_leaky_token_123"
    workspace = type("Workspace", (), {"env_vars": {
        "VIDEOCALL_API_TOKEN": token, "VIDEOCALL_SPEC": str(PROJECT_ROOT / "examples" / "metro-health.yaml")}})()

    def preview(self, **_options: object) -> None:
        raise auto.CommandError(f"401 Unauthorized for Bearer {self.token}")


def test_a_failed_preview_is_a_comment_without_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sync.preview, "stack_from_arguments", lambda _args: FailingStack())
    out = tmp_path / "preview.md"
    assert main(["preview", "--markdown", str(out)]) == 1
    markdown, printed = out.read_text(), capsys.readouterr()
    assert markdown.startswith(MARKER) and "failed" in markdown and "401 Unauthorized" in markdown
    assert FailingStack.token not in markdown + printed.out + printed.err


def test_backticks_in_values_keep_the_cell_readable() -> None:
    assert cell("say `hi`") == "`` say `hi` ``"
