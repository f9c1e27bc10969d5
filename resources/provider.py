"""The one provider every platform object shares: check, diff, create, read, update, delete.

Each kind of object (clinic, waiting area, …) subclasses `PlatformProvider` and says only what is
particular to it: its input fields, which of them force a replacement, how to validate them with the
schemas, and how to create it and read it back. Every method is implemented here on purpose: Pulumi's
defaults wipe outputs on update, diff the pickled provider, and never see drift on refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pydantic import ValidationError

from platform_client import PlatformClient
from platform_client.errors import Conflict, NotFound, PreconditionFailed
from platform_client.models import PlatformObject
from resources.connection import adopting_existing, platform_client
from resources.errors import ProviderRefusal, StaleObject
from resources.live_tree import live_object, organisation_objects, organisation_of
from resources.ownership import OWNERSHIP_LABELS, PROJECT_LABEL, STACK_LABEL, idempotency_scope, ownership_of

log = logging.getLogger("resources")

# Pulumi's placeholder for a value not known until an earlier resource is created (preview only).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PROVIDER_KEY = "__provider"

_made_by_this_run: set[str] = set()
"""Ids this provider process created: their children cannot exist from an earlier run."""


class PlatformProvider(ResourceProvider):
    """Translates one kind of platform object between Pulumi and the platform client."""

    kind: ClassVar[str]
    """The object's name in the platform's words, for messages (e.g. "waiting area")."""
    input_fields: ClassVar[tuple[str, ...]]
    """Every input property; diff compares exactly these."""
    replace_on: ClassVar[tuple[str, ...]] = ()
    """Inputs the platform cannot change in place (a parent, an email): changing one replaces the object."""
    output_fields: ClassVar[tuple[str, ...]] = ()
    """Platform-made fields kept in the outputs besides `version` (links, invitation state)."""
    local_fields: ClassVar[tuple[str, ...]] = ("key",)
    """Inputs that exist only in the spec (never sent to the platform); read copies them from state."""
    delete_before_replace: ClassVar[bool] = True
    """Natural keys (unique names, one per clinic) mean the old object must go before its replacement."""
    parent_field: ClassVar[str | None] = None
    """The input naming the object the platform creates this one in (e.g. a clinic's organisation_id)."""

    def __init__(self) -> None:
        super().__init__()
        self._config: Any = None

    # Pulumi calls ------------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack config; the client (and the token) is made on first use, in this process."""
        self._config = req.config

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the declared inputs with the schemas; failures name the property."""
        inputs = {key: value for key, value in news.items() if key != PROVIDER_KEY}
        failures = [CheckFailure(prop, reason) for prop, reason in self.validate(known(inputs))]
        failures += [CheckFailure(prop, reason) for prop, reason in self.refusals(_olds, inputs)]
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare declared inputs with the last known state; `__provider` and outputs never count."""
        changed = [name for name in self.input_fields if differs(olds.get(name), news.get(name))]
        replaces = [name for name in changed if name in self.replace_on]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=[name for name in self.replace_on if name not in replaces],
            delete_before_replace=self.delete_before_replace if replaces else None,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the object once, whatever the retries, reruns and tokens (or adopt a twin); return complete outputs."""
        client, inputs = self.client(props), inputs_of(props)
        own = self.find_own(client, inputs)
        if own is not None:
            log.warning("found the %s '%s' (%s) made by an earlier, interrupted run of this stack: taking it back",
                        self.kind, inputs.get("key"), own.id)
            adopted = self.adopt(client, own, inputs)
            return CreateResult(adopted.id, self.outputs(props, adopted))
        if adopting_existing(self._config):
            existing = self.find_existing(client, inputs)
            if existing is not None:
                adopted = self.adopt(client, existing, inputs)
                return CreateResult(adopted.id, self.outputs(props, adopted))
        try:
            created = self.create_object(client, inputs)
        except Conflict as error:
            if not (error.code or "").endswith("_name_taken"):
                raise
            raise self.name_taken(client, inputs) from None
        _made_by_this_run.add(created.id)
        return CreateResult(created.id, self.outputs(props, created))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Live outputs and live inputs, so refresh shows real drift; an empty id when it is gone."""
        client = self.client(props)
        live = live_object(client, organisation_of(props, id_), id_)
        if live is None:
            try:
                live = self.endpoint(client).get(id_)
            except NotFound:
                return ReadResult("", {})
        inputs = {**{name: props.get(name) for name in self.local_fields if name in props}, **self.live_inputs(live)}
        return ReadResult(id_, self.outputs(inputs, live), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Send only what changed, guarded by the version we last saw; return complete outputs."""
        changed = {name: news.get(name) for name in self.input_fields if differs(olds.get(name), news.get(name))}
        platform_changes = self.changes(changed, inputs_of(news))
        client = self.client(news)
        try:
            if not platform_changes:
                return UpdateResult(self.outputs(news, self.endpoint(client).get(id_)))
            try:
                updated = self.update_object(client, id_, platform_changes, olds, inputs_of(news))
            except PreconditionFailed:
                # The platform moves versions on by itself too (a person accepting their invitation): only a
                # change to what we manage is a conflict; otherwise patch again on top of the live version.
                live = self.endpoint(client).get(id_)
                if self.managed_fields_changed(olds, live):
                    raise
                updated = self.update_object(client, id_, platform_changes, {**olds, "version": live.version},
                                             inputs_of(news))
        except PreconditionFailed as error:
            raise StaleObject(
                f"the {self.kind} {id_} changed on the platform since Pulumi last read it "
                f"(request {error.request_id}); run `pulumi refresh` (or `pulumi up --refresh`) "
                "to see the change, then apply again"
            ) from None
        return UpdateResult(self.outputs(news, updated))

    def managed_fields_changed(self, olds: dict[str, Any], live: PlatformObject) -> bool:
        """Whether someone changed, on the platform, an input we manage since Pulumi last read the object."""
        now = self.live_inputs(live)
        return any(differs(olds.get(name), now.get(name)) for name in self.input_fields
                   if name not in self.local_fields and name in now)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the object; one already gone is fine."""
        try:
            self.delete_object(self.client(props), id_, inputs_of(props))
        except NotFound:
            log.info("%s %s was already gone", self.kind, id_)

    # What each kind says about itself ---------------------------------------------------------

    def endpoint(self, client: PlatformClient) -> Any:
        """The client's calls for this kind of object (each kind's `create` takes its own parent)."""
        raise NotImplementedError

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        """(property, reason) for every input that breaks a platform rule (schemas do the checking)."""
        return []

    def refusals(self, olds: dict[str, Any], news: dict[str, Any]) -> list[tuple[str, str]]:
        """(property, reason) for changes this kind refuses without an explicit allowance."""
        return []

    def create_object(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject:
        """Create the object in its parent on the platform, with one idempotency key for every retry."""
        assert self.parent_field is not None, f"{type(self).__name__} must set parent_field or create_object"
        return self.endpoint(client).create(
            inputs[self.parent_field], self.to_platform(inputs), idempotency_scope=self.idempotency_scope(inputs)
        )

    def idempotency_scope(self, inputs: dict[str, Any]) -> str:
        """The same scope on every run of the same stack, so a rerun after a crash gets the same object back."""
        return idempotency_scope(self.kind, inputs.get("labels"), inputs["key"])

    def to_platform(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs in the platform's field names, without spec-only fields and parents."""
        skip = {*self.local_fields, *self.replace_on}
        return {name: value for name, value in inputs.items() if name in self.input_fields and name not in skip}

    def changes(self, changed: dict[str, Any], _inputs: dict[str, Any]) -> dict[str, Any]:
        """The merge patch for changed inputs (spec-only fields dropped)."""
        return self.to_platform(changed)

    def update_object(
        self, client: PlatformClient, id_: str, changes: dict[str, Any], olds: dict[str, Any], _news: dict[str, Any]
    ) -> PlatformObject:
        """Patch the object, If-Match the version we last saw."""
        return self.endpoint(client).update(id_, changes, if_match=last_version(olds))

    def delete_object(self, client: PlatformClient, id_: str, _inputs: dict[str, Any]) -> None:
        """Delete the object on the platform."""
        self.endpoint(client).delete(id_)

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject | None:
        """The object already on the platform that this declaration would collide with (its natural key)."""
        return None

    def name_taken(self, client: PlatformClient, inputs: dict[str, Any]) -> ProviderRefusal:
        """Why a unique name cannot be had: which object holds it and which stack manages that object."""
        holder = self.find_existing(client, inputs)
        owner = ownership_of({"labels": holder.labels}) if holder is not None else {}
        held_by = (f"stack {owner[STACK_LABEL]} of project {owner[PROJECT_LABEL]}" if owner.get(STACK_LABEL)
                   else "no stack (it was made by hand: adopt it with videocall:adoptExisting, or rename yours)")
        return ProviderRefusal(
            f"the {self.kind} name '{inputs.get('name')}' is already taken on the platform by "
            f"{holder.id if holder is not None else 'another object'}, managed by {held_by}"
        )

    def find_own(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject | None:
        """This very object, made by an earlier run of this stack that died before recording it (by its labels).

        Idempotency keys are kept per token, so a rerun with another operator's token would create a twin:
        the ownership labels (project, stack, resource name) find it whoever made it. A parent made by this
        run has no such children, so that common case costs no request.
        """
        parents = [inputs.get(name) for name in ("organisation_id", "clinic_id")]
        if any(parent in _made_by_this_run for parent in parents if parent):
            return None
        wanted = ownership_of(inputs)
        if len(wanted) < len(OWNERSHIP_LABELS):
            return None
        model = self.endpoint(client).model
        return next((obj for obj in self.own_candidates(client, inputs, wanted)
                     if isinstance(obj, model) and all(obj.labels.get(k) == v for k, v in wanted.items())), None)

    def own_candidates(
        self, client: PlatformClient, inputs: dict[str, Any], wanted: Mapping[str, str]
    ) -> Iterable[PlatformObject]:
        """Objects that may be this one: every object of its organisation (one bulk read, shared by the run)."""
        organisation_id = inputs.get("organisation_id")
        return organisation_objects(client, organisation_id).values() if organisation_id else ()

    def adopt(self, client: PlatformClient, existing: PlatformObject, inputs: dict[str, Any]) -> PlatformObject:
        """Bring an object made by hand under management: declared settings and ownership labels, same id."""
        owner = tuple(existing.labels.get(name) for name in (PROJECT_LABEL, STACK_LABEL))
        ours = tuple((inputs.get("labels") or {}).get(name) for name in (PROJECT_LABEL, STACK_LABEL))
        if any(owner) and owner != ours:
            raise ProviderRefusal(
                f"the {self.kind} {existing.id} already belongs to stack {owner[1]} of project {owner[0]}; "
                "it is not adopted twice"
            )
        log.info("adopting %s %s", self.kind, existing.id)
        changes = self.changes({name: inputs.get(name) for name in self.input_fields if name in inputs}, inputs)
        return self.update_object(client, existing.id, changes, {"version": existing.version}, inputs)

    def live_inputs(self, live: PlatformObject) -> dict[str, Any]:
        """The object's inputs as the platform has them now (in input field names)."""
        data = live.model_dump(mode="json")
        return {name: data[name] for name in self.input_fields if name in data}

    # Shared plumbing ---------------------------------------------------------------------------

    def client(self, props: Mapping[str, Any]) -> PlatformClient:
        """The platform client for this provider process, for the stack that owns these props."""
        return platform_client(self._config, stack=ownership_of(props).get(STACK_LABEL))

    def outputs(self, inputs: Mapping[str, Any], obj: PlatformObject) -> dict[str, Any]:
        """Declared inputs plus what the platform made; never queue counts (not even those persist)."""
        data = obj.model_dump(mode="json")
        made = {name: data[name] for name in ("version", "created_at", "updated_at", *self.output_fields) if name in data}
        return {**inputs_of(inputs), **made}


def last_version(olds: Mapping[str, Any]) -> int | None:
    """The version Pulumi last saw; the engine hands numbers to providers as floats."""
    version = olds.get("version")
    return int(version) if version is not None else None


def inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the pickled provider."""
    return {key: value for key, value in props.items() if key != PROVIDER_KEY}


def known(inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs whose value is known now (preview leaves outputs of new resources unknown)."""
    return {key: value for key, value in inputs.items() if not contains_unknown(value)}


def contains_unknown(value: Any) -> bool:
    """Whether a value is, or contains, Pulumi's unknown placeholder."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(item) for item in value)
    return False


def differs(old: Any, new: Any) -> bool:
    """Whether a declared value differs from the stored one (an unknown new value counts as a change)."""
    if contains_unknown(new):
        return True
    return normalise(old) != normalise(new)


def normalise(value: Any) -> Any:
    """Treat a missing value, an empty map and an empty list alike, as the platform does."""
    if value in (None, {}, []):
        return None
    return value


def pydantic_failures(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[tuple[str, str]]:
    """(property path, message) for each pydantic error, e.g. ("opening_hours.monday.close", "…")."""
    failures = []
    for item in error.errors():
        loc = [*prefix, *item["loc"]]
        path = ".".join(str(part) for part in loc) or "(inputs)"
        failures.append((path, item["msg"]))
    return failures
