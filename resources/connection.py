"""Where a provider finds the platform, read at call time by the one precedence of `resources.settings`.

The provider object is pickled into the Pulumi state, so it never holds the token before `configure()`
runs in the provider process, and the token is never an input or output of any resource.

`pulumi refresh` and `pulumi destroy` hand providers the stack config saved in the state by the last `up`
(the program does not run), so a URL or token taken from stack config is read afresh from the stack
itself: a moved platform or a rotated token applies at once, and the token never goes to an old address.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from platform_client import PlatformClient, RetryPolicy, Unreachable
from platform_client.secret import Secret
from resources.errors import MissingSetting
from resources.settings import ADOPT_EXISTING, API_TOKEN, API_URL, CA_BUNDLE, is_true, resolve

# An engine run is unattended and long: a provider rides out more faults than an interactive caller.
PROVIDER_RETRY = RetryPolicy(max_attempts=20, deadline=180.0)

CONFIG_READ_TIMEOUT = 60.0
ENGINE_SEARCH_DEPTH = 4
"""Processes to look up from a provider for the Pulumi CLI (a shim script may sit between them)."""
log = logging.getLogger("resources")

_clients: dict[tuple[str, str], PlatformClient] = {}
_unreachable: dict[tuple[str, str], Unreachable] = {}
_stack_configs: dict[str, dict[str, str] | None] = {}
_lock = threading.Lock()


def platform_client(config: Any | None = None, stack: str | None = None) -> PlatformClient:
    """One long-lived client per platform URL and token in this provider process (of `stack`, when known)."""
    if stack and not all(os.environ.get(setting.variable) for setting in (API_URL, API_TOKEN)):
        config = current_stack_config(stack) or config
    url = resolve(API_URL, config=config).value
    token = resolve(API_TOKEN, config=config).value
    for setting, value in ((API_URL, url), (API_TOKEN, token)):
        if not value:
            what = "URL" if setting is API_URL else "token"
            raise MissingSetting(f"no platform {what}: set {setting.variable} or `pulumi config set {setting.config_key} …`")
    assert url is not None and token is not None
    ca_bundle = resolve(CA_BUNDLE, config=config).value
    cache_key = (url, str(hash(token)))
    with _lock:
        if cache_key in _unreachable:
            raise _unreachable[cache_key]  # one clear failure for the whole run, not one wait per resource
        if cache_key not in _clients:
            client = PlatformClient(url, Secret(token), ca_bundle=ca_bundle, retry=PROVIDER_RETRY)
            try:
                client.ensure_reachable()
            except Unreachable as error:
                _unreachable[cache_key] = error
                raise
            _clients[cache_key] = client
        return _clients[cache_key]


def current_stack_config(stack: str) -> dict[str, str] | None:
    """The stack's config as it is now (secrets decrypted), read once per process through the Pulumi CLI; None if unreadable."""
    with _lock:
        if stack not in _stack_configs:
            _stack_configs[stack] = _read_stack_config(stack)
        return _stack_configs[stack]


def _read_stack_config(stack: str) -> dict[str, str] | None:
    """`pulumi config --json --show-secrets` in the folder the engine runs in."""
    cli, folder = engine_process() or (shutil.which("pulumi"), os.getcwd())
    if cli is None:
        log.warning("the pulumi CLI is not on PATH: using the stack config the engine handed over, which may be old")
        return None
    result = subprocess.run(
        [cli, "config", "--json", "--show-secrets", "--stack", stack], cwd=folder, capture_output=True, text=True,
        timeout=CONFIG_READ_TIMEOUT, check=False, stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        log.warning("could not read the config of stack %s (exit %s): using the config the engine handed over",
                    stack, result.returncode)
        return None
    return {key: str(entry.get("value", "")) for key, entry in json.loads(result.stdout).items()}


def engine_process() -> tuple[str, str] | None:
    """The Pulumi CLI that started this provider: its binary and working folder (where its stack files are)."""
    pid = os.getppid()
    for _ in range(ENGINE_SEARCH_DEPTH):
        try:
            binary, folder = os.readlink(f"/proc/{pid}/exe"), os.readlink(f"/proc/{pid}/cwd")
            if Path(binary).name == "pulumi":
                return binary, folder
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return None
    return None


def adopting_existing(config: Any | None = None) -> bool:
    """Whether creates first look for an unmanaged object with the same natural key and adopt it."""
    return is_true(resolve(ADOPT_EXISTING, config=config))
