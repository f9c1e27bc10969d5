"""Every setting of a run in one place, with one precedence: command-line flag > environment > stack config > default.

The providers, the Pulumi program and every `python -m sync` command resolve the platform, the token and the
spec here. Providers run in processes the engine starts; the engine may hand them the stack config saved in
the state by an earlier `up`, so the environment (which `python -m sync` always sets) wins over stack config:
a run never sends the token to a platform URL that only the state remembers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from platform_client.client import CA_BUNDLE_VARIABLE, TOKEN_VARIABLE, URL_VARIABLE


@dataclass(frozen=True)
class Setting:
    """One setting: its stack config key, its environment variable and its default."""

    config_key: str
    variable: str
    default: str | None = None
    flag: str | None = None
    """The `python -m sync` option that sets it, for messages."""

    def where_to_set(self) -> str:
        """How a user sets it, for error messages."""
        ways = [f"--{self.flag}"] if self.flag else []
        ways += [f"the environment variable {self.variable}", f"`pulumi config set {self.config_key} …`"]
        return ", ".join(ways[:-1]) + f" or {ways[-1]}"


API_URL = Setting("videocall:apiUrl", URL_VARIABLE, flag="api-url")
API_TOKEN = Setting("videocall:apiToken", TOKEN_VARIABLE)
CA_BUNDLE = Setting("videocall:caBundle", CA_BUNDLE_VARIABLE)
SPEC = Setting("videocall:spec", "VIDEOCALL_SPEC", default="examples/metro-health.yaml", flag="spec")
ADOPT_EXISTING = Setting("videocall:adoptExisting", "VIDEOCALL_ADOPT_EXISTING", default="false")
FORESEE_REFUSALS = Setting("videocall:foreseeRefusals", "VIDEOCALL_FORESEE_REFUSALS", default="true")
"""Whether a plan fails on a change `up` would refuse right now (callers waiting); drift turns it off to report."""
RUN_SETTINGS = (API_URL, API_TOKEN, CA_BUNDLE, SPEC, ADOPT_EXISTING, FORESEE_REFUSALS)

TRUE_WORDS = ("1", "true", "yes")


@dataclass(frozen=True)
class Resolved:
    """A setting's value and where it came from ("flag", "environment", "stack config", "default")."""

    value: str | None
    source: str


def resolve(
    setting: Setting, *, flag: str | None = None, config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """The setting's value by the precedence flag > environment > stack config > default; empty counts as unset."""
    environ = os.environ if environ is None else environ
    candidates = (
        ("flag", flag),
        ("environment", environ.get(setting.variable)),
        ("stack config", config_value(config, setting.config_key)),
    )
    for source, value in candidates:
        if value is not None and str(value).strip():
            return Resolved(str(value).strip(), source)
    return Resolved(setting.default, "default")


def config_value(config: Mapping[str, Any] | None, key: str) -> str | None:
    """A stack config value from a provider's config, a plain mapping, or the Automation API's ConfigValues."""
    if config is None:
        return None
    value = config.get(key)
    return getattr(value, "value", value)


def is_true(resolved: Resolved) -> bool:
    """Whether a yes/no setting is on."""
    return (resolved.value or "").strip().lower() in TRUE_WORDS
