# Every failure the resources and the sync job report to a person (the platform client has its own tree in
# platform_client/errors.py; an invalid spec is schemas.SpecError):
#
#   VideocallError                    a run stopped for a reason a person can act on: one sentence, never a traceback
#   ├── SetupError                    something the run needs is missing or unusable: fix a setting or a step, rerun
#   │   ├── MissingSetting            no platform URL or token in the environment nor in the stack config (provider)
#   │   ├── MissingPlatform           no platform URL or token given, and the embedded platform not asked for
#   │   ├── EngineMissing             the Pulumi engine, or its passphrase, is missing (`make setup` builds it)
#   │   ├── BackendUnusable           PULUMI_BACKEND_URL names a state backend that cannot be used as given
#   │   ├── PlatformUnavailable       the embedded platform did not answer and could not be started (port taken)
#   │   └── OrganisationNotVisible    no organisation with the id or name given is visible to the token
#   ├── StackUnavailable              the stack cannot be used right now
#   │   ├── StackMissing              no such stack in the backend looked at
#   │   ├── LockHeld                  another live run holds the stack's lock
#   │   └── StateUnreadable           the checkpoint and every backup of it are unreadable
#   ├── NothingToCompare              the stack manages nothing: "in sync" would be a claim about nothing
#   ├── ChangeRefused                 a change was refused before the platform was touched
#   │   ├── ProviderRefusal           a change the spec does not explicitly allow (callers waiting, entry link)
#   │   ├── StaleObject               the object changed on the platform since Pulumi read it: refresh first
#   │   └── ReconcileRefused          reconcile's guardrails stopped it; the message says how to proceed
#   └── RunFailed                     the engine ran and stopped; `reasons` holds one sentence per failed resource
#       ├── PreviewFailed             the preview could not finish
#       └── EngineFailed              an update, refresh or destroy stopped part-way
#
# `python -m sync` (sync/__main__.py) is the one place that turns these into messages and exit codes.
"""The error tree of the resources and the sync job (drawn above)."""

from __future__ import annotations

from collections.abc import Sequence


class VideocallError(Exception):
    """Base of every failure reported in words a person acts on; `reasons` are one sentence each."""

    exit_code = 1

    def __init__(self, message: str, reasons: Sequence[str] = (), *, next_step: str | None = None) -> None:
        super().__init__(message)
        self.reasons = list(reasons)
        self.next_step = next_step


class SetupError(VideocallError):
    """Something the run needs is missing or unusable: fix a setting or a step, then run again."""


class MissingSetting(SetupError):
    """No platform URL or token in the environment nor in the stack config."""


class MissingPlatform(SetupError):
    """No platform URL or token was given, and the embedded platform was not asked for."""


class EngineMissing(SetupError):
    """The Pulumi engine, or what it needs to run (a passphrase), is missing."""


class BackendUnusable(SetupError):
    """The state backend named by PULUMI_BACKEND_URL cannot be used as given."""


class PlatformUnavailable(SetupError):
    """The embedded platform did not answer and could not be started."""


class OrganisationNotVisible(SetupError):
    """No organisation with the id or name given is visible to the token."""


class StackUnavailable(VideocallError):
    """The stack cannot be used right now."""


class StackMissing(StackUnavailable):
    """The stack named does not exist in the backend looked at."""


class LockHeld(StackUnavailable):
    """Another run holds the stack's lock and is alive: nothing may change the stack now."""


class StateUnreadable(StackUnavailable):
    """The stack's checkpoint and every backup of it are unreadable."""


class NothingToCompare(VideocallError):
    """The stack manages nothing: "in sync" would be a claim about nothing."""


class ChangeRefused(VideocallError):
    """A change was refused before the platform was touched."""


class ProviderRefusal(ChangeRefused):
    """A change the provider will not make without an explicit allowance in the spec."""


class StaleObject(ChangeRefused):
    """The object changed on the platform after Pulumi last read it; a refresh must come first."""


class ReconcileRefused(ChangeRefused):
    """Reconcile stopped before changing anything; the message says why and how to proceed."""


class RunFailed(VideocallError):
    """The engine ran and stopped: the message holds its output, `reasons` one sentence per failed resource."""


class PreviewFailed(RunFailed):
    """The engine could not finish the preview."""


class EngineFailed(RunFailed):
    """An update, refresh or destroy stopped part-way."""
