"""A clinic's waiting area: at most one per clinic, with a patient entry link that must stay stable."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pulumi

import schemas
from platform_client import PlatformClient
from platform_client.errors import Conflict, NotFound
from platform_client.models import PlatformObject
from platform_client.models import WaitingArea as PlatformWaitingArea
from resources.base import PlatformResource
from resources.shapes import without_defaults
from resources.clinic import Clinic
from resources.provider import PlatformProvider, ProviderRefusal, contains_unknown, last_version
from resources.settings import FORESEE_REFUSALS, is_true, resolve
from resources.validation import model_failures

SETTINGS = (
    "name", "enabled", "disabled_message", "opening_hours", "confirm_call_entry", "show_queue_position",
    "entry_fields", "automated_messages", "shared_for_transfers", "support_information", "call_locks", "joining",
    "connection_check", "new_caller_alerts",
)
NEW_SETTINGS = schemas.WaitingAreaSettings(name="-").model_dump(
    mode="json", include={"shared_for_transfers", "support_information", "call_locks", "joining", "connection_check",
                          "new_caller_alerts"})
"""Settings added after the first version, at their defaults: left out of the props, so older stacks read the same."""
ALLOWANCES = ("allow_entry_link_change", "allow_disable_with_callers")

# Refuses a second waiting area for one clinic among resources declared from Python, per program run: an
# Automation API inline program runs again in the same process, and each run starts with none declared.
_declared_by_run: weakref.WeakKeyDictionary[Any, schemas.WaitingAreaDeclarations] = weakref.WeakKeyDictionary()
_declared_outside_a_run = schemas.WaitingAreaDeclarations()


def platform_settings(settings: schemas.WaitingAreaSettings) -> dict[str, Any]:
    """The settings in the platform's shape: weekdays left out are closed (not sent as null)."""
    shaped = settings.model_dump(mode="json", include=set(SETTINGS))
    shaped["opening_hours"] = {day: hours.model_dump(mode="json") for day, hours in settings.opening_hours.days().items()}
    return without_unshared(shaped)


def without_unshared(values: dict[str, Any]) -> dict[str, Any]:
    """Newer settings only when not at their default: such a waiting area reads the same as one from before them."""
    return without_defaults(values, NEW_SETTINGS)


def declared_in_this_run() -> schemas.WaitingAreaDeclarations:
    """The waiting areas this program run has declared so far (keyed by the run's root stack resource)."""
    root = pulumi.runtime.get_root_resource()
    if root is None:
        return _declared_outside_a_run
    return _declared_by_run.setdefault(root, schemas.WaitingAreaDeclarations())


class WaitingAreaProvider(PlatformProvider):
    """Guards the patient entry link and callers who are waiting: both need an explicit allowance."""

    kind = "waiting area"
    input_fields = ("clinic_id", "key", *SETTINGS, "transfer_targets", "labels", *ALLOWANCES)
    parent_field = "clinic_id"
    replace_on = ("clinic_id",)
    local_fields = ("key", *ALLOWANCES)
    output_fields = ("entry_link", "organisation_id")

    def endpoint(self, client: PlatformClient) -> Any:
        return client.waiting_areas

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        return model_failures(schemas.WaitingArea, inputs, (*SETTINGS, "labels", *ALLOWANCES))

    def refusals(self, olds: dict[str, Any], news: dict[str, Any]) -> list[tuple[str, str]]:
        """Moving a waiting area to another clinic replaces it, and its patient entry link changes."""
        old_clinic = olds.get("clinic_id")
        new_clinic = news.get("clinic_id")
        moved = bool(old_clinic) and (contains_unknown(new_clinic) or new_clinic != old_clinic)
        if moved and not news.get("allow_entry_link_change"):
            return [(
                "clinic_id",
                f"the waiting area '{olds.get('key')}' would move to another clinic ('{news.get('key')}'): that "
                "replaces it and its patient entry link changes (links are printed on websites and in SMS "
                "templates); set `allow_entry_link_change: true` on the waiting area to do it anyway",
            )]
        return self.callers_would_be_turned_away(olds, news)

    def callers_would_be_turned_away(self, olds: dict[str, Any], news: dict[str, Any]) -> list[tuple[str, str]]:
        """A preview says now what `up` would refuse: disabling a waiting area while callers wait (read live)."""
        disabling = olds.get("enabled", True) is not False and news.get("enabled") is False
        clinic_id = olds.get("clinic_id")
        if not disabling or news.get("allow_disable_with_callers") or not clinic_id or contains_unknown(clinic_id):
            return []
        if not is_true(resolve(FORESEE_REFUSALS)):
            return []
        live = self.find_existing(self.client(news), {"clinic_id": clinic_id})
        if live is None or not live.waiting_count:
            return []
        return [("enabled", f"callers are waiting in the waiting area '{news.get('key')}' right now "
                            f"({live.waiting_count}), so disabling it would be refused; wait for the queue to empty, "
                            "or set `allow_disable_with_callers: true` on the waiting area to disable it anyway")]

    def own_candidates(
        self, client: PlatformClient, inputs: dict[str, Any], wanted: Mapping[str, str]
    ) -> Iterable[PlatformWaitingArea]:
        """The clinic's waiting area, if it has one."""
        found = self.find_existing(client, inputs)
        return [found] if found is not None else []

    def live_inputs(self, live: PlatformObject) -> dict[str, Any]:
        return without_unshared(super().live_inputs(live))

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformWaitingArea | None:
        try:
            return client.waiting_areas.get_for_clinic(inputs["clinic_id"])
        except NotFound:
            return None

    def update_object(
        self, client: PlatformClient, id_: str, changes: dict[str, Any], olds: dict[str, Any], news: dict[str, Any]
    ) -> PlatformWaitingArea:
        allowed = bool(news.get("allow_disable_with_callers"))
        try:
            return client.waiting_areas.update(id_, changes, if_match=last_version(olds), force=allowed)
        except Conflict as error:
            raise self._callers_waiting(error, "disable", news) from None

    def delete_object(self, client: PlatformClient, id_: str, inputs: dict[str, Any]) -> None:
        allowed = bool(inputs.get("allow_disable_with_callers"))
        try:
            client.waiting_areas.delete(id_, force=allowed)
        except Conflict as error:
            raise self._callers_waiting(error, "delete", inputs) from None

    def _callers_waiting(self, error: Conflict, action: str, inputs: dict[str, Any]) -> Exception:
        """A clear refusal for the callers_waiting rule; any other conflict as it came."""
        if error.code != "callers_waiting":
            return error
        return ProviderRefusal(
            f"callers are waiting in the waiting area '{inputs.get('key')}', so it was not {action}d; wait for the "
            f"queue to empty, or set `allow_disable_with_callers: true` on the waiting area to {action} it anyway"
        )


class WaitingArea(PlatformResource, module="videocall", name="WaitingArea"):
    """The waiting area of a clinic (at most one each); exports its patient entry link."""

    entry_link: pulumi.Output[str]
    """The link patients open to join the queue; clinics print it, so it must stay stable."""
    clinic_id: pulumi.Output[str]
    organisation_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        clinic: Clinic,
        settings: schemas.WaitingAreaSettings,
        transfer_targets: Sequence[Clinic] = (),
        labels: Mapping[str, str] | None = None,
        allow_entry_link_change: bool = False,
        allow_disable_with_callers: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare `clinic`'s waiting area; `settings` is checked by the spec's rules as it is built."""
        caller = inspect.currentframe()
        caller = caller.f_back if caller else None  # not inspect.stack(): it reads every frame's source (10 ms)
        declared_in_this_run().declare(clinic.organisation_spec_key, clinic.spec_key,
                                       f"{caller.f_code.co_filename}:{caller.f_lineno}" if caller else "")
        props = {
            "clinic_id": clinic.id,
            "key": clinic.spec_key,
            **platform_settings(settings),
            "transfer_targets": [target.id for target in transfer_targets],
            "allow_entry_link_change": allow_entry_link_change,
            "allow_disable_with_callers": allow_disable_with_callers,
        }
        super().__init__(WaitingAreaProvider(), resource_name, props, labels, opts)
