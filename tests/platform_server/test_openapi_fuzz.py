"""A bounded property-based run of schemathesis against /openapi.json: no 500s, nothing off-schema."""

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

import requests

from devtools.platform import RunningPlatform, running_platform
from platform_server.app import create_app, open_database
from platform_server.settings import ServerSettings
from tests.platform_server.api import call, created, make_clinic, make_member, make_waiting_area

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningPlatform, dict[str, str]]]:
    """A private server (fuzzing deletes things) with one object of each kind to aim path parameters at."""
    with running_platform(Path(tmp_path_factory.mktemp("fuzzed"))) as platform:
        tenant = platform.create_organisation()
        clinic = make_clinic(platform, tenant)
        area = make_waiting_area(platform, tenant, clinic["id"])
        member = make_member(platform, tenant, permissions={"user_room": True})
        room = created(call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                            json={"name": "G", "max_participants": 5}))
        ids = {"org_id": tenant.id, "clinic_id": clinic["id"], "wa_id": area["id"], "mbr_id": member["id"],
               "room_id": room["id"]}
        yield platform, ids


def _openapi_document() -> dict[str, Any]:
    """The document the server serves, built in-process so that tests can be generated at collection."""
    settings = ServerSettings(in_memory=True)
    return create_app(settings, open_database(settings)).openapi()


DOCUMENT = _openapi_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_served_document_is_the_one_fuzzed(fuzzed_platform: tuple[RunningPlatform, dict[str, str]]) -> None:
    platform, _ = fuzzed_platform
    served = requests.get(f"{platform.url}/openapi.json", timeout=10)
    assert served.status_code == 200
    assert served.json() == DOCUMENT


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case: Any, fuzzed_platform: tuple[RunningPlatform, dict[str, str]]) -> None:
    platform, ids = fuzzed_platform
    # Half the time aim at real objects, so that more than the 404 paths are explored.
    if case.path_parameters and zlib.crc32(repr(case.body).encode()) % 2 == 0:
        case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(base_url=platform.url, headers={"Authorization": f"Bearer {platform.operator_token}"},
                           checks=CHECKS, timeout=10)
