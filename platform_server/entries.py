"""What a caller types into a waiting area's entry fields: checked against the field types, then forgotten.

Nothing here is stored, logged or returned to anyone but the caller who typed it.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from platform_server.models.common import CONTROL_CHARACTERS

LONGEST_ENTRY = 500
CONFIRM_FIELD = "confirm-call-entry"
PHONE = re.compile(r"^\+?[0-9 ()-]{6,24}$")
# Each field type's HTML input type and autocomplete hint.
INPUTS = {"text": ("text", "off"), "number": ("number", "off"), "date": ("date", "off"),
          "email": ("email", "email"), "phone": ("tel", "tel")}
HINTS = {"phone": "For example 0400 000 000 or +61 400 000 000."}


@dataclass(frozen=True)
class EntryInput:
    """One entry field as the form shows it: label, type, whether required, and what was typed back."""

    name: str
    label: str
    input_type: str
    autocomplete: str
    required: bool
    hint: str
    value: str = ""
    error: str = ""


def form_fields(entry_fields: list[dict[str, Any]], typed: Mapping[str, str] | None = None) -> list[EntryInput]:
    """The form's inputs for the waiting area's entry fields, checked when `typed` is given."""
    inputs = []
    for number, field in enumerate(entry_fields):
        name = f"entry-{number}"
        value = (typed or {}).get(name, "").strip()
        input_type, autocomplete = INPUTS[field["type"]]
        error = entry_error(field, value) if typed is not None else ""
        inputs.append(EntryInput(name, field["label"], input_type, autocomplete, bool(field.get("required")),
                                 HINTS.get(field["type"], ""), value, error))
    return inputs


def entry_error(field: Mapping[str, Any], value: str) -> str:
    """Why a typed value does not fit its field (empty when it does)."""
    if not value:
        return f"{field['label']} is required" if field.get("required") else ""
    if len(value) > LONGEST_ENTRY or CONTROL_CHARACTERS.search(value):
        return f"Enter at most {LONGEST_ENTRY} ordinary characters"
    return TYPE_CHECKS[field["type"]](value)


def _number(value: str) -> str:
    try:
        return "" if math.isfinite(float(value)) else "Enter a number"
    except ValueError:
        return "Enter a number, using digits only"


def _date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        return "Enter a real date"
    return ""


def _email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return "Enter an email address like name@example.com"
    return ""


def _phone(value: str) -> str:
    digits = sum(character.isdigit() for character in value)
    return "" if PHONE.match(value) and digits >= 6 else "Enter a phone number, like 0400 000 000"


TYPE_CHECKS = {"text": lambda value: "", "number": _number, "date": _date, "email": _email, "phone": _phone}
