"""`python -m sync reconcile`: find drift, then put the declared state back — within guardrails.

Guardrails: a waiting area with callers queued is never disabled or deleted; a replacement (which changes
ids and links) stops the run unless --allow-replace; --non-destructive stops before any delete. Objects
this stack lost from its state (orphans) are adopted back rather than created twice.

Unmanaged objects (no ownership labels) are left alone, with two exceptions, both said in the summary:
- one with the natural key of a declared object that is missing (the same name in the same scope, a
  person's email) is what the spec declares: it is taken over instead of making a twin;
- one that grants access (an admin, a meeting room with members) is removed only with
  --remove-unmanaged-access; without it, the summary lists it as not acted on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi import automation as auto

from platform_client import PlatformClient
from platform_client.errors import NotFound
from resources.errors import EngineFailed, ReconcileRefused
from resources.settings import ADOPT_EXISTING, FORESEE_REFUSALS
from sync import report
from sync.changes import ResourceChange, changes_from_events, failure_reasons
from sync.drift import DriftReport, Finding, detect_drift
from sync.options import add_report_arguments, add_stack_arguments, stack_and_client_from_arguments


@dataclass
class Reconciliation:
    """What drift was found and what the run then did (or why it refused)."""

    drift: DriftReport
    applied: list[ResourceChange] = field(default_factory=list)
    refused: str | None = None
    entry_links_changed: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Waiting area → (old link, new link) for every patient entry link the repair changed."""
    removed: list[Finding] = field(default_factory=list)
    """Unmanaged objects granting access that were removed (--remove-unmanaged-access)."""
    not_acted_on: list[Finding] = field(default_factory=list)
    """Unmanaged objects granting access that were left in place."""

    @property
    def exit_code(self) -> int:
        """0 when applied (or nothing to do), 1 when refused."""
        return 1 if self.refused else 0


def reconcile(
    stack: auto.Stack, client: PlatformClient, *, allow_replace: bool = False, non_destructive: bool = False,
    remove_unmanaged_access: bool = False, progress: Callable[[str], None] = print,
) -> Reconciliation:
    """Detect drift, plan the repair with a refreshing preview, check the guardrails, then `up`."""
    found = detect_drift(stack, client, progress)
    result = Reconciliation(found)
    access = [f for f in found.findings if f.kind == "unmanaged" and f.is_drift]
    if access and remove_unmanaged_access and not non_destructive:
        for finding in access:
            progress(f"removing unmanaged {finding.object_kind} {finding.name}: {finding.reason}")
            remove_unmanaged(client, finding)
        result.removed = access
    else:
        result.not_acted_on = access
    # Through the environment, not stack config: a config change would show as a provider update.
    stack.workspace.env_vars[ADOPT_EXISTING.variable] = "true"
    # The guardrails below say why a change is refused (callers waiting): the plan itself must not fail on it.
    stack.workspace.env_vars[FORESEE_REFUSALS.variable] = "false"
    try:
        progress("planning the repair (refresh + preview)")
        events: list[auto.EngineEvent] = []
        engine_run(lambda: stack.preview(refresh=True, on_event=events.append), events)
        plan = [change for change in changes_from_events(events) if change.op != "same"]
        check_guardrails(plan, client, allow_replace=allow_replace, non_destructive=non_destructive)
        if not plan and found.in_sync:
            progress("nothing to do")
            return result
        progress(f"applying {len(plan)} change(s)")
        links_before = entry_links(stack)
        applied: list[auto.EngineEvent] = []
        engine_run(lambda: stack.up(refresh=True, on_event=applied.append), applied)
        result.applied = changes_from_events(applied)
        links_after = entry_links(stack)
        result.entry_links_changed = {
            name: (links_before.get(name), links_after.get(name))
            for name in sorted(set(links_before) | set(links_after))
            if links_before.get(name) != links_after.get(name)
        }
    except ReconcileRefused as refusal:
        result.refused = str(refusal)
    finally:
        stack.workspace.env_vars.pop(ADOPT_EXISTING.variable, None)
        stack.workspace.env_vars.pop(FORESEE_REFUSALS.variable, None)
    return result


def engine_run(run: Callable[[], Any], events: list[auto.EngineEvent]) -> None:
    """Run the engine; a failure raises EngineFailed with one sentence per failed resource."""
    try:
        run()
    except auto.CommandError as error:
        raise EngineFailed(str(error), failure_reasons(events)) from None


def check_guardrails(
    plan: list[ResourceChange], client: PlatformClient, *, allow_replace: bool, non_destructive: bool
) -> None:
    """Raise ReconcileRefused for the first planned change the guardrails forbid."""
    for change in plan:
        if change.op == "replace" and not allow_replace:
            raise ReconcileRefused(f"{change.kind} {change.name} would be replaced (new id, new links); "
                          "rerun with --allow-replace if that is intended")
        if non_destructive and change.op in ("delete", "replace"):
            raise ReconcileRefused(f"{change.kind} {change.name} would be {change.op}d and --non-destructive is set")
        if change.kind == "WaitingArea" and disables_or_deletes(change):
            queued = callers_waiting(client, change.platform_id)
            if queued:
                raise ReconcileRefused(f"{queued} caller(s) are waiting in waiting area {change.name}; it is never "
                              f"{'deleted' if change.op == 'delete' else 'disabled'} while callers wait")


def disables_or_deletes(change: ResourceChange) -> bool:
    """Whether a planned waiting-area change takes it away from callers."""
    if change.op in ("delete", "replace"):
        return True
    return any(prop.name == "enabled" and prop.after is False for prop in change.properties)


def callers_waiting(client: PlatformClient, waiting_area_id: str | None) -> int:
    """How many callers wait right now (read live, never stored)."""
    if not waiting_area_id:
        return 0
    try:
        return client.waiting_areas.get(waiting_area_id).waiting_count
    except NotFound:
        return 0


def reconcile_command(args: argparse.Namespace) -> int:
    """Reconcile and report; exit 0 applied or in sync, 1 refused or failed."""
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    stack, client = stack_and_client_from_arguments(args)
    with client:
        result = reconcile(stack, client, allow_replace=args.allow_replace, non_destructive=args.non_destructive,
                           remove_unmanaged_access=args.remove_unmanaged_access, progress=log)
    print(applied_summary(result))  # what was done (or why not) first, changed entry links leading
    print("\nDrift it found:\n" + report.terminal(result.drift, advice=False))
    if args.markdown:
        args.markdown.write_text(reconcile_markdown(result))
    if args.json:
        args.json.write_text(json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n")
    return result.exit_code


RECONCILE_NEXT_STEP = ("fix what the reason names (the spec, or the platform), then run `python -m sync drift` to "
                       "see what is left and `python -m sync reconcile` again")


def reconcile_markdown(result: Reconciliation) -> str:
    """What reconcile did (or why it refused) first, changed patient entry links leading; the drift it found after."""
    title = f"## Reconcile of stack `{result.drift.stack}`"
    if result.refused:
        head = f"{title}: refused, nothing changed\n\n**{result.refused}**\n\n"
    else:
        head = f"{title}\n\n```text\n{applied_summary(result)}\n```\n\n"
    return head + report.markdown(result.drift, advice=False)


def remove_unmanaged(client: PlatformClient, finding: Finding) -> None:
    """Take an unmanaged object's access away: the meeting room, or the person, is deleted."""
    assert finding.platform_id is not None
    endpoint = client.meeting_rooms if finding.object_kind == "MeetingRoom" else client.members
    try:
        endpoint.delete(finding.platform_id)
    except NotFound:
        pass


def entry_links(stack: auto.Stack) -> dict[str, str]:
    """Each waiting area's patient entry link as the state records it, by resource name."""
    resources = stack.export_stack().deployment.get("resources") or []
    return {r["urn"].rsplit("::", 1)[-1]: r["outputs"]["entry_link"] for r in resources
            if r.get("type", "").endswith(":WaitingArea") and (r.get("outputs") or {}).get("entry_link")}


def applied_summary(result: Reconciliation) -> str:
    """What reconcile did, one line per change — changed patient entry links first — or why it refused."""
    if result.refused:
        return f"ReconcileRefused, nothing changed: {result.refused}"
    left = [f"  NOT ACTED ON: unmanaged {f.object_kind} {f.name} ({f.reason}); remove it by hand or rerun with "
            "--remove-unmanaged-access" for f in result.not_acted_on]
    removed = [f"  removed unmanaged {f.object_kind} {f.name} ({f.reason})" for f in result.removed]
    if not result.applied:
        return "\n".join([*left, *removed, "Nothing else to apply." if left or removed else "Nothing to apply."])
    links = [f"  PATIENT ENTRY LINK CHANGED for waiting area {name}: {old or '(none)'} → {new or '(none)'} — update "
             "websites and SMS templates that print it" for name, (old, new) in result.entry_links_changed.items()]
    return "\n".join([*links, *left, *removed, "Applied:",
                      *(f"  {c.op:8} {c.kind} {c.name}" for c in result.applied)])


def as_json(result: Reconciliation) -> dict[str, Any]:
    """The drift report plus what was applied or why it refused."""
    return {
        **report.as_json(result.drift),
        "reconcile": {
            "refused": result.refused,
            "applied": [{"op": c.op, "object": c.kind, "name": c.name} for c in result.applied],
            "entry_links_changed": [{"waiting_area": name, "old": old, "new": new}
                                    for name, (old, new) in result.entry_links_changed.items()],
        },
    }


def register(subparsers: Any) -> None:
    """Add the `reconcile` command."""
    parser = subparsers.add_parser("reconcile", help=reconcile_command.__doc__, description=__doc__)
    add_stack_arguments(parser)
    add_report_arguments(parser)
    parser.add_argument("--allow-replace", action="store_true", help="allow replacements (new ids and links)")
    parser.add_argument("--non-destructive", action="store_true", help="stop before any delete or replacement")
    parser.add_argument("--remove-unmanaged-access", action="store_true",
                        help="delete unmanaged admins and meeting rooms with members (default: report them only)")
    parser.set_defaults(run=reconcile_command, next_step=RECONCILE_NEXT_STEP)
