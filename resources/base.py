"""The Pulumi resource class every platform object shares: ownership labels and one provider each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from resources.ownership import owned_labels
from resources.provider import PROVIDER_KEY, PlatformProvider
from resources.provider_pickle import pickled_provider


class PlatformResource(Resource):
    """A platform object managed by Pulumi; subclasses give the provider and typed arguments."""

    version: pulumi.Output[int]
    labels: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        provider: PlatformProvider,
        name: str,
        props: dict[str, Any],
        labels: Mapping[str, str] | None,
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        outputs = {"version": None, "created_at": None, "updated_at": None}
        outputs.update({field: None for field in provider.output_fields})
        pickled = pulumi.Output.secret(pickled_provider(provider))
        props = {**props, "labels": owned_labels(name, labels), **outputs, PROVIDER_KEY: pickled}
        # What `Resource.__init__` does, minus its provider serializer that leaks (resources/provider_pickle.py).
        pulumi.CustomResource.__init__(self, f"pulumi-python:{self._resource_type_name}", name, props, opts)
