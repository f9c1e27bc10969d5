"""Command line of the sync job: `python -m sync <command>`; see `--help` of each command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sync import commands


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; its return value is the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sync", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in commands.REGISTRY:
        register(subparsers)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
