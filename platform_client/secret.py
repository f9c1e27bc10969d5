"""A credential that never shows itself in reprs, logs, exceptions, tracebacks or pickles."""

from __future__ import annotations

from typing import NoReturn

REDACTED = "Secret('***')"


class Secret:
    """Holds a token; `reveal()` is the only way to read it, used once per request to set the header."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ValueError("a platform token must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        """The token itself, for the Authorization header and nowhere else."""
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        # Pulumi pickles dynamic providers into the state file; a token must never end up there.
        raise TypeError("a Secret is never pickled: read the token at call time instead")
