"""`python -m sync recover`: put a stack right after a run was killed (a cancelled CI job, an OOM kill, a closed laptop).

Run by itself, and automatically before `up`, `preview`, `drift` and `reconcile`:
1. State files the local backend left half-written are healed. The backend (gocloud's fileblob) renames each
   checkpoint into place atomically, but first rewrites its `.attrs` side file in place: a kill in between
   leaves it empty, and every later command fails with "failed to load checkpoint: EOF". The checkpoint
   itself is whole, so the broken side file is removed (fileblob reads a missing one as "no attributes").
   A checkpoint that is unreadable all the same is restored from the backend's own backups.
2. A lock whose holder is gone (same host and its process dead, or older than --stale-lock-after) is cleared,
   naming who held it; a live holder stops the command with one sentence saying who and how to proceed.
3. Operations the killed run left pending are resolved against the platform: a pending create whose object
   exists (found by the stack's ownership labels, whoever's token made it) is adopted into the state, else
   dropped; pending updates and deletes are dropped and the object read back live. Nothing is created twice.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pulumi import automation as auto

from platform_client import PlatformClient
from resources.errors import LockHeld, StateUnreadable
from sync.platform_scan import stack_objects

DEFAULT_STALE_LOCK_AFTER = 6 * 3600.0
"""Seconds after which a lock held from another machine counts as stale (no run lasts that long)."""
RESOURCE_TYPE_PREFIX = "pulumi-python:dynamic/videocall:"


@dataclass
class Recovery:
    """What recovery did, one sentence each, and whether an earlier run died holding the stack."""

    actions: list[str] = field(default_factory=list)
    run_died: bool = False


def prepare_backend(
    backend_url: str, project: str, stack: str, stale_after: float = DEFAULT_STALE_LOCK_AFTER
) -> Recovery:
    """Before the stack is opened: heal half-written side files and clear a stale lock (local backends)."""
    folder = local_backend_folder(backend_url)
    if folder is None:
        return Recovery()
    cleared = clear_stale_lock(folder, project, stack, stale_after)
    return Recovery(heal_side_files(folder) + cleared, run_died=bool(cleared))


def recover_stack(stack: auto.Stack, client: PlatformClient, *, run_died: bool = False) -> list[str]:
    """Once the stack is open: restore an unreadable checkpoint, resolve pending operations, re-read after a death.

    Runs write the state once at their end (`sync.engine`), so a run that died recorded none of its changes:
    its updates and deletes are read back by a refresh here, its creates are taken back by the next `up`
    through the stack's ownership labels.
    """
    actions = []
    project = stack.workspace.project_settings().name
    try:
        deployment = stack.export_stack().deployment
    except auto.CommandError as error:
        folder = local_backend_folder(stack.workspace.env_vars.get("PULUMI_BACKEND_URL", ""))
        if folder is None or "failed to load checkpoint" not in str(error):
            raise
        actions.append(restore_checkpoint(folder, project, stack.name))
        deployment = stack.export_stack().deployment
        run_died = True
    actions += resolve_pending(stack, client, project, deployment)
    if run_died and deployment.get("resources"):
        stack.refresh(color="never")
        actions.append("read every object of the stack back from the platform (what the dead run changed is now in "
                       "the state; what it created is taken back by the next `up`)")
    return actions


def local_backend_folder(backend_url: str) -> Path | None:
    """The folder of a file:// state backend; None for any other backend."""
    parts = urlsplit(backend_url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def heal_side_files(folder: Path) -> list[str]:
    """Remove `.attrs` side files a killed write left empty or cut short (their data files are whole)."""
    healed = []
    for side_file in sorted((folder / ".pulumi").rglob("*.attrs")):
        if not whole_json(side_file):
            side_file.unlink(missing_ok=True)
            healed.append(f"removed {side_file.relative_to(folder)}, left half-written by a killed run")
    return healed


def whole_json(path: Path) -> bool:
    """Whether a file holds one complete JSON value (an empty or cut-short file does not)."""
    try:
        json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return True


def lock_files(folder: Path, project: str, stack: str) -> list[Path]:
    """The stack's lock files in a local backend (one per run holding it)."""
    return sorted(path for path in (folder / ".pulumi" / "locks").glob(f"*/{project}/{stack}/*.json"))


def clear_stale_lock(folder: Path, project: str, stack: str, stale_after: float) -> list[str]:
    """Remove locks whose holder is gone; raise LockHeld naming a live holder."""
    cleared = []
    for lock in lock_files(folder, project, stack):
        holder = read_lock(lock)
        who = f"{holder.get('username', '?')}@{holder.get('hostname', '?')} (pid {holder.get('pid', '?')})"
        since = holder.get("timestamp", "?")
        age = lock_age(holder)
        gone = holder.get("hostname") == socket.gethostname() and not process_alive(holder.get("pid"))
        if not holder or gone or (age is not None and age > stale_after):
            lock.unlink(missing_ok=True)
            Path(f"{lock}.attrs").unlink(missing_ok=True)
            reason = "its process is gone" if gone else f"it is older than {stale_after / 3600:g} h" if holder else "unreadable"
            cleared.append(f"cleared the lock of stack {stack} held by {who} since {since}: {reason}")
        else:
            raise LockHeld(
                f"stack {stack} is being changed by another run: {who} has held its lock since {since}. Wait for "
                f"it to finish; if that run is gone, remove {lock} (or `python -m sync recover --stale-lock-after 0`)"
            )
    return cleared


def read_lock(lock: Path) -> dict[str, Any]:
    """A lock file's holder (pid, username, hostname, timestamp); empty when unreadable."""
    try:
        holder = json.loads(lock.read_text())
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def lock_age(holder: dict[str, Any]) -> float | None:
    """Seconds since the lock was taken."""
    try:
        taken = datetime.fromisoformat(str(holder["timestamp"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (datetime.now(timezone.utc) - taken).total_seconds()


def process_alive(pid: Any) -> bool:
    """Whether a process with this id runs on this machine (a killed one nobody has reaped yet does not)."""
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def restore_checkpoint(folder: Path, project: str, stack: str) -> str:
    """Put back the newest readable checkpoint (the .bak, then the backend's backups); say which."""
    checkpoint = folder / ".pulumi" / "stacks" / project / f"{stack}.json"
    backups = sorted((folder / ".pulumi" / "backups" / project / stack).glob(f"{stack}.*.json"), reverse=True)
    for candidate in [Path(f"{checkpoint}.bak"), *backups]:
        if not whole_json(candidate):
            continue
        shutil.copyfile(candidate, checkpoint)
        Path(f"{checkpoint}.attrs").unlink(missing_ok=True)
        return (f"the checkpoint of stack {stack} was unreadable: restored {candidate.relative_to(folder)}; "
                "objects made after it are taken back by the next `up`, changes are read by its refresh")
    raise StateUnreadable(f"the checkpoint of stack {stack} and all its backups in {folder / '.pulumi'} are unreadable")


def resolve_pending(stack: auto.Stack, client: PlatformClient, project: str, deployment: dict[str, Any]) -> list[str]:
    """Adopt or drop each pending operation of the checkpoint, then read the touched objects back live."""
    pending = deployment.get("pending_operations") or []
    if not pending:
        return []
    found = stack_objects(client, project, stack.name)
    actions, to_read = [], []
    resources = deployment.setdefault("resources", [])
    for operation in pending:
        resource, kind = operation.get("resource", {}), operation.get("type", "")
        urn = resource.get("urn", "")
        name, object_type = urn.rsplit("::", 1)[-1], resource.get("type", "").removeprefix(RESOURCE_TYPE_PREFIX)
        if kind == "creating":
            live = found.get((object_type, name))
            if live is None:
                actions.append(f"dropped the pending create of {object_type} {name}: the platform has no such object")
                continue
            inputs = resource.get("inputs") or {}
            resources.append({**resource, "id": live.id, "outputs": {**inputs, "version": live.version}})
            actions.append(f"adopted {object_type} {name} ({live.id}), created by the killed run but not recorded")
        else:
            actions.append(f"dropped the pending {kind.removesuffix('ing') or 'operation'} of {object_type} {name}; "
                           "reading it back from the platform")
        to_read.append(urn)
    deployment["pending_operations"] = []
    stack.import_stack(auto.Deployment(version=3, deployment=deployment))
    if to_read:
        stack.refresh(target=to_read, color="never")
    return actions
