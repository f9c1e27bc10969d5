"""The pickled provider every dynamic resource carries: made once per provider and reused, never leaked.

pulumi 3.272's `serialize_provider` wraps `pickle._Pickler._batch_setitems` in a new sorting wrapper on
every call and never puts the old one back, so the k-th declared resource pickles through k nested
wrappers and a program of about 950 resources dies with RecursionError (docs/upstream-serialize-provider.md).
Our providers hold no state when declared (the token is read at call time), so one pickle per provider
class and state serves every resource, and what the serializer patches is restored after each call.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

PATCHED = ("_batch_setitems", "save_dict")
"""What `serialize_provider` replaces on `pickle._Pickler` and leaves replaced."""

_pickles: dict[tuple[type, str], str] = {}


def pickled_provider(provider: ResourceProvider) -> str:
    """The provider as `serialize_provider` spells it (base64 dill), computed once per class and state."""
    key = (type(provider), repr(sorted(vars(provider).items())))
    if key not in _pickles:
        with pickler_restored():
            _pickles[key] = serialize_provider(provider)
    return _pickles[key]


@contextmanager
def pickler_restored() -> Iterator[None]:
    """Put back every attribute of `pickle._Pickler` that the block replaces."""
    saved: dict[str, Any] = {name: vars(pickle._Pickler).get(name) for name in PATCHED}  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(pickle._Pickler, name, value)  # type: ignore[attr-defined]
