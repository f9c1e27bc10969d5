"""Drift reports: a terminal summary read in ten seconds, Markdown for people, JSON for machines.

JSON schema (version 1), documented in docs/drift-report.md:
{"schema": "videocall-iac/drift-report", "version": 1, "stack", "generated_at", "in_sync", "exit_code",
 "counts": {"critical", "high", "medium", "low"}, "coverage": {"managed", "total", "ratio"},
 "organisations": [id], "findings": [{"severity", "kind", "object", "name", "platform_id", "reason",
 "audience", "changes": [{"property", "declared", "live"}]}]}
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sync import diagram
from sync.drift import DriftReport, Finding
from sync.markdown import cell, short, table
from sync.readable import Names, rows
from sync.severity import Severity
from sync.structure import marked_by_drift

SCHEMA = "videocall-iac/drift-report"
SCHEMA_VERSION = 1
DIAGRAM_NOTE = ("_Yellow: drifted (differs from the spec) · red, dashed: deleted on the platform or missing (declared, "
                "never applied) · orange: undeclared · purple: orphaned (this stack's labels, not in its state) · grey, "
                "dashed: unmanaged · grey: in sync (clinics with nothing found are counted, not drawn)._")
ICONS = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "⚪"}


def as_json(report: DriftReport) -> dict[str, Any]:
    """The report as stable, documented JSON data."""
    counts = Counter(finding.severity.label for finding in report.findings)
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "stack": report.stack,
        "generated_at": report.generated_at,
        "in_sync": report.in_sync,
        "exit_code": report.exit_code,
        "counts": {severity.label: counts.get(severity.label, 0) for severity in Severity},
        "coverage": {"managed": report.managed, "total": report.total, "ratio": coverage(report)},
        "organisations": report.organisations,
        "findings": [finding_json(finding) for finding in report.findings],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as JSON data."""
    return {
        "severity": finding.severity.label,
        "kind": finding.kind,
        "object": finding.object_kind,
        "name": finding.name,
        "platform_id": finding.platform_id,
        "reason": finding.reason,
        "audience": finding.audience,
        "changes": [{"property": c.name, "declared": c.before, "live": c.after} for c in finding.changes],
    }


def coverage(report: DriftReport) -> float:
    """Share of the organisations' objects that this stack manages."""
    return round(report.managed / report.total, 3) if report.total else 1.0


def headline(report: DriftReport) -> str:
    """One line: in sync or how much drift, and the coverage."""
    managed = f"{report.managed}/{report.total} objects managed ({coverage(report):.0%})"
    if report.in_sync:
        extra = f"; {len(report.findings)} unmanaged object(s) noted" if report.findings else ""
        return f"Stack {report.stack} is in sync: {managed}{extra}."
    counts = Counter(finding.severity for finding in report.findings if finding.is_drift)
    parts = ", ".join(f"{counts[s]} {s.label}" for s in Severity if counts[s])
    return f"Drift in stack {report.stack}: {parts}. {managed}."


def finding_rows(finding: Finding, names: Names) -> list[tuple[str, Any, Any]]:
    """(property path, declared, live) per changed leaf, in the spec's words."""
    declared = {c.name: c.before for c in finding.changes}
    live = {c.name: c.after for c in finding.changes}
    return rows(declared, live, names, ownership=True)


def terminal(report: DriftReport, advice: bool = True) -> str:
    """The summary a person reads in ten seconds: headline, one line per finding worst first, each change below it."""
    lines = [headline(report)]
    for finding in report.findings:
        lines.append(f"  {finding.severity.label.upper():8} {finding.kind:10} {finding.object_kind} {finding.name}"
                     f" — {finding.reason} (for {finding.audience})")
        lines += [f"      {name}: {short(declared)} → {short(live)}"
                  for name, declared, live in finding_rows(finding, report.names)]
    steps = next_steps(report) if advice else []
    lines += ["", "python -m sync reconcile:", *(f"  - {step}" for step in steps)] if steps else []
    return "\n".join(lines)


def markdown(report: DriftReport, advice: bool = True) -> str:
    """The report for a pull request comment or an issue (`advice`: end with what reconcile would do)."""
    lines = [f"## Drift report: stack `{report.stack}`", "", f"**{headline(report)}**", ""]
    if report.findings:
        lines += table(["", "severity", "what", "object", "why it matters", "who should look"], [
            (ICONS[f.severity], f.severity.label, f.kind, f"{f.object_kind} `{f.name}`", f.reason, f.audience)
            for f in report.findings])
        if report.structure:
            lines += ["", *diagram.section("### Structure", marked_by_drift(report.structure, report.findings, report.names),
                                           diagram.BUDGET, DIAGRAM_NOTE)]
        detailed = [(finding, finding_rows(finding, report.names)) for finding in report.findings]
        detailed = [(finding, found) for finding, found in detailed if found]
        if detailed:
            lines += ["", "### What changed", "", "_declared_ is the spec's value, _live_ the platform's.", ""]
        for finding, found in detailed:
            lines += [f"**{finding.object_kind} `{finding.name}`**", ""]
            lines += table(["property", "declared (spec)", "live (platform)"],
                           [(f"`{name}`", cell(declared), cell(live)) for name, declared, live in found])
            lines.append("")
    steps = next_steps(report) if advice else []
    if steps:
        lines += ["", "### What `python -m sync reconcile` does", "", *(f"- {step}" for step in steps)]
    lines += ["", f"<sub>Generated {report.generated_at}.</sub>"]
    return "\n".join(lines).rstrip() + "\n"


def next_steps(report: DriftReport) -> list[str]:
    """What reconcile would do about the findings, by its policy for managed and unmanaged objects."""
    managed = sum(1 for f in report.findings if f.kind != "unmanaged")
    access = sum(1 for f in report.findings if f.kind == "unmanaged" and f.is_drift)
    other = sum(1 for f in report.findings if f.kind == "unmanaged" and not f.is_drift)
    steps = []
    if managed:
        steps.append(f"puts the spec back on the platform for {plural(managed, 'finding')} of managed objects "
                     "(orphans adopted back), within its guardrails")
    if access:
        steps.append(f"does not act on {plural(access, 'unmanaged object')} granting access unless run with "
                     "`--remove-unmanaged-access`; otherwise remove or declare them by hand")
    if other:
        steps.append(f"leaves {plural(other, 'unmanaged object')} alone (declare them, or `python -m sync adopt`, "
                     "to manage them)")
    return steps


def plural(count: int, noun: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
