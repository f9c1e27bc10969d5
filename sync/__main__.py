"""Command line of the sync job: `python -m sync <command>`; see `--help` of each command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sync import commands
from sync.failures import EXPECTED_FAILURES, failure_message


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; the one place a failure becomes words and an exit code."""
    installed = Path(sys.argv[0]).name == "videocall-sync"  # the console script of `pip install .`
    parser = argparse.ArgumentParser(prog="videocall-sync" if installed else "python -m sync", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in commands.REGISTRY:
        register(subparsers)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except EXPECTED_FAILURES as error:
        print(failure_message(f"{parser.prog} {args.command}", error, getattr(args, "next_step", "")), file=sys.stderr)
        return int(getattr(error, "exit_code", 1))


if __name__ == "__main__":
    sys.exit(main())
