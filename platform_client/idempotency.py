"""Idempotency keys: made once per logical create and reused by every retry of it."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

KEY_PREFIX = "vc1_"


def canonical_json(value: Any) -> str:
    """One spelling per JSON value (sorted keys, no spaces), so equal payloads hash equally."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def idempotency_key(scope: str, target: str, payload: Any, generation: int = 0) -> str:
    """The key for creating `payload` at `target` on behalf of `scope` (e.g. a Pulumi URN).

    Deterministic, so a rerun after a crash replays the first create instead of making a second
    object; `generation` moves past a replayed create whose object has since been deleted.
    """
    material = canonical_json({"scope": scope, "target": target, "payload": payload, "generation": generation})
    return KEY_PREFIX + hashlib.sha256(material.encode("utf-8")).hexdigest()


def fresh_key() -> str:
    """A key for a create with no caller scope: unique, yet still shared by that call's retries."""
    return KEY_PREFIX + uuid.uuid4().hex
