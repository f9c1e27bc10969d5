"""The structure diagrams of the preview comment and the drift report, parsed and rendered by Mermaid itself.

Mermaid's pinned browser bundle runs in headless Chromium (tests/support/diagrams.py): a diagram it refuses
fails with its message, and each assertion reads the drawn SVG (a node's text and its style class).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

import schemas
from platform_client import models
from sync import diagram
from sync.changes import PropertyChange, ResourceChange
from sync.drift import DriftReport, Finding, findings_from_change
from sync.preview import preview_markdown
from sync.report import markdown
from sync.severity import ORPHANED_RULE, UNMANAGED_ADMIN_RULE
from sync.structure import from_platform, from_spec, marked_by_drift
from tests.support.browser import REPORTS
from tests.support.diagrams import Mermaid, Rendered, blocks, mermaid
from tests.sync.test_report_snapshots import DRIFT, NAMES, PREVIEW, RENAL, STRUCTURE, change

GITHUB_COMMENT_LIMIT = 65_536
PICTURES = REPORTS / "diagrams"
REMOVED_ROOM = ResourceChange(urn="urn:pulumi:dev::videocall-iac::videocall:MeetingRoom::metro.old-huddle",
                              kind="MeetingRoom", name="metro.old-huddle", op="delete",
                              before={"name": "Old huddle", "clinic_id": RENAL, "member_ids": []})


@pytest.fixture(scope="module")
def page() -> Iterator[Mermaid]:
    """One Chromium with Mermaid loaded for the module's diagrams."""
    with mermaid() as loaded:
        yield loaded


def drawn(page: Mermaid, text: str) -> Rendered:
    """The one diagram of a Markdown text, rendered by Mermaid."""
    found = blocks(text)
    assert len(found) == 1, f"{len(found)} mermaid blocks"
    rendered = page.render(found[0])
    assert "Maximum text size" not in rendered.svg and "Too many edges" not in rendered.svg
    return rendered


def styled(rendered: Rendered, text: str, status: str) -> None:
    """The node showing `text` carries the style of `status`."""
    node = rendered.node(text)
    assert status in node.classes, (text, node.classes)


def test_preview_marks_added_changed_replaced_and_removed(page: Mermaid) -> None:
    text = preview_markdown("dev", [*PREVIEW, REMOVED_ROOM], names=NAMES, structure=STRUCTURE)
    rendered = drawn(page, text)
    for label, style in [
        ("Physio waiting area\nwaiting area · added", "added"),
        ("Case review\nmeeting room · added", "added"),
        ("Renal waiting area\nwaiting area · changed", "changed"),
        ("Cardiology waiting area", "changed"),
        ("Hydrotherapy group class\ngroup room · replaced", "replaced"),
        ("Dr Nguyen's room", "replaced"),
        ("Old huddle\nmeeting room · removed", "removed"),
        ("2 clinics unchanged", "unchanged"),
        ("3 people: 1 admin, 1 clerk, 1 team member\nchanged: Dr Nguyen\nadded: Dr Okafor", "changed"),
    ]:
        styled(rendered, label, style)
    assert "#dafbe1" in rendered.svg and "#ffebe9" in rendered.svg, "the class styles reach the drawing"
    assert text.index("### Structure") < text.index("### Changes")
    page.png(blocks(text)[0], PICTURES / "preview.png")


def test_drift_marks_drifted_orphaned_unmanaged_missing_and_deleted(page: Mermaid) -> None:
    orphan = Finding(ORPHANED_RULE[0], "orphaned", "GroupRoom", "metro.yoga", *ORPHANED_RULE[1:], "grp_7")
    missing = findings_from_change(change("WaitingArea", "metro.gp", "create"), recorded=False)
    deleted = findings_from_change(change("MeetingRoom", "metro.renal-handover", "create"), recorded=True)
    report = DriftReport("dev", [*DRIFT.findings, orphan, *missing, *deleted], 22, 24, names=NAMES,
                         structure=STRUCTURE, generated_at=DRIFT.generated_at)
    rendered = drawn(page, markdown(report))
    for label, style in [
        ("Renal waiting area\nwaiting area · drifted", "drifted"),
        ("Metro Health Cardiology\nclinic · drifted", "drifted"),
        ("Pop-up vaccination clinic\nclinic · unmanaged", "unmanaged"),
        ("unmanaged: Temp Locum", "unmanaged"),
        ("metro.yoga\ngroup room · orphaned", "orphaned"),
        ("GP waiting area\nwaiting area · missing", "missing"),
        ("Renal handover\nmeeting room · deleted", "deleted"),
        ("1 clinic unchanged", "unchanged"),
    ]:
        styled(rendered, label, style)
    page.png(blocks(markdown(report))[0], PICTURES / "drift.png")


def test_drift_draws_the_platforms_tree(page: Mermaid) -> None:
    owned = {"iac.videocall/project": "videocall-iac", "iac.videocall/stack": "dev"}
    org = platform(models.Organisation, "org_1", {**owned, "iac.videocall/resource": "metro"}, name="Metro Health")
    renal = platform(models.ClinicWithWaitingArea, "cln_1", {**owned, "iac.videocall/resource": "metro.renal"},
                     name="Renal", organisation_id="org_1")
    area = platform(models.WaitingArea, "wa_1", {**owned, "iac.videocall/resource": "metro.renal"},
                    name="Renal waiting area", clinic_id="cln_1", organisation_id="org_1")
    stray = platform(models.MeetingRoom, "mtg_9", {}, name="Corridor chat", clinic_id="cln_1",
                     organisation_id="org_1", member_ids=["mbr_9"])
    locum = platform(models.Member, "mbr_9", {}, display_name="Temp Locum", organisation_id="org_1", org_roles=[],
                     clinic_roles=[models.ClinicRoles.model_construct(clinic_id="cln_1", roles=["admin"])])
    findings = [Finding(UNMANAGED_ADMIN_RULE[0], "unmanaged", "Member", "Temp Locum", *UNMANAGED_ADMIN_RULE[1:],
                        "mbr_9"),
                Finding(UNMANAGED_ADMIN_RULE[0], "unmanaged", "MeetingRoom", "Corridor chat",
                        *UNMANAGED_ADMIN_RULE[1:], "mtg_9"),
                *findings_from_change(change("WaitingArea", "metro.renal", "update", PropertyChange(
                                          "enabled", False, True), platform_id="wa_1"), recorded=True)]
    structure = from_platform([org, renal, area, stray, locum])
    assert [item.clinic for item in structure[0].items] == ["metro.renal"] * 3 + [None]
    assert structure[0].items[3].roles == (("metro.renal", "admin"),)
    text = diagram.flowchart(marked_by_drift(structure, findings))
    assert text is not None
    rendered = page.render(text)
    styled(rendered, "Corridor chat\nmeeting room · unmanaged", "unmanaged")
    styled(rendered, "1 person: 1 admin\nunmanaged: Temp Locum", "unmanaged")
    styled(rendered, "Renal waiting area\nwaiting area · drifted", "drifted")
    styled(rendered, "Metro Health\norganisation", "unchanged")


def platform(kind: type[models.PlatformObject], object_id: str, labels: dict[str, str], **fields: Any) -> Any:
    """A platform object as the bulk read returns it (only the fields the diagram reads)."""
    now = datetime(2026, 11, 26, tzinfo=timezone.utc)
    return kind.model_construct(id=object_id, labels=labels, created_at=now, updated_at=now, version=1, **fields)


def big_spec(clinics: int) -> schemas.StructureSpec:
    """One organisation of `clinics` clinics, each with a waiting area, a meeting room and three people."""
    people, declared = [], []
    for n in range(clinics):
        declared.append({"key": f"c{n}", "name": f"Clinic number {n}", "waiting_area": {"name": f"Waiting {n}"},
                         "meeting_rooms": [{"key": f"m{n}", "name": f"Huddle {n}", "members": [f"a{n}"]}]})
        people += [{"key": f"{role[0]}{n}", "email": f"{role[0]}{n}@example.org", "display_name": f"{role} {n}",
                    "clinic_roles": [{"clinic": f"c{n}", "roles": [role], "permissions": {"meeting_rooms": True}}]}
                   for role in ("admin", "team_member", "clerk")]
    people[0]["org_roles"] = ["admin"]
    return schemas.validate_spec_data({"version": 1, "organisations": [
        {"key": "state", "name": "State Health", "clinics": declared, "people": people}]})


def creates(spec: schemas.StructureSpec) -> list[ResourceChange]:
    """A create of every object of the spec, as a first `up` previews it."""
    org = spec.organisations[0]
    made = [("Clinic", c.key) for c in org.clinics] + [("WaitingArea", c.key) for c in org.clinics]
    made += [("MeetingRoom", f"m{n}") for n in range(len(org.clinics))] + [("Member", p.key) for p in org.people]
    return [change(kind, f"{org.key}.{key}", "create") for kind, key in made]


def test_200_clinics_collapse_the_unchanged_ones(page: Mermaid) -> None:
    spec = big_spec(200)
    changed = [change("WaitingArea", "state.c7", "update"), change("MeetingRoom", "state.m42", "replace"),
               change("Member", "state.t99", "update")]
    text = preview_markdown("dev", changed, structure=from_spec(spec))
    source = blocks(text)[0]
    assert len(source) < 3_000 and len(text) < GITHUB_COMMENT_LIMIT
    rendered = drawn(page, text)
    styled(rendered, "197 clinics unchanged", "unchanged")
    styled(rendered, "Waiting 7\nwaiting area · changed", "changed")
    styled(rendered, "Huddle 42\nmeeting room · replaced", "replaced")
    styled(rendered, "3 people: 1 admin, 1 clerk, 1 team member\nchanged: team_member 99", "changed")
    assert len(rendered.nodes) < 20


@pytest.mark.parametrize("max_chars", [60_000, 12_000])
def test_200_new_clinics_fit_the_comment(page: Mermaid, max_chars: int) -> None:
    spec = big_spec(200)
    text = preview_markdown("dev", creates(spec), max_chars=max_chars, structure=from_spec(spec))
    source = blocks(text)[0]
    assert len(source) <= min(diagram.BUDGET, max_chars // 3) and len(text) <= max_chars
    rendered = drawn(page, text)
    assert len(rendered.nodes) <= diagram.MAX_NODES
    styled(rendered, "200 clinics added", "added")


def test_a_diagram_that_cannot_fit_says_so() -> None:
    spec = big_spec(30)
    orgs = [*from_spec(spec)] * 500
    lines = diagram.section("### Structure", orgs, 2_000, "note")
    assert "```mermaid" not in lines and "500 organisations are too many" in " ".join(lines)


HOSTILE = ['St "Mary\'s" <Hospital> & [Co] {x} #1 %% ``` end', "Clínica São João 医院 🏥 ü",
           'x"]:::added\nclick n1 call alert(1)', "<script>alert(1)</script><img src=x onerror=alert(2)>",
           "a --> b; style n1 fill:#f00 %%{init: {}}%%", "end", "$$\\sqrt{x}$$ costs $5",
           "**bold** _it_ <br> ~~x~~"]
"""Names that would end a label, set a class, add markup or statements, or turn into maths, were they not escaped."""


def test_names_are_escaped_so_mermaid_draws_them_as_text(page: Mermaid) -> None:
    spec = schemas.validate_spec_data({"version": 1, "organisations": [{
        "key": "o", "name": HOSTILE[0], "clinics": [{"key": "c", "name": HOSTILE[1], "waiting_area": {"name": "end"}}],
        "people": [{"key": "p", "email": "p@example.org", "display_name": "a --> b; style n1 fill:#f00",
                    "org_roles": ["admin"], "clinic_roles": [{"clinic": "c", "roles": ["admin"]}]}]}]})
    removed = [ResourceChange(urn=f"u{n}", kind="GroupRoom", name=f"o.r{n}", op="delete", before={"name": name})
               for n, name in enumerate(HOSTILE[2:])]
    text = preview_markdown("dev", [change("WaitingArea", "o.c", "update"), *removed], structure=from_spec(spec))
    rendered = drawn(page, text)
    styled(rendered, HOSTILE[0] + "\norganisation", "unchanged")
    styled(rendered, HOSTILE[1] + "\nclinic", "unchanged")
    styled(rendered, "end\nwaiting area · changed", "changed")
    for name in HOSTILE[2:]:
        styled(rendered, " ".join(name.split()) + "\ngroup room · removed", "removed")
    assert not any("added" in node.classes for node in rendered.nodes), "a label cannot set a class"
    assert not rendered.tags & {"script", "img", "a", "iframe"} and not rendered.handlers, "no markup from a label"
    assert "fill:#f00 !important" not in rendered.svg, "no style statement from a label"
    assert len(blocks(text)) == 1, "no label ends the Markdown fence"
