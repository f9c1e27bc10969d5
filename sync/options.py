"""Arguments every command shares (stack, spec, platform) and the stack they select, set up for this run.

The platform and the spec are resolved once, by `resources.settings` (flag > environment > stack config >
default), and reach the engine and its providers through the environment: a command never writes or
removes stack config, and never lets a provider use a platform URL that only the state remembers.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

from platform_client import PlatformClient
from resources.errors import MissingPlatform
from resources.settings import ADOPT_EXISTING, API_TOKEN, API_URL, CA_BUNDLE, SPEC, Resolved, resolve
from sync.embedded import EMBEDDED_URL, ensure_embedded_platform
from sync.engine import PROJECT_ROOT, engine_environment
from sync.recover import DEFAULT_STALE_LOCK_AFTER, LockHeld, prepare_backend, recover_stack
from sync.stack import PROJECT_NAME, StackMissing, project_stack, scratch_project

DEFAULT_STACK = "dev"


@dataclass(frozen=True)
class Platform:
    """The platform a run talks to: its URL, its token, and where the URL came from."""

    url: str
    token: str
    source: str

    def client(self) -> PlatformClient:
        """A client of this platform (for bulk scans outside the engine)."""
        return PlatformClient(self.url, self.token)

    def __repr__(self) -> str:
        return f"Platform({self.url!r}, token='***', source={self.source!r})"


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    """--stack, --spec, --api-url, --embedded, --state-dir and --project-dir."""
    parser.add_argument("--stack", default=DEFAULT_STACK, help=f"stack name (default: {DEFAULT_STACK})")
    parser.add_argument("--spec", default=None,
                        help=f"structure spec of the stack (default: {SPEC.variable}, else stack config "
                             f"{SPEC.config_key}, else {SPEC.default})")
    add_platform_arguments(parser)
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="local state backend folder (default: PULUMI_BACKEND_URL if set, else .pulumi-state)")
    parser.add_argument("--stale-lock-after", type=float, default=DEFAULT_STALE_LOCK_AFTER, metavar="SECONDS",
                        help="a lock held from another machine this long is stale and cleared "
                             f"(default {DEFAULT_STALE_LOCK_AFTER:g}; one of a dead process on this machine always is)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="folder for the stacks' Pulumi.<stack>.yaml files (default: this repository; "
                             "another folder gets a Pulumi.yaml whose program is this repository's)")


def add_platform_arguments(parser: argparse.ArgumentParser) -> None:
    """--api-url and --embedded; the token comes from the environment or stack config, never a flag."""
    parser.add_argument("--api-url", default=None,
                        help=f"the platform's URL (default: {API_URL.variable}, else stack config {API_URL.config_key})")
    parser.add_argument("--embedded", action="store_true",
                        help=f"use the embedded reference platform at {EMBEDDED_URL}, starting it if needed")


def resolve_platform(args: argparse.Namespace, config: dict[str, auto.ConfigValue] | None = None) -> Platform:
    """The platform for this run: --embedded, else flag > environment > stack config; missing is an error."""
    if getattr(args, "embedded", False):
        return Platform(EMBEDDED_URL, ensure_embedded_platform(EMBEDDED_URL), "embedded")
    url = resolve(API_URL, flag=getattr(args, "api_url", None), config=config)
    token = resolve(API_TOKEN, config=config)
    if not url.value:
        raise MissingPlatform(f"no platform URL: set {API_URL.where_to_set()}, or pass --embedded "
                              "to use the embedded reference platform")
    if not token.value:
        raise MissingPlatform(f"no platform token for {url.value}: set {API_TOKEN.where_to_set()} (as a --secret)")
    return Platform(url.value, token.value, url.source)


def resolve_spec(args: argparse.Namespace, config: dict[str, auto.ConfigValue] | None = None) -> Resolved:
    """The spec for this run: --spec > VIDEOCALL_SPEC > stack config > the example; relative paths from here."""
    spec = resolve(SPEC, flag=args.spec, config=config)
    if spec.source == "stack config" and not Path(str(spec.value)).is_absolute():
        return Resolved(str(project_dir(args) / str(spec.value)), spec.source)
    return spec


def project_dir(args: argparse.Namespace) -> Path:
    """The folder that holds the project's Pulumi.yaml for these arguments."""
    return scratch_project(args.project_dir) if args.project_dir else PROJECT_ROOT


def stack_from_arguments(args: argparse.Namespace, *, create: bool = False) -> auto.Stack:
    """The stack named on the command line, set up for this run's platform and spec."""
    return stack_and_platform_from_arguments(args, create=create)[0]


def stack_and_platform_from_arguments(args: argparse.Namespace, *, create: bool = False) -> tuple[auto.Stack, Platform]:
    """The stack named on the command line (an error if it does not exist, unless `create`) and its platform.

    What a killed earlier run left behind (a stale lock, half-written state files, pending operations) is
    put right first, and said (`sync.recover`); a run still holding the stack stops the command.
    """
    stale_after = getattr(args, "stale_lock_after", DEFAULT_STALE_LOCK_AFTER)
    backend = engine_environment(args.state_dir)["PULUMI_BACKEND_URL"]
    prepared = prepare_backend(backend, PROJECT_NAME, args.stack, stale_after)
    stack = project_stack(args.stack, state_dir=args.state_dir, work_dir=project_dir(args), create=create)
    config = stack.get_all_config()
    platform = resolve_platform(args, config)
    spec = resolve_spec(args, config)
    if platform.source != "embedded":
        print(f"platform: {platform.url} (from {platform.source})", file=sys.stderr)
    run_settings = {
        API_URL.variable: platform.url, API_TOKEN.variable: platform.token,
        SPEC.variable: str(Path(str(spec.value)).resolve()),
        CA_BUNDLE.variable: resolve(CA_BUNDLE).value, ADOPT_EXISTING.variable: resolve(ADOPT_EXISTING).value,
    }
    stack.workspace.env_vars.update({name: value for name, value in run_settings.items() if value})
    with platform.client() as client:
        client.ensure_reachable()
        actions = prepared.actions + recover_stack(stack, client, run_died=prepared.run_died)
    for action in actions:
        print(f"recover: {action}", file=sys.stderr)
    return stack, platform


def stack_and_client_from_arguments(args: argparse.Namespace) -> tuple[auto.Stack, PlatformClient]:
    """The stack named on the command line and a client of the same platform (for bulk scans)."""
    stack, platform = stack_and_platform_from_arguments(args)
    return stack, platform.client()


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """--markdown and --json report files."""
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")


__all__ = ["LockHeld", "MissingPlatform", "Platform", "StackMissing", "add_stack_arguments", "resolve_platform", "resolve_spec",
           "stack_and_client_from_arguments", "stack_from_arguments"]
