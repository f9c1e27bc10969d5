"""A dynamic resource that calls no API: what Pulumi itself costs per resource, for benchmarks/batching.py."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from resources.provider import PROVIDER_KEY
from resources.provider_pickle import pickled_provider


class NullProvider(ResourceProvider):
    """Keeps whatever it is given; every call answers at once."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = any(olds.get(key) != value for key, value in news.items() if key != PROVIDER_KEY)
        return DiffResult(changes=changed)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"null-{props['key']}", props)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(news)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        pass


class NullObject(pulumi.dynamic.Resource, module="bench", name="NullObject"):
    """One resource holding `props` (as big as the objects it stands for)."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        props = {**props, "key": name, PROVIDER_KEY: pulumi.Output.secret(pickled_provider(NullProvider()))}
        pulumi.CustomResource.__init__(self, f"pulumi-python:{self._resource_type_name}", name, props, opts)
