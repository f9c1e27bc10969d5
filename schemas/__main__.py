"""Command line: `python -m schemas validate <spec.yaml>...` and `python -m schemas json-schema`."""

from __future__ import annotations

import argparse
import sys

from .issues import SpecError, SpecFileError
from .json_schema import render_json_schema
from .loading import load_spec
from .spec import StructureSpec

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INTERNAL_ERROR = 0, 1, 2, 3


def summary(spec: StructureSpec) -> str:
    """A one-line count of what the spec declares."""
    orgs = spec.organisations
    counts = {
        "organisation": len(orgs),
        "clinic": spec.clinic_count(),
        "waiting area": sum(clinic.waiting_area is not None for org in orgs for clinic in org.clinics),
        "meeting room": sum(len(org.meeting_rooms) + sum(len(c.meeting_rooms) for c in org.clinics) for org in orgs),
        "group room": sum(len(org.group_rooms) + sum(len(c.group_rooms) for c in org.clinics) for org in orgs),
        "user room": sum(len(c.user_rooms) for org in orgs for c in org.clinics),
        "person": sum(len(org.people) for org in orgs),
    }
    return ", ".join(f"{n} {noun if n == 1 else ('people' if noun == 'person' else noun + 's')}" for noun, n in counts.items())


def validate(paths: list[str]) -> int:
    """Validate each spec file, print every problem as file:line:col: path: message, and return the exit code."""
    code = EXIT_VALID
    for path in paths:
        try:
            spec = load_spec(path)
        except SpecError as error:
            print(error)
            print(f"{path}: {len(error.errors)} problem{'s' if len(error.errors) != 1 else ''} found", file=sys.stderr)
            code = max(code, EXIT_UNREADABLE if isinstance(error, SpecFileError) else EXIT_INVALID)
        except Exception as error:  # noqa: BLE001 - a bug in the validator, never the spec's fault: one line, its own exit code
            said = " ".join(str(error).split())[:200]
            print(f"{path}: internal error in the validator ({type(error).__name__}: {said}); this is a bug, "
                  "please report it with the spec that caused it", file=sys.stderr)
            code = EXIT_INTERNAL_ERROR
        else:
            print(f"{path}: valid ({summary(spec)})")
            for where, message in spec.warnings():
                print(f"{path}: warning: {where}: {message}")
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 valid, 1 a spec has problems, 2 a file is unreadable, not YAML or over a limit, 3 internal error."""
    parser = argparse.ArgumentParser(prog="python -m schemas", description="Check structure specs and print their JSON Schema.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check spec files and print every problem with its line")
    check.add_argument("paths", nargs="+", metavar="spec.yaml")
    commands.add_parser("json-schema", help="print the JSON Schema of the spec format")
    args = parser.parse_args(argv)
    if args.command == "json-schema":
        sys.stdout.write(render_json_schema())
        return EXIT_VALID
    return validate(args.paths)


if __name__ == "__main__":
    sys.exit(main())
