"""Building blocks shared by every spec object: the base model, keys, names, timezones, emails, labels."""

from __future__ import annotations

import difflib
import re
import types
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import (
    Annotated,
    Any,
    Generic,
    NoReturn,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

Loc = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One broken rule found by a model's rule method: where (relative to the model) and why."""

    loc: Loc
    message: str


class UnknownValue(Exception):
    """A rule read a value that is not known (it failed validation), so what the rule would say is not known either."""


class _Unknown:
    """Stands for a value that failed validation: reading it in any way raises UnknownValue."""

    __slots__ = ()

    def _unknown(self, *_: Any) -> NoReturn:
        raise UnknownValue

    __getattr__ = __iter__ = __len__ = __bool__ = __contains__ = __getitem__ = __hash__ = _unknown
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __str__ = __format__ = _unknown  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Any = _Unknown()
"""The value of a field that failed validation, in the partial models rules run on (see partial.py)."""


def known(value: T) -> T:
    """The value itself; raise UnknownValue when it is UNKNOWN (for values only stored or compared by identity)."""
    if value is UNKNOWN:
        raise UnknownValue
    return value

RuleMethod = Callable[[Any], Iterable[Problem]]
F = TypeVar("F", bound=RuleMethod)
RULE_NAMES: set[str] = set()
"""Every rule's name: the error type of the problems it reports."""


def rule(method: F) -> F:
    """Mark a model method as a rule; it yields every Problem it finds and is named after the rule."""
    method.__spec_rule__ = True  # type: ignore[attr-defined]
    RULE_NAMES.add(method.__name__)
    return method


def broken_rules(model: BaseModel) -> Iterator[tuple[str, Problem]]:
    """(rule name, problem) for every problem the model's rules find; a rule stops at the first unknown value it reads."""
    for name in _rule_names(type(model)):
        try:
            for problem in getattr(model, name)():
                yield name, problem
        except UnknownValue:
            continue


SKIP_RULES = {"skip_rules": True}
"""Validation context that checks fields only (partial.py runs the rules itself)."""


class SpecModel(BaseModel):
    """Base of every spec object: unknown fields are refused, types are not coerced, rules are collected."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)

    @model_validator(mode="after")
    def enforce_rules(self, info: ValidationInfo) -> SpecModel:
        """Run every @rule of the model and report all their problems together, not only the first."""
        if info.context is SKIP_RULES or not _rule_names(type(self)):
            return self
        problems = [
            InitErrorDetails(type=PydanticCustomError(name, "{message}", {"message": problem.message}), loc=problem.loc, input=None)
            for name, problem in broken_rules(self)
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


def unwrapped(annotation: Any) -> Any:
    """The type inside Annotated[...] and inside an optional type."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, types.UnionType):
            options = [option for option in get_args(annotation) if option is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def shortened(text: str, room: int = 60) -> str:
    """Text cut to fit in a message, saying how long it was."""
    return text if len(text) <= room else f"{text[:room]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class TextPattern:
    """A string checked against a regular expression, with a clear message and a JSON Schema pattern.

    Used as `Annotated[str, TextPattern(…)]`, so a type checker sees a plain str.
    """

    pattern: str
    rule_name: str
    explanation: str
    description: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        compiled = re.compile(self.pattern)

        def check(value: str) -> str:
            if not compiled.fullmatch(value):
                raise PydanticCustomError(self.rule_name, "'{value}' " + self.explanation, {"value": shortened(value)})
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, _schema: core_schema.CoreSchema, _handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern, "description": self.description}


def whole_floats_as_int(value: Any) -> Any:
    """Pulumi hands numbers to dynamic providers as floats (6.0); a whole one counts as the integer."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(whole_floats_as_int)]
"""An integer; 6.0 from Pulumi is accepted as 6, but 6.5, "6" and true are refused."""

KEY_PATTERN = r"^(?=.{1,63}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Key = Annotated[str, TextPattern(
    KEY_PATTERN,
    "key_well_formed",
    "is not a valid key: use up to 63 lowercase letters, digits and single hyphens, starting with a letter (like 'renal-clinic')",
    "Stable key (becomes the Pulumi resource name): up to 63 lowercase letters, digits and single hyphens.",
)]

_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")


def character_name(character: str) -> str:
    """'a vertical tab (U+000B)': how a problem names an unwanted character."""
    names = {"\0": "a NUL character", "\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\v": "a vertical tab",
             "\f": "a form feed", "\x1b": "an escape character", "\x7f": "a delete character"}
    other = "a control character" if unicodedata.category(character) == "Cc" else "a character YAML does not allow"
    return f"{names.get(character, other)} (U+{ord(character):04X})"


def name_has_no_control_characters(value: Any) -> Any:
    """A name is one line of visible text: control characters (NUL, tab, vertical tab, escape…) are refused."""
    if isinstance(value, str) and (found := _CONTROL_CHARACTER.search(value)):
        raise PydanticCustomError(
            "name_has_no_control_characters", "contains {character}, which a name cannot hold: remove it", {"character": character_name(found.group())}
        )
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    BeforeValidator(name_has_no_control_characters),
    Field(json_schema_extra={"pattern": r"^[^\u0000-\u001f\u007f-\u009f]*$"}),
]
"""A display name shown on the platform (1 to 120 characters, no control characters)."""


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
    raise PydanticCustomError("timezone_is_iana", "'{value}' is not an IANA timezone name{hint}", {"value": shortened(value), "hint": hint})


Timezone = Annotated[
    str,
    AfterValidator(timezone_is_iana),
    WithJsonSchema({"type": "string", "description": "IANA timezone name, e.g. 'Australia/Sydney'.", "examples": ["Australia/Sydney"]}),
]


_PLAIN_EMAIL = re.compile(r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9.-]+)")


@lru_cache(maxsize=1024)
def _normalised_domain(domain: str) -> str | None:
    """The normalised form of an email domain, or None when email_validator refuses it (checked once per domain)."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def email_is_valid(value: str) -> str:
    """Accept a deliverable-looking email address and return it in normalised form (no DNS lookups)."""
    plain = _PLAIN_EMAIL.fullmatch(value)
    if plain and len(plain.group(1)) <= 64 and len(value) <= 254 and (domain := _normalised_domain(plain.group(2))):
        return f"{plain.group(1)}@{domain}"  # what email_validator returns for a plain ASCII address, without its per-address cost
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise PydanticCustomError("email_is_valid", "'{value}' is not a valid email address: {reason}", {"value": shortened(value), "reason": str(error)}) from None


Email = Annotated[str, AfterValidator(email_is_valid), WithJsonSchema({"type": "string", "format": "email"})]

LABEL_KEY_PATTERN = r"^[a-z0-9./_-]{1,63}$"
LabelKey = Annotated[str, TextPattern(
    LABEL_KEY_PATTERN,
    "label_key_well_formed",
    "is not a valid label key: 1 to 63 characters from lowercase letters, digits, '.', '/', '_' and '-'",
    "Label key: 1 to 63 characters from [a-z0-9./_-].",
)]
LabelValue = Annotated[str, StringConstraints(max_length=255)]
Labels = Annotated[dict[LabelKey, LabelValue], Field(max_length=32, json_schema_extra={"propertyNames": {"pattern": LABEL_KEY_PATTERN}})]
"""Free-form labels copied onto the platform object (at most 32)."""


def duplicates(items: Iterable[T], value: Callable[[T], Any] = lambda item: item) -> Iterator[tuple[int, Any]]:
    """Yield (index, value) for every item whose value was already seen earlier; items whose value is unknown are passed over."""
    seen: set[Any] = set()
    for index, item in enumerate(items):
        try:
            found = value(item)
            if found in seen:
                yield index, found
            seen.add(found)
        except UnknownValue:
            continue


class KeyIndex(Generic[T]):
    """Items by key (the first of each key). Asking for a key that is absent while some item's key is unknown raises UnknownValue."""

    def __init__(self, items: Iterable[T], key: Callable[[T], str]) -> None:
        self.items: dict[str, T] = {}
        self.complete = True
        for item in items:
            try:
                self.items.setdefault(known(key(item)), item)
            except UnknownValue:
                self.complete = False

    def get(self, key: str) -> T | None:
        """The item with that key; None when there is none (known only when every key is known)."""
        if key in self.items:
            return self.items[key]
        if not self.complete:
            raise UnknownValue
        return None

    def hint(self, kind: str, wanted: str) -> str:
        """' (known clinics: a, b)'; with many keys only the nearest: ' (one of 4,129 clinics; nearest: c-12, c-120)'."""
        keys = list(self.items)
        if not keys:
            return f" (it has no {kind})"
        if len(keys) <= 8:
            return f" (known {kind}: {', '.join(keys)})"
        nearest = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6)
        return f" (one of {len(keys):,} {kind}; {'nearest: ' + ', '.join(nearest) if nearest else 'none is close'})"


class Named(SpecModel):
    """What organisations, clinics and rooms all have: a stable key, a display name and labels."""

    key: Key
    """Stable key: it names the Pulumi resource, so it never changes; unique among its kind (clinics, rooms) in the organisation, or among the organisations."""
    name: Name
    """Name shown on the platform; change it freely."""
    labels: Labels = {}
    """Free-form labels copied onto the platform object."""
