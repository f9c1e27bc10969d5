"""Shapes shared by every resource: names (no control characters), labels, time zones, object metadata, pages."""

import functools
import re
import zoneinfo
from datetime import datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

# C0 and C1 controls (NUL, tab, newline, DEL, ...) and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*$"


def has_no_control_characters(text: str) -> str:
    """Refuse names holding control characters (422 `validation_failed` naming the field)."""
    found = CONTROL_CHARACTERS.search(text)
    if found:
        raise PydanticCustomError("control_character", "must not contain control characters (U+{code} at {at})",
                                  {"code": f"{ord(found.group()):04X}", "at": found.start()})
    return text


def name_of_length(longest: int) -> Any:
    """A name of 1..`longest` characters without control characters (published as a pattern)."""
    return Annotated[str, StringConstraints(min_length=1, max_length=longest),
                     AfterValidator(has_no_control_characters), Field(json_schema_extra={"pattern": NO_CONTROL_CHARACTERS})]


Name = name_of_length(120)
LabelKey = Annotated[str, StringConstraints(min_length=1, max_length=63, pattern=r"^[a-z0-9./_-]+$")]
LabelValue = Annotated[str, StringConstraints(max_length=255)]
Labels = Annotated[dict[LabelKey, LabelValue], Field(max_length=32)]
ObjectId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


@functools.cache
def _iana_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_is_a_known_iana_name(name: str) -> str:
    """Refuse anything that is not an IANA time zone name (422 `invalid_timezone`)."""
    if name not in _iana_names():
        raise PydanticCustomError("invalid_timezone", "{name!r} is not an IANA time zone name", {"name": name})
    return name


Timezone = Annotated[str, AfterValidator(timezone_is_a_known_iana_name), Field(examples=["Australia/Sydney"])]


def items_are_listed_once(values: list[Any]) -> list[Any]:
    """Refuse lists that name the same thing twice (roles, clinic ids, member ids)."""
    if len(set(values)) != len(values):
        raise ValueError("each item may appear only once")
    return values


class InputModel(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ChangeModel(InputModel):
    """A PATCH body: the fields given are merged in; immutable fields are refused with their own code."""

    immutable_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def immutable_fields_are_refused(cls, data: Any) -> Any:
        """Answer 422 `immutable_field` for fields that can only be set at creation."""
        if isinstance(data, dict):
            named = sorted(set(data) & cls.immutable_fields)
            if named:
                raise PydanticCustomError("immutable_field", "{fields} cannot be changed", {"fields": ", ".join(named)})
        return data

    def changes(self) -> dict[str, Any]:
        """The fields the request gave, as plain values."""
        return self.model_dump(exclude_unset=True)


class ObjectOut(BaseModel):
    """What every object carries."""

    id: str
    labels: dict[str, str]
    created_at: datetime
    updated_at: datetime
    version: int


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a collection."""

    items: list[ItemT]
    next_cursor: str | None
