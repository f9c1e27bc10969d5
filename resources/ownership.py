"""Ownership labels written on every object, so drift scans can tell ours, orphans and unmanaged apart."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

PROJECT_LABEL = "iac.videocall/project"
STACK_LABEL = "iac.videocall/stack"
RESOURCE_LABEL = "iac.videocall/resource"
OWNERSHIP_LABELS = (PROJECT_LABEL, STACK_LABEL, RESOURCE_LABEL)


def owned_labels(resource_name: str, labels: Mapping[str, str] | None) -> dict[str, str]:
    """The user's labels plus this program's project, stack and resource name."""
    return {
        **dict(labels or {}),
        PROJECT_LABEL: pulumi.get_project(),
        STACK_LABEL: pulumi.get_stack(),
        RESOURCE_LABEL: resource_name,
    }


def idempotency_scope(kind: str, labels: Mapping[str, str] | None, key: str) -> str:
    """The same scope on every run of the same stack, so a rerun after a crash gets the same object back."""
    labels = labels or {}
    owner = "/".join(labels.get(name, "") for name in OWNERSHIP_LABELS)
    return f"{kind}:{owner or key}"


def ownership_of(inputs: Mapping[str, object]) -> dict[str, str]:
    """The ownership labels among an object's declared inputs (empty when it has none)."""
    labels = inputs.get("labels")
    if not isinstance(labels, Mapping):
        return {}
    return {name: str(labels[name]) for name in OWNERSHIP_LABELS if labels.get(name)}
