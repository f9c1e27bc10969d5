"""The bounds every spec is read within, so no input can make validation hang or exhaust memory."""

MAX_SPEC_BYTES = 64 * 1024 * 1024
"""Largest spec file read (64 MiB; a spec of 10,000 clinics is about 6 MB)."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings (a spec needs about 10 levels)."""

ALIAS_NODE_FLOOR = 100_000
"""Aliases (*name) may repeat this many nodes, or as many as the file itself holds if that is more."""

MAX_NUMBER_DIGITS = 100
"""Longest number read as a number; no field of a spec needs more than a few digits."""

MAX_LISTED_PROBLEMS = 1_000
"""At most this many problems are listed; the rest are counted."""
