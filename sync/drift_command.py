"""`python -m sync drift`: report drift between a stack and the platform; exit 0 in sync, 2 drift, 1 error."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sync import report
from sync.drift import DriftReport, detect_drift
from sync.options import add_report_arguments, add_stack_arguments, stack_and_client_from_arguments

DRIFT_NEXT_STEP = "fix what the reason names, then run `python -m sync drift` again (nothing was compared)"


def drift(args: argparse.Namespace) -> int:
    """Detect drift, print the summary, write the requested reports; the exit code says what was found."""
    stack, client = stack_and_client_from_arguments(args)
    with client:
        found = detect_drift(stack, client, progress=lambda line: print(line, file=sys.stderr, flush=True))
    write_reports(found, args)
    return found.exit_code


def write_reports(found: DriftReport, args: argparse.Namespace) -> None:
    """The terminal summary on stdout, and Markdown/JSON files when asked for."""
    print(report.terminal(found))
    if args.markdown:
        args.markdown.write_text(report.markdown(found))
    if args.json:
        args.json.write_text(json.dumps(report.as_json(found), indent=2, ensure_ascii=False) + "\n")


def register(subparsers: Any) -> None:
    """Add the `drift` command."""
    parser = subparsers.add_parser("drift", help=drift.__doc__, description=__doc__)
    add_stack_arguments(parser)
    add_report_arguments(parser)
    parser.set_defaults(run=drift, next_step=DRIFT_NEXT_STEP)
