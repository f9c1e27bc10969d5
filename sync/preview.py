"""`python -m sync preview`: what `pulumi up` would change, as a Markdown pull-request comment and a terminal summary."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pulumi import automation as auto

import schemas
from resources.errors import PreviewFailed
from resources.settings import API_TOKEN, SPEC, resolve
from sync.changes import CHANGE_OPS, ResourceChange, changes_from_events, failure_reasons
from sync.failures import EXPECTED_FAILURES
from sync import diagram
from sync.markdown import cell, failure_block, table, trimmed
from sync.readable import Names, names_from_state, rows
from sync.structure import Organisation, from_spec, marked_by_preview
from sync.options import add_stack_arguments, stack_from_arguments
from sync.progress import Progress, both, declared_objects

MARKER = "<!-- videocall-iac-preview -->"
"""First line of every preview comment; the workflow finds its previous comment by it."""
DEFAULT_MAX_CHARS = 60_000
OPS = ("create", "update", "replace", "delete")
SYMBOLS = {"create": "+", "update": "~", "replace": "+-", "delete": "-"}
VERBS = {"create": "to create", "update": "to update", "replace": "to replace", "delete": "to delete"}
NO_CHANGES = ("No changes: the spec matches the stack's state as its last run recorded it. The platform itself "
              "was not read; `python -m sync drift` compares the spec with it.")
DIAGRAM_NOTE = ("_Green: added · yellow: changed · orange, dashed: replaced · red, dashed: removed · grey: unchanged "
                "(clinics with nothing changed are counted, not drawn)._")
LINK_FATE = {"replace": "replaced: it gets a new entry link", "delete": "deleted: its entry link stops working"}


def preview_markdown(stack: str, changes: Sequence[ResourceChange], max_chars: int = DEFAULT_MAX_CHARS,
                     names: Names | None = None, structure: Sequence[Organisation] = ()) -> str:
    """The pull-request comment: marker, counts, warnings, the structure as a diagram (when given), then each change."""
    title = f"## Preview of stack `{stack}`"
    if not changes:
        return f"{MARKER}\n{title}\n\n{NO_CHANGES}\n"
    summary = [MARKER, title, "", f"**{count_line(changes)}**", "", *callouts(changes), *type_table(changes)]
    if structure:
        summary += diagram.section("### Structure", marked_by_preview(structure, changes, names or {}),
                                   min(diagram.BUDGET, max_chars // 3), DIAGRAM_NOTE) + [""]
    summary.append("### Changes")
    blocks = [change_block(change, names or {}) for change in changes]
    return trimmed("\n".join(summary) + "\n", blocks, max_chars, "change")


def count_line(changes: Sequence[ResourceChange]) -> str:
    """`4 changes: 1 to create, 2 to update, 1 to delete`."""
    counts = Counter(change.op for change in changes)
    parts = ", ".join(f"{counts[op]} {VERBS[op]}" for op in OPS if counts[op])
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''}: {parts}"


def callouts(changes: Sequence[ResourceChange]) -> list[str]:
    """Warnings a reviewer must not miss: patient entry links that change, objects that are replaced."""
    lines: list[str] = []
    links = [change for change in changes if change.entry_link_changes]
    if links:
        lines += ["> [!CAUTION]", "> **Patient entry links change** (printed on websites and in SMS templates):"]
        lines += [f"> - waiting area `{change.name}` is {LINK_FATE[change.op]}" for change in links]
        lines.append("")
    replaced = [change for change in changes if change.op == "replace" and not change.entry_link_changes]
    if replaced:
        lines += ["> [!WARNING]", "> **Replaced** (deleted and created again, with a new id):"]
        lines += [f"> - {change.kind} `{change.name}`" for change in replaced]
        lines.append("")
    disabled = [change for change in changes if disables(change)]
    if disabled:
        lines += ["> [!WARNING]", "> **Waiting areas disabled** (patients cannot join; `up` refuses while callers "
                  "wait unless the waiting area has `allow_disable_with_callers: true`):"]
        lines += [f"> - waiting area `{change.name}`" for change in disabled]
        lines.append("")
    return lines


def disables(change: ResourceChange) -> bool:
    """Whether an update turns a waiting area off."""
    return change.kind == "WaitingArea" and change.op == "update" and any(
        p.name == "enabled" and p.after is False for p in change.properties)


def type_table(changes: Sequence[ResourceChange]) -> list[str]:
    """Counts per resource type and operation, as a Markdown table."""
    counts = Counter((change.kind, change.op) for change in changes)
    kinds = sorted({change.kind for change in changes})
    rows = ["| resource type | " + " | ".join(OPS) + " |", "|---|" + "---:|" * len(OPS)]
    rows += [f"| {kind} | " + " | ".join(str(counts[kind, op] or "") for op in OPS) + " |" for kind in kinds]
    return [*rows, ""]


def change_block(change: ResourceChange, names: Names) -> str:
    """One change: its heading and a table of the properties it sets or changes (before → after)."""
    heading = f"#### `{SYMBOLS[change.op]}` {change.op} {change.kind} `{change.name}`"
    found = property_rows(change, names)
    if not found:
        return heading + "\n"
    lines = table(["property", "before", "after"], [(f"`{name}`", cell(old), cell(new)) for name, old, new in found])
    return heading + "\n\n" + "\n".join(lines) + "\n"


def property_rows(change: ResourceChange, names: Names) -> list[tuple[str, Any, Any]]:
    """(property, before, after) per changed leaf, in the spec's words (ids named, spec-only fields out)."""
    if change.op == "delete":
        return []
    if change.op == "create":
        return rows({}, change.after, names)
    return rows({p.name: p.before for p in change.properties}, {p.name: p.after for p in change.properties}, names)


def spec_error_markdown(stack: str, spec: str, errors: Sequence[schemas.SpecIssue], max_chars: int) -> str:
    """The comment for a spec that is not valid: every problem with its spec path and `file:line`."""
    summary = (f"{MARKER}\n## Preview of stack `{stack}`: the spec is not valid\n\n"
               f"`{spec}` has **{len(errors)} problem{'s' if len(errors) != 1 else ''}**; nothing was previewed.\n")
    lines = [f"- `{where(issue, spec)}` `{issue.path}`: {issue.message}" for issue in errors]
    return trimmed(summary, lines, max_chars, "problem")


def where(issue: schemas.SpecIssue, spec: str) -> str:
    """`file:line:column` of a spec problem (as much as is known)."""
    return ":".join(str(part) for part in (issue.file or spec, issue.line, issue.column) if part is not None)


FAILED_NEXT_STEP = ("change the spec as the reason says (or wait, if it names callers waiting now) and push "
                    "again; the engine's output is folded below")


def failure_markdown(stack: str, message: str, max_chars: int, reasons: Sequence[str] = ()) -> str:
    """The comment for a preview that could not finish: the reasons and the next step first, the engine's output after."""
    summary = f"{MARKER}\n## Preview of stack `{stack}` failed\n\n"
    if not reasons:
        first, _, rest = message.strip().partition("\n")
        reasons, message = [first], rest
    return summary + failure_block(reasons, FAILED_NEXT_STEP, message, max_chars - len(summary))


def terminal_summary(stack: str, changes: Sequence[ResourceChange], names: Names | None = None) -> str:
    """A few lines for the terminal: the counts, warnings, then one line per change."""
    if not changes:
        return f"Preview of stack {stack}: no changes against the stack's state (the platform was not read)."
    lines = [f"Preview of stack {stack}: {count_line(changes)}"]
    lines += [f"  ! patient entry link of {change.name} changes ({change.op})" for change in changes if change.entry_link_changes]
    lines += [f"  ! waiting area {change.name} is disabled" for change in changes if disables(change)]
    for change in changes:
        props = sorted({name.split(".")[0] for name, _, _ in property_rows(change, names or {})}) if change.properties else []
        lines.append(f"  {SYMBOLS[change.op]:>2} {change.kind} {change.name}" + (f" ({', '.join(props)})" if props else ""))
    lines.append(f"Next step: `python -m sync up --stack {stack}` makes these changes (it previews again first); "
                 "`--markdown FILE` writes the comment with every property")
    return "\n".join(lines)


def redacted(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret replaced, so no token ever reaches a comment."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[secret]")
    return text


def engine_errors(events: Iterable[auto.EngineEvent]) -> str:
    """The error diagnostics of an engine run, one per line."""
    return "\n".join(event.diagnostic_event.message.strip() for event in events
                     if event.diagnostic_event and event.diagnostic_event.severity == "error")


def progress(event: auto.EngineEvent) -> None:
    """Say on stderr each change as the engine plans it, so a long preview shows it is working."""
    step = event.resource_pre_event
    if step is None or step.metadata.type == "pulumi:pulumi:Stack":
        return
    op = step.metadata.op.value if hasattr(step.metadata.op, "value") else str(step.metadata.op)
    if op in CHANGE_OPS:
        print(f"  planned: {op} {step.metadata.urn.rsplit('::', 1)[-1]}", file=sys.stderr, flush=True)


def run_preview(stack: auto.Stack, on_event: Callable[[auto.EngineEvent], None] = progress) -> list[ResourceChange]:
    """`pulumi preview` of the stack; the changes it plans. Raises PreviewFailed with the engine's errors."""
    events: list[auto.EngineEvent] = []

    def record(event: auto.EngineEvent) -> None:
        events.append(event)
        on_event(event)

    try:
        stack.preview(on_event=record, color="never")
    except auto.CommandError as error:
        raise PreviewFailed(engine_errors(events) or str(error), failure_reasons(events)) from None
    return changes_from_events(events)


def preview(args: argparse.Namespace) -> int:
    """Validate the spec, preview the stack, print and write the summary; exit 0 on success, 1 on error."""
    known_now = resolve(SPEC, flag=args.spec)  # a spec named by flag or environment is checked before any engine run
    if known_now.source != "default" and (failed := spec_failure(args, str(known_now.value))) is not None:
        return failed
    secrets = [os.environ.get(API_TOKEN.variable, "")]
    print(f"previewing stack {args.stack}…", file=sys.stderr, flush=True)
    try:
        stack = stack_from_arguments(args)
        secrets.append((stack.workspace.env_vars or {}).get(API_TOKEN.variable, ""))
        spec = stack.workspace.env_vars[SPEC.variable]
        if known_now.source == "default" and (failed := spec_failure(args, spec)) is not None:
            return failed
        declared = schemas.load_spec(spec)
        changes = run_preview(stack, both(progress, Progress("preview", declared_objects(declared))))
        names = names_from_state(stack.export_stack().deployment.get("resources") or []) if changes else {}
    except EXPECTED_FAILURES as error:  # the comment says why; `python -m sync` then says it on the terminal
        message = redacted(str(error), secrets)
        reasons = [redacted(reason, secrets) for reason in getattr(error, "reasons", [])]
        publish(args, failure_markdown(args.stack, message, args.max_chars, reasons), 1)
        raise PreviewFailed(message, reasons) from None  # the stack's token may be in the text: said redacted only
    print(terminal_summary(args.stack, changes, names))
    return publish(args, preview_markdown(args.stack, changes, args.max_chars, names, from_spec(declared)), 0)


def spec_failure(args: argparse.Namespace, spec: str) -> int | None:
    """Exit 1 with a comment listing every problem when the spec is invalid; None when it is valid."""
    try:
        schemas.load_spec(spec)
    except schemas.SpecError as error:
        print(error, file=sys.stderr)
        return publish(args, spec_error_markdown(args.stack, spec, error.errors, args.max_chars), 1)
    return None


def publish(args: argparse.Namespace, markdown: str, code: int) -> int:
    """Write the Markdown to --markdown (if given) and pass the exit code on."""
    if args.markdown:
        Path(args.markdown).write_text(markdown, encoding="utf-8")
    return code


def register(subparsers: Any) -> None:
    """Add the `preview` command."""
    parser = subparsers.add_parser("preview", help="preview a stack for a pull request", description=__doc__)
    add_stack_arguments(parser)
    parser.add_argument("--markdown", type=Path, help="write the pull-request comment (Markdown) to this file")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                        help=f"longest comment; details are trimmed from the end (default: {DEFAULT_MAX_CHARS})")
    parser.set_defaults(run=preview)
