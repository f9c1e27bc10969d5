"""Small spec texts for the schema tests: a valid base with slots to insert YAML, and issue lookups."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from schemas import SpecError, SpecIssue, validate_spec_text

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "metro-health.yaml"
MARK = "# <-"

BASE = """\
version: 1
organisations:
  - key: metro
    name: Metro Health
    clinics:
      - key: renal
        name: Metro Renal
        waiting_area:
          name: Renal waiting area
@WAITING_AREA@
      - key: physio
        name: Metro Physio
@PHYSIO@
@CLINICS@
@ORGANISATION@
    people:
      - key: alex
        email: alex@metro.example
        display_name: Alex Admin
        org_roles: [admin]
        clinic_roles:
          - {clinic: renal, roles: [admin], permissions: {meeting_rooms: true, user_room: true}}
          - {clinic: physio, roles: [admin], permissions: {meeting_rooms: true, user_room: true}}
      - key: kim
        email: kim@metro.example
        display_name: Kim Physio
        clinic_roles: [{clinic: physio, roles: [team_member]}]
@PEOPLE@
@ORGANISATIONS@
"""

SLOTS = {"WAITING_AREA": 10, "PHYSIO": 8, "CLINICS": 6, "ORGANISATION": 4, "PEOPLE": 6, "ORGANISATIONS": 2}


def spec(**snippets: str) -> str:
    """The base spec with each named snippet (dedented YAML) indented into its slot, e.g. spec(physio='timezone: X')."""
    text = BASE
    for slot, indent in SLOTS.items():
        snippet = textwrap.indent(textwrap.dedent(snippets.pop(slot.lower(), "")).strip("\n"), " " * indent)
        text = text.replace(f"@{slot}@\n", snippet + "\n" if snippet.strip() else "")
    assert not snippets, f"unknown slots: {snippets}"
    return text


def marked_line(text: str) -> int:
    """The 1-based line carrying the `# <-` marker."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if MARK in line]
    assert len(lines) == 1, "mark exactly one line with '# <-'"
    return lines[0]


def all_issues(text: str) -> list[SpecIssue]:
    """Every issue reported for the spec text (which must be invalid)."""
    with pytest.raises(SpecError) as caught:
        validate_spec_text(text, "spec.yaml")
    return caught.value.errors


def issue_at(text: str, path: str) -> SpecIssue:
    """The one issue reported at path; fails listing all issues when there is none."""
    issues = all_issues(text)
    found = [issue for issue in issues if issue.path == path]
    assert len(found) == 1, f"expected one issue at {path}, got:\n" + "\n".join(map(str, issues))
    return found[0]
