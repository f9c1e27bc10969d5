"""`python -m sync destroy --yes`: delete every object of a stack from the platform, saying how far along it is."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pulumi import automation as auto

from sync.changes import failure_reasons
from sync.options import add_stack_arguments, stack_and_platform_from_arguments
from sync.platform_scan import stack_objects
from sync.progress import Progress, recorded_objects


def destroy(args: argparse.Namespace) -> int:
    """Destroy the stack's objects (only with --yes); exit 0 when all are gone, 1 otherwise."""
    if not args.yes:
        print(f"destroy deletes every object of stack {args.stack} from the platform, patient entry links "
              "included: run it again with --yes", file=sys.stderr)
        return 1
    stack, platform = stack_and_platform_from_arguments(args)
    progress = Progress("destroy", recorded_objects(stack))
    events: list[auto.EngineEvent] = []

    def record(event: auto.EngineEvent) -> None:
        events.append(event)
        progress(event)

    try:
        stack.destroy(on_output=print, color="never", on_event=record)
        failed = None
    except auto.CommandError as error:
        failed = error
    with platform.client() as client:
        left = sorted(stack_objects(client, stack.workspace.project_settings().name, stack.name))
    if failed is None and not left:
        return 0
    reasons = failure_reasons(events)
    print("destroy stopped part-way:" if failed else "destroy finished, but not everything is gone:",
          *(f"  {reason}" for reason in reasons), sep="\n", file=sys.stderr)
    if left:
        # Some objects go with their organisation (the platform keeps one admin to the last): the engine counts
        # them deleted before the organisation is, so the platform is the one to ask what is left.
        print(f"still on the platform ({len(left)}): " + ", ".join(f"{kind} {name}" for kind, name in left),
              file=sys.stderr)
    print("fix the reason above, then run `python -m sync destroy --yes` again" if reasons or left
          else f"engine output:\n{failed}", file=sys.stderr)
    return 1


def register(subparsers: Any) -> None:
    """Add the `destroy` command."""
    parser = subparsers.add_parser("destroy", help="delete every object of a stack", description=__doc__)
    add_stack_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="really delete (without it nothing is done)")
    parser.set_defaults(run=destroy)
