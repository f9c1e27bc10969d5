"""Where a provider finds the platform: stack config first, then the environment, read at call time.

The provider object is pickled into the Pulumi state, so it never holds the token before `configure()`
runs in the provider process, and the token is never an input or output of any resource.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from platform_client import PlatformClient, RetryPolicy
from platform_client.client import CA_BUNDLE_VARIABLE, DEFAULT_API_URL, TOKEN_VARIABLE, URL_VARIABLE
from platform_client.secret import Secret

API_URL_CONFIG = "videocall:apiUrl"
API_TOKEN_CONFIG = "videocall:apiToken"
CA_BUNDLE_CONFIG = "videocall:caBundle"
ADOPT_CONFIG = "videocall:adoptExisting"
ADOPT_VARIABLE = "VIDEOCALL_ADOPT_EXISTING"

# An engine run is unattended and long: a provider rides out more faults than an interactive caller.
PROVIDER_RETRY = RetryPolicy(max_attempts=20, deadline=180.0)

_clients: dict[tuple[str, str], PlatformClient] = {}
_lock = threading.Lock()


class MissingToken(RuntimeError):
    """No platform token in the stack config nor in the environment."""


def platform_client(config: Any | None = None) -> PlatformClient:
    """One long-lived client per platform URL and token in this provider process."""
    url = _setting(config, API_URL_CONFIG, URL_VARIABLE) or DEFAULT_API_URL
    token = _setting(config, API_TOKEN_CONFIG, TOKEN_VARIABLE)
    if not token:
        raise MissingToken(
            f"no platform token: run `pulumi config set --secret {API_TOKEN_CONFIG} <token>` "
            f"or set {TOKEN_VARIABLE}"
        )
    ca_bundle = _setting(config, CA_BUNDLE_CONFIG, CA_BUNDLE_VARIABLE)
    cache_key = (url, str(hash(token)))
    with _lock:
        if cache_key not in _clients:
            _clients[cache_key] = PlatformClient(url, Secret(token), ca_bundle=ca_bundle, retry=PROVIDER_RETRY)
        return _clients[cache_key]


def adopting_existing(config: Any | None = None) -> bool:
    """Whether creates first look for an unmanaged object with the same natural key and adopt it."""
    return (_setting(config, ADOPT_CONFIG, ADOPT_VARIABLE) or "").strip().lower() in ("1", "true", "yes")


def _setting(config: Any | None, config_key: str, variable: str) -> str | None:
    """A value from the stack config if set there, else from the environment."""
    value = config.get(config_key) if config is not None else None
    return value or os.environ.get(variable) or None
