"""The state backend a team shares (PostgreSQL: `PULUMI_BACKEND_URL=postgres://…`), and its failures in one sentence.

Every engine command of the sync job goes through `BackendAwareCommand`: a stack locked by another run, or a
state database that cannot be opened, becomes one sentence saying who or what and the next step, instead of
the engine's output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from pulumi import automation as auto

from resources.errors import BackendUnusable
from sync.recover import LockHeld

POSTGRES_SCHEME = "postgres"
"""The engine's scheme for its PostgreSQL state backend (pkg/backend/diy/postgres); `postgresql://` is not one."""
LOCK_HOLDER = re.compile(r"locks/(?:[^/\s]+/[^/\s]+/)?(?P<stack>[^/\s]+)/[^/\s]+\.json\S*: "
                         r"created by (?P<who>\S+) \(pid (?P<pid>\d+)\) at (?P<since>\S+)")
UNOPENABLE = re.compile(r"unable to open state (?:database|directory|bucket) \"(?P<url>[^\"]*)\"[^:]*: (?P<why>.+)")


def checked_backend_url(url: str) -> str:
    """The backend URL, refused in one sentence when the engine would misread it."""
    scheme = urlsplit(url).scheme
    if scheme == "postgresql":
        raise BackendUnusable("PULUMI_BACKEND_URL starts with postgresql://, which Pulumi reads as a Pulumi Cloud "
                              "address: write postgres://user@host:5432/database?sslmode=… instead")
    return url


def is_database(url: str) -> bool:
    """Whether the backend URL names a PostgreSQL state database."""
    return urlsplit(url).scheme == POSTGRES_SCHEME


def lock_held(engine_output: str, stack: str) -> LockHeld | None:
    """The engine's 'stack is currently locked' failure as one sentence naming the holder; None for other failures."""
    if "the stack is currently locked" not in engine_output:
        return None
    holder = LOCK_HOLDER.search(engine_output)
    stack = holder["stack"] if holder else stack
    who = (f"{holder['who']} (pid {holder['pid']}) has held its lock since {holder['since']}" if holder
           else "the engine did not say who holds its lock")
    return LockHeld(f"stack {stack} is being changed by another run: {who}; wait for it to finish, or, if that run is "
                    f"gone (a cancelled job, a killed process), clear its lock with `pulumi cancel --stack {stack} "
                    "--yes` with the same PULUMI_BACKEND_URL")


def unopenable(engine_output: str) -> BackendUnusable | None:
    """The engine's failure to open the state backend as one sentence; None for other failures."""
    found = UNOPENABLE.search(engine_output)
    if found is None:
        return None
    why = found["why"].strip()
    hint = ("; add ?sslmode=disable for a server without TLS (only on a trusted network)"
            if "SSL is not enabled on the server" in why else "")
    return BackendUnusable(f"the state backend {found['url']} (PULUMI_BACKEND_URL) cannot be opened: {why}{hint}")


def stack_argument(args: list[str]) -> str:
    """The value of `--stack` in an engine command line, or '?'."""
    return args[args.index("--stack") + 1] if "--stack" in args[:-1] else "?"


class BackendAwareCommand(auto.PulumiCommand):
    """The pinned `pulumi` CLI, whose lock and state-backend failures are raised as one sentence each."""

    def run(self, args: list[str], cwd: str, additional_env: Mapping[str, str], on_output: auto.OnOutput | None = None,
            on_error: auto.OnOutput | None = None) -> auto.CommandResult:
        """Run the CLI; LockHeld or BackendUnusable instead of the engine's CommandError for those two failures."""
        try:
            return super().run(args, cwd, additional_env, on_output, on_error)
        except auto.CommandError as error:
            output = str(error)
            failure = lock_held(output, stack_argument(args)) or unopenable(output)
            if failure is None:
                raise
            raise failure from None
