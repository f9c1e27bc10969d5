"""Which failures a person acts on, and the words for them: used by `python -m sync` and the preview comment."""

from __future__ import annotations

import os

from pulumi import automation as auto

from platform_client import PlatformError
from resources.errors import VideocallError
from resources.settings import API_TOKEN
from schemas import SpecError
from sync.markdown import failure_text

EXPECTED_FAILURES = (VideocallError, SpecError, PlatformError, auto.CommandError)
"""Failures a person acts on (a setting, a step, the spec, the platform): said in words, never a traceback."""


def failure_message(headline: str, error: BaseException, command_next_step: str = "") -> str:
    """An expected failure in words: each reason first, then the next step, the engine's output last; no token."""
    own_step = getattr(error, "next_step", None)
    if getattr(error, "reasons", None):
        text = failure_text(f"{headline} failed", error, own_step or command_next_step)
    else:
        text = f"{headline}: {error}" + (f"\nNext step: {own_step}" if own_step else "")
    token = os.environ.get(API_TOKEN.variable)
    return text.replace(token, "[secret]") if token else text
