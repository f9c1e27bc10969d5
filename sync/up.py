"""`python -m sync up`: `pulumi up` a spec (on the embedded platform with --embedded), print the patient entry links."""

from __future__ import annotations

import argparse
from typing import Any

from pulumi import automation as auto

import schemas
from resources.errors import EngineFailed
from resources.settings import SPEC, resolve
from sync.changes import failure_reasons
from sync.options import add_stack_arguments, stack_from_arguments
from sync.progress import Progress, both, planned_objects


PREVIEW_REFUSED_NEXT_STEP = ("nothing was applied: change the spec as the reason says (or wait, if it names callers "
                             "waiting now), then run `python -m sync up` again")
STOPPED_NEXT_STEP = ("what was applied is recorded in the state: fix what the reason names, then run `python -m sync up` "
                     "again, which carries on where this run stopped")


def up(args: argparse.Namespace) -> int:
    """Apply the spec and print the links; exit 0 on success."""
    named = resolve(SPEC, flag=args.spec)
    if named.source != "default":  # every problem with its file:line, before the stack is even created
        schemas.load_spec(str(named.value))
    stack = stack_from_arguments(args, create=True)
    if named.source == "default":  # the spec may come from the stack's config: read it now
        schemas.load_spec(stack.workspace.env_vars[SPEC.variable])
    events: list[auto.EngineEvent] = []
    try:
        # Like `pulumi up`: preview first, so a refused change stops the run before anything is applied.
        stack.preview(color="never", on_event=events.append)
    except auto.CommandError as error:
        raise EngineFailed(str(error), failure_reasons(events), next_step=PREVIEW_REFUSED_NEXT_STEP) from None
    try:
        result = stack.up(on_output=print, color="never",
                          on_event=both(events.append, Progress("up", planned_objects(events))))
    except auto.CommandError as error:
        # The engine's output was printed as it came (on_output): the reasons are enough here.
        reasons = failure_reasons(events)
        raise EngineFailed("(the engine's output is above)" if reasons else str(error), reasons,
                           next_step=STOPPED_NEXT_STEP) from None
    print("\nPatient entry links:")
    for name, output in sorted(result.outputs.items()):
        if name.endswith("entry_links"):
            for clinic, link in sorted(output.value.items()):
                print(f"  {name.removesuffix('.entry_links')}/{clinic}: {link}")
    return 0


def register(subparsers: Any) -> None:
    """Add the `up` command."""
    parser = subparsers.add_parser("up", help=up.__doc__, description=__doc__)
    add_stack_arguments(parser)
    parser.set_defaults(run=up)
