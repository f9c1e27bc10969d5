"""Opaque, creation-ordered object ids with a type prefix, and unguessable link slugs."""

import secrets
import time


def new_id(prefix: str) -> str:
    """Make an id like `cln_0193a1b2c3d4e5f6a7b8c9d0e1f2`; ids of one prefix sort in creation order."""
    return f"{prefix}_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(8)}"


def new_slug() -> str:
    """Make the unguessable last path segment of a patient entry link or room link."""
    return secrets.token_urlsafe(12)
