"""Command line of the sync job: `python -m sync <command>`; see `--help` of each command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from platform_client import Unreachable
from sync import commands
from sync.embedded import PlatformUnavailable
from sync.engine import EngineMissing
from sync.options import MissingPlatform, StackMissing
from sync.recover import LockHeld, StateUnreadable
from sync.state_backend import BackendUnusable

EXPECTED_FAILURES = (MissingPlatform, StackMissing, EngineMissing, PlatformUnavailable, LockHeld, StateUnreadable,
                     Unreachable, BackendUnusable)
"""Failures a user fixes by a setting or a step: one line, exit 1, never a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; its return value is the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sync", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in commands.REGISTRY:
        register(subparsers)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except EXPECTED_FAILURES as error:
        print(f"{parser.prog} {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
