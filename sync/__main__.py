"""Command line of the sync job: `python -m sync up` applies a spec to the embedded platform."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sync.embedded import EMBEDDED_URL, ensure_embedded_platform
from sync.stack import project_stack


def up(args: argparse.Namespace) -> int:
    """Start the embedded platform if needed, `pulumi up` the spec, print the patient entry links."""
    url = os.environ.get("VIDEOCALL_API_URL") or EMBEDDED_URL
    token = os.environ.get("VIDEOCALL_API_TOKEN") or ensure_embedded_platform(url)
    stack = project_stack(args.stack, api_url=url, api_token=token, spec=args.spec)
    result = stack.up(on_output=print, color="never")
    print("\nPatient entry links:")
    for name, output in sorted(result.outputs.items()):
        if name.endswith("entry_links"):
            for clinic, link in sorted(output.value.items()):
                print(f"  {name.removesuffix('.entry_links')}/{clinic}: {link}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help=up.__doc__)
    up_parser.add_argument("--stack", default="dev", help="stack name (default: dev)")
    up_parser.add_argument("--spec", default="examples/metro-health.yaml", help="structure spec of the stack")
    up_parser.set_defaults(run=up)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
