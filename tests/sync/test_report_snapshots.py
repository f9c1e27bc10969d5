"""The preview comment and the drift report as a reviewer reads them, compared with committed snapshots.

Each change of issue 18 is built by hand (no engine): a changed leaf instead of a truncated blob, spec keys
instead of ids, no spec-only fields, claims that say what was compared, severities, reasons first.
Set UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, then read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from resources.errors import EngineFailed
import schemas
from resources.provider import UNKNOWN
from sync.changes import PropertyChange, ResourceChange, failure_reasons
from sync.drift import DriftReport, Finding, findings_from_change
from sync.drift_command import DRIFT_NEXT_STEP
from sync.failures import failure_message
from sync.preview import failure_markdown, preview_markdown, terminal_summary
from sync.reconcile import Reconciliation, reconcile_markdown
from sync.report import markdown, terminal
from sync.severity import UNMANAGED_ADMIN_RULE, UNMANAGED_RULE, Severity
from sync.structure import from_spec

SNAPSHOTS = Path(__file__).parent / "snapshots"
OWNED = {"iac.videocall/project": "videocall-iac", "iac.videocall/stack": "dev"}
RENAL, PHYSIO, CARDIO = "cln_01a218d1cdbf4e8f9a7b", "cln_01a218d1cdc04a11b2c3", "cln_01a218d1cdc1d4e5f6a7"
NGUYEN, PATEL, ORG = "mbr_01a218d1ce0a9b8c7dd7", "mbr_01a218d1ce0b1a2b3cf0", "org_01a218d1cd0012345678"
NAMES = {RENAL: "renal", PHYSIO: "physio", CARDIO: "cardiology", NGUYEN: "dr-nguyen", PATEL: "dr-patel", ORG: "metro"}
STRUCTURE = from_spec(schemas.load_spec(SNAPSHOTS / "preview-spec.yaml"))
"""The organisation after the snapshot pull request, drawn by the preview's and the drift report's diagrams."""
HOURS = {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:00", "end": "12:30"}]}


def change(kind: str, name: str, op: str, *properties: PropertyChange, after: dict | None = None,
           platform_id: str | None = None) -> ResourceChange:
    """A change as changes_from_events makes it (before = the state or the live object, after = the spec)."""
    return ResourceChange(urn=f"urn:pulumi:dev::videocall-iac::videocall:{kind}::{name}", kind=kind, name=name,
                          op=op, properties=properties, after=after or {}, platform_id=platform_id)


def roles(*grants: tuple[str, list[str]]) -> list[dict]:
    """clinic_roles as the platform holds them."""
    return [{"clinic_id": clinic, "roles": granted} for clinic, granted in grants]


FRIDAY_SHORTER = change("WaitingArea", "metro.renal", "update", PropertyChange(
    "opening_hours", {"monday": HOURS, "friday": {"open": "08:00", "close": "15:00", "breaks": []}},
    {"monday": HOURS, "friday": {"open": "08:00", "close": "14:00", "breaks": []}}))
NURSE_ROLES = change("Member", "metro.dr-nguyen", "update", PropertyChange(
    "clinic_roles", roles((RENAL, ["admin"]), (CARDIO, ["team_member"])),
    roles((RENAL, ["admin", "team_member"]), (CARDIO, ["team_member"]), (PHYSIO, ["reception"]))))
ROOM_OWNER = change("UserRoom", "metro.nguyen-room", "replace", PropertyChange("owner_member_id", NGUYEN, PATEL))
TO_ORGANISATION = change("GroupRoom", "metro.hydro-class", "replace", PropertyChange("clinic_id", PHYSIO, None))
DISABLED = change("WaitingArea", "metro.cardiology", "update", PropertyChange("enabled", True, False),
                  PropertyChange("disabled_message", None, "Closed for the holidays; call 555 0100."))
NEW_AREA = change("WaitingArea", "metro.physio", "create", after={
    "clinic_id": PHYSIO, "key": "physio", "name": "Physio waiting area", "enabled": True,
    "entry_fields": [{"label": "Date of birth", "type": "date", "required": True}],
    "transfer_targets": [RENAL], "labels": {**OWNED, "iac.videocall/resource": "metro.physio", "team": "rehab"},
    "allow_entry_link_change": False, "allow_disable_with_callers": True, "__provider": "pickled"})
NEW_ROOM = change("MeetingRoom", "metro.case-review", "create", after={
    "organisation_id": ORG, "clinic_id": UNKNOWN, "key": "case-review", "name": "Case review",
    "max_participants": 6.0, "member_ids": [PATEL, NGUYEN], "labels": OWNED})
NEW_PERSON = change("Member", "metro.dr-okafor", "create", after={
    "organisation_id": ORG, "key": "dr-okafor", "email": "okafor@metro.example", "display_name": "Dr Okafor",
    "org_roles": [], "clinic_roles": roles((RENAL, ["team_member"]), (UNKNOWN, ["admin"])),
    "permissions": {"meeting_rooms": True, "user_room": False}, "labels": OWNED})
PREVIEW = [FRIDAY_SHORTER, NURSE_ROLES, ROOM_OWNER, TO_ORGANISATION, DISABLED, NEW_AREA, NEW_ROOM, NEW_PERSON]

GUARD = ("pulumi-python:dynamic:Resource resource 'metro.cardiology': property enabled value {false} has a problem: "
         "callers are waiting in the waiting area 'cardiology' right now (3), so disabling it would be refused; wait "
         "for the queue to empty, or set `allow_disable_with_callers: true` on the waiting area to disable it anyway")
ENGINE_LOG = ("Previewing update (dev):\n  pulumi:pulumi:Stack videocall-iac-dev running\n"
              f"  error: {GUARD}\nResources:\n    22 unchanged\nerror: preview failed\n")


def diagnostic(message: str, urn: str = "") -> SimpleNamespace:
    """An engine event carrying an error diagnostic (all failure_reasons reads)."""
    return SimpleNamespace(diagnostic_event=SimpleNamespace(severity="error", message=message, urn=urn))


EVENTS = [diagnostic(GUARD, "urn:pulumi:dev::videocall-iac::videocall:WaitingArea::metro.cardiology"),
          diagnostic("preview failed")]
REFUSAL = EngineFailed(ENGINE_LOG, failure_reasons(EVENTS))


def live(kind: str, name: str, platform_id: str, prop: str, declared: object, now: object) -> list[Finding]:
    """Findings for a property changed on the platform (the plan goes live → declared)."""
    return findings_from_change(change(kind, name, "update", PropertyChange(prop, now, declared),
                                       platform_id=platform_id), recorded=True)


FIELDS = [{"label": "Date of birth", "type": "date", "required": True}]
FINDINGS = [
    *live("WaitingArea", "metro.renal", "wa_1", "opening_hours",
          {"friday": {"open": "08:00", "close": "15:00", "breaks": []}, "monday": HOURS},
          {"friday": {"open": "08:00", "close": "14:00", "breaks": []}, "monday": HOURS}),
    *live("Member", "metro.dr-nguyen", NGUYEN, "clinic_roles", roles((RENAL, ["admin"])),
          roles((RENAL, ["admin"]), (PHYSIO, ["admin"]))),
    *live("UserRoom", "metro.nguyen-room", "ur_1", "owner_member_id", NGUYEN, PATEL),
    *live("GroupRoom", "metro.hydro-class", "gr_1", "clinic_id", PHYSIO, None),
    *live("WaitingArea", "metro.physio", "wa_2", "entry_fields", FIELDS,
          [*FIELDS, {"label": "Medicare number", "type": "number", "required": True}]),
    *live("Clinic", "metro.cardiology", CARDIO, "labels", {**OWNED, "iac.videocall/resource": "metro.cardiology"}, {}),
    Finding(*UNMANAGED_ADMIN_RULE[:1], "unmanaged", "Member", "Temp Locum", *UNMANAGED_ADMIN_RULE[1:], "mbr_9"),
    Finding(*UNMANAGED_RULE[:1], "unmanaged", "Clinic", "Pop-up vaccination clinic", *UNMANAGED_RULE[1:], "cln_9"),
]
DRIFT = DriftReport("dev", sorted(FINDINGS, key=lambda f: (f.severity, f.object_kind, f.name)), managed=22, total=24,
                    organisations=[ORG], names=NAMES, structure=STRUCTURE, generated_at="2026-11-26T20:00:00+00:00")


def rendered() -> dict[str, str]:
    """Every snapshot by file name."""
    return {
        "preview.md": preview_markdown("dev", PREVIEW, names=NAMES, structure=STRUCTURE),
        "preview.txt": terminal_summary("dev", PREVIEW, NAMES) + "\n",
        "preview-no-changes.md": preview_markdown("dev", []),
        "preview-refused.md": failure_markdown("dev", str(REFUSAL), 60_000, REFUSAL.reasons),
        "drift.md": markdown(DRIFT),
        "drift.txt": terminal(DRIFT) + "\n",
        "drift-failed.txt": failure_message("python -m sync drift", REFUSAL, DRIFT_NEXT_STEP) + "\n",
        "reconcile-refused.md": reconcile_markdown(Reconciliation(DRIFT, refused=(
            "3 caller(s) are waiting in waiting area metro.cardiology; it is never disabled while callers wait"))),
        "reconcile-applied.md": reconcile_markdown(Reconciliation(
            DRIFT, applied=[FRIDAY_SHORTER, NURSE_ROLES], not_acted_on=[f for f in FINDINGS if f.name == "Temp Locum"],
            entry_links_changed={"metro.gp": ("https://platform.example/e/old", "https://platform.example/e/new")})),
    }


@pytest.mark.parametrize("name", sorted(rendered()))
def test_report_matches_its_snapshot(name: str) -> None:
    text, path = rendered()[name], SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and read it"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from its snapshot"


def test_severities_a_reviewer_expects() -> None:
    by_name = {f.name: f.severity for f in FINDINGS}
    assert by_name["metro.physio"] == Severity.HIGH, "a required entry field stops patients getting in"
    assert by_name["metro.cardiology"] == Severity.MEDIUM, "ownership labels removed: out of management"
    assert by_name["metro.dr-nguyen"] == Severity.CRITICAL


def test_no_ids_and_no_spec_only_fields_in_any_report() -> None:
    for name, text in rendered().items():
        if name == "drift-failed.txt" or name == "preview-refused.md":
            continue
        for platform_id in NAMES:
            assert platform_id not in text, (name, platform_id)
        for spec_only in ("`key`", "allow_entry_link_change", "iac.videocall/"):
            assert spec_only not in text, (name, spec_only)


@pytest.mark.parametrize("snapshot", ["drift.txt", "preview.txt"])
def test_readme_example_is_the_snapshot(snapshot: str) -> None:
    readme = Path(__file__).parents[2] / "README.md"
    text, example = readme.read_text(encoding="utf-8"), (SNAPSHOTS / snapshot).read_text(encoding="utf-8")
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":  # the example after its caption, regenerated
        start = text.index("```text\n", text.index(f"(`tests/sync/snapshots/{snapshot}`")) + len("```text\n")
        readme.write_text(text[:start] + example + text[text.index("```", start):], encoding="utf-8")
        text = readme.read_text(encoding="utf-8")
    assert "```text\n" + example + "```" in text, f"README's {snapshot} example: run with UPDATE_SNAPSHOTS=1"


def test_a_guard_refusal_is_one_sentence_in_the_providers_words() -> None:
    assert REFUSAL.reasons == [GUARD.replace(GUARD[:GUARD.index("callers")], "metro.cardiology: ")]
