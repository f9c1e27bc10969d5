"""The platform read in bulk for a stack: the organisations it owns or knows, and their objects by ownership label."""

from __future__ import annotations

from collections.abc import Iterable

from platform_client import PlatformClient
from platform_client.models import PlatformObject
from resources.ownership import PROJECT_LABEL, RESOURCE_LABEL, STACK_LABEL


def stack_organisations(client: PlatformClient, project: str, stack: str, known: Iterable[str] = ()) -> list[str]:
    """Ids of the organisations in the state (`known`) and those carrying the stack's labels (one filtered listing)."""
    labelled = [org.id for org in client.organisations.list(labels={PROJECT_LABEL: project, STACK_LABEL: stack})]
    return list(dict.fromkeys([*known, *labelled]))


def stack_objects(client: PlatformClient, project: str, stack: str) -> dict[tuple[str, str], PlatformObject]:
    """Every object carrying the stack's labels, by (kind, Pulumi resource name); one request per organisation."""
    found: dict[tuple[str, str], PlatformObject] = {}
    for org_id in stack_organisations(client, project, stack):
        for obj in client.organisations.tree(org_id).objects():
            if (obj.labels.get(PROJECT_LABEL), obj.labels.get(STACK_LABEL)) == (project, stack):
                found[(object_kind(obj), obj.labels.get(RESOURCE_LABEL, obj.id))] = obj
    return found


def object_kind(obj: PlatformObject) -> str:
    """The resource kind of a platform object, as in resource types (Clinic, WaitingArea, …)."""
    kind = type(obj).__name__
    return "Clinic" if kind == "ClinicWithWaitingArea" else kind
