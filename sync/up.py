"""`python -m sync up`: `pulumi up` a spec (on the embedded platform with --embedded), print the patient entry links."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pulumi import automation as auto

from sync.changes import failure_reasons
from sync.options import add_stack_arguments, stack_from_arguments
from sync.progress import Progress, both, planned_objects


def up(args: argparse.Namespace) -> int:
    """Apply the spec and print the links; exit 0 on success."""
    stack = stack_from_arguments(args, create=True)
    events: list[auto.EngineEvent] = []
    try:
        # Like `pulumi up`: preview first, so a refused change stops the run before anything is applied.
        stack.preview(color="never", on_event=events.append)
    except auto.CommandError as error:
        return failed("preview failed, nothing was applied", events, error)
    try:
        result = stack.up(on_output=print, color="never",
                          on_event=both(events.append, Progress("up", planned_objects(events))))
    except auto.CommandError as error:
        return failed("the update stopped part-way (what was applied is recorded in the state)", events, error)
    print("\nPatient entry links:")
    for name, output in sorted(result.outputs.items()):
        if name.endswith("entry_links"):
            for clinic, link in sorted(output.value.items()):
                print(f"  {name.removesuffix('.entry_links')}/{clinic}: {link}")
    return 0


def failed(headline: str, events: list[auto.EngineEvent], error: auto.CommandError) -> int:
    """Say why, one sentence per failed resource first (the engine's full output after); exit 1."""
    reasons = failure_reasons(events)
    print(f"{headline}:", *(f"  {reason}" for reason in reasons), sep="\n", file=sys.stderr)
    print(f"\nengine output:\n{error}" if not reasons else "(run `pulumi up` for the engine's full output)",
          file=sys.stderr)
    return 1


def register(subparsers: Any) -> None:
    """Add the `up` command."""
    parser = subparsers.add_parser("up", help=up.__doc__, description=__doc__)
    add_stack_arguments(parser)
    parser.set_defaults(run=up)
