"""Arguments every command shares (stack, spec, platform) and the stack they select."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pulumi import automation as auto

from platform_client import PlatformClient
from sync.embedded import EMBEDDED_URL, ensure_embedded_platform
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack, scratch_project

DEFAULT_STACK = "dev"
DEFAULT_SPEC = "examples/metro-health.yaml"


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    """--stack, --spec and --state-dir; the platform comes from VIDEOCALL_API_URL/VIDEOCALL_API_TOKEN."""
    parser.add_argument("--stack", default=DEFAULT_STACK, help=f"stack name (default: {DEFAULT_STACK})")
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"structure spec of the stack (default: {DEFAULT_SPEC})")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="local state backend folder (default: PULUMI_BACKEND_URL if set, else .pulumi-state)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="folder for the stacks' Pulumi.<stack>.yaml files (default: this repository; "
                             "another folder gets a Pulumi.yaml whose program is this repository's)")


def platform_from_environment() -> tuple[str, str]:
    """The platform's URL and token: VIDEOCALL_API_URL/TOKEN, else the embedded platform (started if needed)."""
    url = os.environ.get("VIDEOCALL_API_URL") or EMBEDDED_URL
    token = os.environ.get("VIDEOCALL_API_TOKEN") or ensure_embedded_platform(url)
    return url, token


def stack_from_arguments(args: argparse.Namespace) -> auto.Stack:
    """The stack named on the command line, configured for the platform and the spec."""
    return _stack(args, *platform_from_environment())


def stack_and_client_from_arguments(args: argparse.Namespace) -> tuple[auto.Stack, PlatformClient]:
    """The stack named on the command line and a client of the same platform (for bulk scans)."""
    url, token = platform_from_environment()
    return _stack(args, url, token), PlatformClient(url, token)


def _stack(args: argparse.Namespace, url: str, token: str) -> auto.Stack:
    """The stack for these arguments on the platform at `url`."""
    work_dir = scratch_project(args.project_dir) if args.project_dir else PROJECT_ROOT
    spec = str(Path(args.spec).resolve())
    return project_stack(args.stack, api_url=url, api_token=token, spec=spec, state_dir=args.state_dir, work_dir=work_dir)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """--markdown and --json report files."""
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
