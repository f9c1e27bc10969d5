"""Where the Pulumi engine lives and the environment every non-interactive engine run needs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from resources.errors import EngineMissing
from resources.settings import RUN_SETTINGS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENGINE_BIN = PROJECT_ROOT / ".pulumi-engine" / "bin"
VENV = PROJECT_ROOT / ".venv"
DEFAULT_STATE_DIR = PROJECT_ROOT / ".pulumi-state"
# Only protects local development state; real stacks set PULUMI_CONFIG_PASSPHRASE themselves.
DEV_PASSPHRASE = "videocall-iac-local-development"
# The engine writes the whole state once per run, not after every step (per-step rewrites are quadratic:
# `up` of 1,000 objects 266 s instead of 23 s). A killed run's objects are taken back by the next `up`
# through their ownership labels and idempotency keys (docs/performance.md). PULUMI_SKIP_CHECKPOINTS=false
# in the environment keeps per-step checkpoints.
SKIP_CHECKPOINTS = ("PULUMI_SKIP_CHECKPOINTS", "true")
_told_development_passphrase = False


def provide_engine() -> Path:
    """The folder of the engine that `make setup` built or linked (engine/provide.sh).

    A run never builds it: a Go build takes minutes and downloads hundreds of MB, which is a setup step's job.
    """
    if (ENGINE_BIN / "pulumi").exists() and (ENGINE_BIN / ".stamp").exists():
        return ENGINE_BIN
    raise EngineMissing(f"the Pulumi engine is not in {ENGINE_BIN}: run `make setup` to build it")


def development_passphrase() -> str:
    """The public passphrase of the local .pulumi-state folder; said once per process, since it protects nothing."""
    global _told_development_passphrase
    if not _told_development_passphrase:
        print(f"note: the local state in {DEFAULT_STATE_DIR.name} uses the development passphrase "
              f"'{DEV_PASSPHRASE}'; set PULUMI_CONFIG_PASSPHRASE for any stack that holds real secrets",
              file=sys.stderr)
        _told_development_passphrase = True
    return DEV_PASSPHRASE


def engine_environment(state_dir: Path | None = None, passphrase: str | None = None) -> dict[str, str]:
    """Environment for a non-interactive engine run.

    State goes to `state_dir` (a local file backend) when given, else to PULUMI_BACKEND_URL when set,
    else to .pulumi-state. Only that default local folder falls back to a development passphrase;
    anywhere else a missing or empty PULUMI_CONFIG_PASSPHRASE is an error.
    """
    bin_dir = provide_engine()
    env = dict(os.environ)
    passphrase = passphrase or env.get("PULUMI_CONFIG_PASSPHRASE") or None
    if state_dir is None and env.get("PULUMI_BACKEND_URL"):
        backend = env["PULUMI_BACKEND_URL"]
    else:
        folder = state_dir or DEFAULT_STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        backend = folder.resolve().as_uri()
        if passphrase is None and folder.resolve() == DEFAULT_STATE_DIR.resolve():
            passphrase = development_passphrase()
    if passphrase is None:
        raise EngineMissing(
            f"no passphrase for the stack's secrets in {redacted_backend(backend)}: set PULUMI_CONFIG_PASSPHRASE "
            "(only the local .pulumi-state folder of `make run` has a development passphrase)"
        )
    home = (state_dir or DEFAULT_STATE_DIR) / ".pulumi-home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "PATH": os.pathsep.join([str(bin_dir), str(VENV / "bin"), env.get("PATH", "")]),
            "PULUMI_HOME": str(home),
            "PULUMI_BACKEND_URL": backend,
            "PULUMI_CONFIG_PASSPHRASE": passphrase,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            # Dynamic providers are unpickled in their own process: it must find this project's modules.
            "PYTHONPATH": os.pathsep.join(p for p in [str(PROJECT_ROOT), env.get("PYTHONPATH", "")] if p),
            "PULUMI_PYTHON_CMD": str(VENV / "bin" / "python"),
        }
    )
    env.pop("PULUMI_ACCESS_TOKEN", None)
    env.setdefault(*SKIP_CHECKPOINTS)
    # A run's platform and spec are resolved once and set by the caller (`sync.stack.project_stack`); none
    # inherited from this process may reach a provider behind its back. Empty, not absent: the Automation API
    # starts the engine with this process's environment under these variables, and empty counts as unset.
    for setting in RUN_SETTINGS:
        env[setting.variable] = ""
    return env


def redacted_backend(url: str) -> str:
    """A backend URL fit to print: any password in it replaced."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
