"""Drift: where the platform differs from what the spec declares, ranked by who should care first.

Two sources: a refreshing preview (the engine reads every managed object live, then plans the spec against
it; nothing is written to state) — so drift compares the spec with the platform whatever the state holds,
even after someone ran `pulumi refresh` — and a scan of each organisation's tree (one bulk request each) for
orphans (this stack's labels, not in its state) and unmanaged objects (no ownership labels at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pulumi import automation as auto

from platform_client import PlatformClient
from platform_client.models import MeetingRoom, Member, PlatformObject
from resources.errors import EngineFailed, NothingToCompare
from resources.ownership import PROJECT_LABEL, RESOURCE_LABEL, STACK_LABEL
from resources.settings import FORESEE_REFUSALS
from sync.changes import PropertyChange, ResourceChange, changes_from_events, failure_reasons
from sync.engine import redacted_backend
from sync.platform_scan import object_kind, stack_organisations
from sync.readable import names_from_objects, names_from_state
from sync.structure import Organisation, from_platform
from sync.severity import (
    MISSING_RULE, ORPHANED_RULE, UNDECLARED_RULE, UNMANAGED_ACCESS_RULE, UNMANAGED_ADMIN_RULE, UNMANAGED_RULE,
    Severity, change_rule, deleted_rule,
)

PLATFORM_TYPE_PREFIX = "pulumi-python:dynamic/videocall:"


@dataclass(frozen=True)
class Finding:
    """One difference between the stack and the platform."""

    severity: Severity
    kind: str
    """changed, deleted (gone from the platform), missing (declared, never applied), undeclared (applied, no longer
    declared), orphaned or unmanaged."""
    object_kind: str
    """The platform's word for the object: Clinic, WaitingArea, Member, …"""
    name: str
    """The Pulumi resource name (changed, deleted, orphaned) or the platform's name (unmanaged)."""
    reason: str
    audience: str
    platform_id: str | None = None
    changes: tuple[PropertyChange, ...] = ()

    @property
    def is_drift(self) -> bool:
        """Unmanaged objects are reported but only those granting access (an admin, a room with members) are drift."""
        return self.kind != "unmanaged" or self.severity == Severity.CRITICAL


@dataclass
class DriftReport:
    """Everything one drift run found, with the figures a reader needs."""

    stack: str
    findings: list[Finding]
    managed: int
    total: int
    organisations: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """Platform id → spec key (or the platform's name), so reports say `renal`, not `cln_…`."""
    structure: list[Organisation] = field(default_factory=list)
    """The organisations as the platform holds them, for the report's diagram."""
    generated_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def in_sync(self) -> bool:
        """No drift (unmanaged objects aside)."""
        return not any(finding.is_drift for finding in self.findings)

    @property
    def exit_code(self) -> int:
        """0 in sync, 2 drift — like `terraform plan -detailed-exitcode`."""
        return 0 if self.in_sync else 2


def detect_drift(
    stack: auto.Stack, client: PlatformClient, progress: Callable[[str], None] = print
) -> DriftReport:
    """Refresh-preview the stack (no state written) and scan its organisations' trees."""
    resources = stack.export_stack().deployment.get("resources") or []
    progress(f"comparing stack {stack.name}'s spec with the platform (reads every managed object; writes nothing)")
    events: list[auto.EngineEvent] = []
    # Drift reports what differs; a change `up` would refuse now (callers waiting) is a finding, not an error.
    stack.workspace.env_vars[FORESEE_REFUSALS.variable] = "false"
    try:
        stack.preview(refresh=True, on_event=events.append, color="never")
    except auto.CommandError as error:
        raise EngineFailed(str(error), failure_reasons(events)) from None
    finally:
        stack.workspace.env_vars.pop(FORESEE_REFUSALS.variable, None)
    changes = changes_from_events(events)
    progress(f"  {len(changes)} resource(s) differ from the spec")
    recorded = {r["urn"] for r in resources}
    managed_ids = {r["id"] for r in resources if r.get("type", "").startswith(PLATFORM_TYPE_PREFIX) and r.get("id")}
    project = stack.workspace.project_settings().name
    # The state's organisations, and any carrying this stack's labels (made by a run that died before recording).
    org_ids = stack_organisations(
        client, project, stack.name,
        known=[r["id"] for r in resources if r.get("type") == PLATFORM_TYPE_PREFIX + "Organisation" and r.get("id")],
    )

    managed = total = 0
    names: dict[str, str] = {}
    findings: list[Finding] = []
    structure: list[Organisation] = []
    for org_id in org_ids:
        progress(f"scanning organisation {org_id} (one bulk request)")
        tree = client.organisations.tree(org_id)
        objects = list(tree.objects())
        names.update(names_from_objects(objects))
        total += len(objects)
        managed += sum(1 for obj in objects if obj.id in managed_ids)
        findings += scan_ownership(objects, managed_ids, project, stack.name)
        structure += from_platform(objects)
    orphans = {(finding.object_kind, finding.name) for finding in findings if finding.kind == "orphaned"}
    findings += [finding for change in changes if (change.kind, change.name) not in orphans
                 for finding in findings_from_change(change, recorded=change.urn in recorded)]
    if not managed_ids and not any(finding.kind == "orphaned" for finding in findings):
        raise NothingToCompare(
            f"stack {stack.name} in {redacted_backend(stack.workspace.env_vars.get('PULUMI_BACKEND_URL', '?'))} "
            "manages no platform objects and none carry its labels: there is nothing to compare. Apply it first, "
            "or point PULUMI_BACKEND_URL (or --state-dir) at the stack's state"
        )
    findings.sort(key=lambda f: (f.severity, f.object_kind, f.name))
    return DriftReport(stack.name, findings, managed, total, org_ids, {**names, **names_from_state(resources)},
                       structure)


def findings_from_change(change: ResourceChange, *, recorded: bool) -> list[Finding]:
    """A planned change of the spec against the live platform as a finding (`recorded`: the state knew it)."""
    if change.op == "create":
        severity, reason, audience = deleted_rule(change.kind) if recorded else MISSING_RULE
        return [Finding(severity, "deleted" if recorded else "missing", change.kind, change.name, reason, audience)]
    if change.op == "delete":
        severity, reason, audience = UNDECLARED_RULE
        return [Finding(severity, "undeclared", change.kind, change.name, reason, audience, change.platform_id)]
    if not change.properties:
        return []
    # The plan goes from live (before) to declared (after); a finding reads declared → live.
    declared_to_live = tuple(PropertyChange(p.name, p.after, p.before) for p in change.properties)
    rules = sorted(change_rule(change.kind, p.name, p.before, p.after) for p in declared_to_live)
    severity, reason, audience = rules[0]
    return [Finding(severity, "changed", change.kind, change.name, reason, audience, change.platform_id,
                    declared_to_live)]


def scan_ownership(
    objects: Iterable[PlatformObject], managed_ids: set[str], project: str, stack: str
) -> list[Finding]:
    """Orphans (our labels, not in our state) and unmanaged objects (no owner at all)."""
    findings = []
    for obj in objects:
        if obj.id in managed_ids:
            continue
        kind = object_kind(obj)
        owner = (obj.labels.get(PROJECT_LABEL), obj.labels.get(STACK_LABEL))
        if owner == (project, stack):
            severity, reason, audience = ORPHANED_RULE
            findings.append(Finding(severity, "orphaned", kind, obj.labels.get(RESOURCE_LABEL, obj.id),
                                    reason, audience, obj.id))
        elif not obj.labels.get(STACK_LABEL):
            severity, reason, audience = (UNMANAGED_ADMIN_RULE if holds_admin(obj) else
                                          UNMANAGED_ACCESS_RULE if grants_access(obj) else UNMANAGED_RULE)
            findings.append(Finding(severity, "unmanaged", kind, display_name(obj), reason, audience, obj.id))
    return findings


def holds_admin(obj: Any) -> bool:
    """Whether a member is an organisation or clinic admin."""
    if not isinstance(obj, Member):
        return False
    return "admin" in obj.org_roles or any("admin" in grant.roles for grant in obj.clinic_roles)


def grants_access(obj: Any) -> bool:
    """Whether an object made by hand lets people in: a meeting room with members."""
    return isinstance(obj, MeetingRoom) and bool(obj.member_ids)


def display_name(obj: Any) -> str:
    """What people call the object: a name, or a member's display name."""
    return str(getattr(obj, "name", None) or getattr(obj, "display_name", None) or obj.id)
