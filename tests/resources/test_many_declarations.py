"""Thousands of resources declared in one program, past pulumi 3.272's serializer leak (docs/upstream-serialize-provider.md)."""

from __future__ import annotations

import base64
import pickle
from pathlib import Path

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from benchmarks.generated_spec import health_service
from resources.clinic import ClinicProvider
from resources.provider_pickle import PATCHED, pickled_provider, pickler_restored
from resources.waiting_area import WaitingAreaProvider
from tests.support.spec_stack import spec_stack

OBJECTS = 3_000


def pickler_attributes() -> dict[str, object]:
    """What `serialize_provider` patches on the pure-Python pickler, as it is now."""
    return {name: vars(pickle._Pickler)[name] for name in PATCHED}  # type: ignore[attr-defined]


def test_pickling_providers_leaves_the_pickler_as_it_was() -> None:
    before = pickler_attributes()
    pickles = {pickled_provider(kind()) for _ in range(OBJECTS) for kind in (ClinicProvider, WaitingAreaProvider)}
    with pickler_restored():
        serialize_provider(ClinicProvider())  # the upstream serializer itself, restored after the block
    assert pickler_attributes() == before
    assert len(pickles) == 2
    assert all(type(dill.loads(base64.b64decode(text))).__module__.startswith("resources.") for text in pickles)


@pytest.mark.engine
@pytest.mark.slow
def test_three_thousand_declared_resources_preview_without_error(tmp_path: Path) -> None:
    with spec_stack(tmp_path, "many", health_service(OBJECTS)) as (stack, _platform, proxy):
        preview = stack.preview(color="never")
    assert preview.change_summary.get("create") == OBJECTS + 1  # and the stack itself
    assert proxy.total == 0, proxy.by_route  # a preview of new objects asks the platform nothing
