"""Building blocks shared by every spec object: the base model, keys, names, timezones, emails, labels."""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One broken rule found by a model's rule method: where (relative to the model) and why."""

    loc: Loc
    message: str


RuleMethod = Callable[[Any], Iterable[Problem]]
F = TypeVar("F", bound=RuleMethod)


def rule(method: F) -> F:
    """Mark a model method as a rule; it yields every Problem it finds and is named after the rule."""
    method.__spec_rule__ = True  # type: ignore[attr-defined]
    return method


class SpecModel(BaseModel):
    """Base of every spec object: unknown fields are refused, types are not coerced, rules are collected."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)

    @model_validator(mode="after")
    def enforce_rules(self) -> SpecModel:
        """Run every @rule of the model and report all their problems together, not only the first."""
        problems = [
            InitErrorDetails(type=PydanticCustomError(name, "{message}", {"message": problem.message}), loc=problem.loc, input=None)
            for name in _rule_names(type(self))
            for problem in getattr(self, name)()
        ]
        if problems:
            # A ValidationError raised here is merged into the outer one with each loc kept, so every problem is reported.
            raise ValidationError.from_exception_data(type(self).__name__, problems)
        return self


@cache
def _rule_names(model: type) -> tuple[str, ...]:
    """Names of a model class's @rule methods, in definition order."""
    names: list[str] = []
    for klass in reversed(model.__mro__):
        names += [name for name, value in vars(klass).items() if getattr(value, "__spec_rule__", False) and name not in names]
    return tuple(names)


def checked_text(pattern: str, rule_name: str, explanation: str, description: str) -> Any:
    """A string type checked against a regular expression, with a clear message and a JSON Schema pattern."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(rule_name, "'{value}' " + explanation, {"value": value})
        return value

    return Annotated[str, AfterValidator(check), WithJsonSchema({"type": "string", "pattern": pattern, "description": description})]


def whole_floats_as_int(value: Any) -> Any:
    """Pulumi hands numbers to dynamic providers as floats (6.0); a whole one counts as the integer."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(whole_floats_as_int)]
"""An integer; 6.0 from Pulumi is accepted as 6, but 6.5, "6" and true are refused."""

KEY_PATTERN = r"^(?=.{1,63}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Key = checked_text(
    KEY_PATTERN,
    "key_well_formed",
    "is not a valid key: use up to 63 lowercase letters, digits and single hyphens, starting with a letter (like 'renal-clinic')",
    "Stable key (becomes the Pulumi resource name): up to 63 lowercase letters, digits and single hyphens.",
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
"""A display name shown on the platform (1 to 120 characters)."""


@cache
def _iana_timezones() -> frozenset[str]:
    """Every IANA timezone name known to this machine's tzdata."""
    return frozenset(zoneinfo.available_timezones())


def timezone_is_iana(value: str) -> str:
    """Accept only IANA timezone names such as 'Australia/Sydney', suggesting a close one on a typo."""
    zones = _iana_timezones()
    if value in zones:
        return value
    by_city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in zones}
    guess = by_city.get(value.replace(" ", "_").lower()) or next(iter(difflib.get_close_matches(value, zones, n=1)), None)
    hint = f"; did you mean '{guess}'?" if guess else "; use a name like 'Australia/Sydney'"
    raise PydanticCustomError("timezone_is_iana", "'{value}' is not an IANA timezone name{hint}", {"value": value, "hint": hint})


Timezone = Annotated[
    str,
    AfterValidator(timezone_is_iana),
    WithJsonSchema({"type": "string", "description": "IANA timezone name, e.g. 'Australia/Sydney'.", "examples": ["Australia/Sydney"]}),
]


def email_is_valid(value: str) -> str:
    """Accept a deliverable-looking email address and return it in normalised form (no DNS lookups)."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise PydanticCustomError("email_is_valid", "'{value}' is not a valid email address: {reason}", {"value": value, "reason": str(error)}) from None


Email = Annotated[str, AfterValidator(email_is_valid), WithJsonSchema({"type": "string", "format": "email"})]

LABEL_KEY_PATTERN = r"^[a-z0-9./_-]{1,63}$"
LabelKey = checked_text(
    LABEL_KEY_PATTERN,
    "label_key_well_formed",
    "is not a valid label key: 1 to 63 characters from lowercase letters, digits, '.', '/', '_' and '-'",
    "Label key: 1 to 63 characters from [a-z0-9./_-].",
)
LabelValue = Annotated[str, StringConstraints(max_length=255)]
Labels = Annotated[dict[LabelKey, LabelValue], Field(max_length=32, json_schema_extra={"propertyNames": {"pattern": LABEL_KEY_PATTERN}})]
"""Free-form labels copied onto the platform object (at most 32)."""


def duplicates(values: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Yield (index, value) for every value already seen earlier in the sequence."""
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield index, value
        seen.add(value)


class Named(SpecModel):
    """What organisations, clinics and rooms all have: a stable key, a display name and labels."""

    key: Key
    """Stable key: it names the Pulumi resource, so it never changes; unique among its kind (clinics, rooms) in the organisation, or among the organisations."""
    name: Name
    """Name shown on the platform; change it freely."""
    labels: Labels = {}
    """Free-form labels copied onto the platform object."""
