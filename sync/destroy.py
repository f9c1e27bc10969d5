"""`python -m sync destroy --yes`: delete every object of a stack from the platform, saying how far along it is."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pulumi import automation as auto

from sync.options import add_stack_arguments, stack_from_arguments
from sync.progress import Progress, recorded_objects


def destroy(args: argparse.Namespace) -> int:
    """Destroy the stack's objects (only with --yes); exit 0 when all are gone, 1 otherwise."""
    if not args.yes:
        print(f"destroy deletes every object of stack {args.stack} from the platform, patient entry links "
              "included: run it again with --yes", file=sys.stderr)
        return 1
    stack = stack_from_arguments(args)
    try:
        stack.destroy(on_output=print, color="never", on_event=Progress("destroy", recorded_objects(stack)))
    except auto.CommandError as error:
        print(f"destroy stopped part-way (what is left is recorded in the state):\n{error}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: Any) -> None:
    """Add the `destroy` command."""
    parser = subparsers.add_parser("destroy", help="delete every object of a stack", description=__doc__)
    add_stack_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="really delete (without it nothing is done)")
    parser.set_defaults(run=destroy)
