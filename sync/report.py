"""Drift reports: a terminal summary read in ten seconds, Markdown for people, JSON for machines.

JSON schema (version 1), documented in docs/drift-report.md:
{"schema": "videocall-iac/drift-report", "version": 1, "stack", "generated_at", "in_sync", "exit_code",
 "counts": {"critical", "high", "medium", "low"}, "coverage": {"managed", "total", "ratio"},
 "organisations": [id], "findings": [{"severity", "kind", "object", "name", "platform_id", "reason",
 "audience", "changes": [{"property", "declared", "live"}]}]}
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sync.drift import DriftReport, Finding
from sync.severity import Severity

SCHEMA = "videocall-iac/drift-report"
SCHEMA_VERSION = 1
VALUE_WIDTH = 60
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


def terminal(report: DriftReport) -> str:
    """The summary a person reads in ten seconds: headline, then one line per finding, worst first."""
    lines = [headline(report)]
    for finding in report.findings:
        what = ", ".join(f"{c.name}: {short(c.before)} → {short(c.after)}" for c in finding.changes)
        lines.append(
            f"  {finding.severity.label.upper():8} {finding.kind:9} {finding.object_kind} {finding.name}"
            f" — {finding.reason} (for {finding.audience}){': ' + what if what else ''}"
        )
    return "\n".join(lines)


def markdown(report: DriftReport) -> str:
    """The report for a pull request comment or an issue."""
    lines = [f"## Drift report: stack `{report.stack}`", "", f"**{headline(report)}**", ""]
    if report.findings:
        lines += ["| | severity | what | object | why it matters | who should look |", "|---|---|---|---|---|---|"]
        for finding in report.findings:
            lines.append(
                f"| {ICONS[finding.severity]} | {finding.severity.label} | {finding.kind} | "
                f"{finding.object_kind} `{finding.name}` | {finding.reason} | {finding.audience} |"
            )
        detailed = [finding for finding in report.findings if finding.changes]
        if detailed:
            lines += ["", "### What changed", ""]
        for finding in detailed:
            lines += [f"**{finding.object_kind} `{finding.name}`**", "", "| property | declared | live |",
                      "|---|---|---|"]
            lines += [f"| `{c.name}` | `{short(c.before)}` | `{short(c.after)}` |" for c in finding.changes]
            lines.append("")
    lines += ["", f"<sub>Generated {report.generated_at}. `python -m sync reconcile` puts the declared state back.</sub>"]
    return "\n".join(lines).rstrip() + "\n"


def short(value: Any) -> str:
    """A value on one line, cut to a readable width; nothing shows as (none), blank text as (empty)."""
    if value is None:
        return "(none)"
    if value == "":
        return "(empty)"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False) if not isinstance(value, str) else value
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"
