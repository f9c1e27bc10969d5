"""Fault injection and rate limiting, each on a private server (faults are server-wide)."""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from devtools.platform import RunningPlatform, Tenant, running_platform
from tests.platform_server.api import call, created, make_clinic, problem, unique

StartPlatform = Callable[..., RunningPlatform]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """A private server whose faults the tests switch at run time (and switch off again)."""
    with running_platform(Path(tmp_path_factory.mktemp("faulty"))) as platform:
        yield platform


@pytest.fixture
def faulty_tenant(faulty: RunningPlatform) -> Iterator[Tenant]:
    """An organisation on the faulty server; faults are off again after the test."""
    faulty.set_faults()
    yield faulty.create_organisation()
    faulty.set_faults()


def test_faults_are_off_by_default(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    shown = requests.get(f"{faulty.url}/v1/dev/faults", headers=faulty.operator_headers, timeout=10).json()
    assert shown == {"error_rate": 0.0, "latency_ms": 0, "rate_limit_per_minute": None, "drop_rate": 0.0, "seed": None}


def test_error_rate_answers_500_or_503_before_doing_anything(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(error_rate=1.0, seed=3)
    names = [unique("clinic") for _ in range(12)]
    statuses = set()
    for name in names:
        response = call(faulty, faulty_tenant, "POST", f"/v1/organisations/{faulty_tenant.id}/clinics", json={"name": name})
        body = problem(response, response.status_code, "internal_error" if response.status_code == 500 else "unavailable")
        assert body["status"] in (500, 503)
        statuses.add(response.status_code)
    assert statuses == {500, 503}
    # The development endpoints and the OpenAPI document are never faulted.
    assert requests.get(f"{faulty.url}/v1/dev/faults", headers=faulty.operator_headers, timeout=10).status_code == 200
    assert requests.get(f"{faulty.url}/openapi.json", timeout=10).status_code == 200
    faulty.set_faults()
    listed = call(faulty, faulty_tenant, "GET", f"/v1/organisations/{faulty_tenant.id}/clinics").json()["items"]
    assert listed == [], "a faulted request must not have done anything"


def test_error_rate_is_a_share(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(error_rate=0.5, seed=11)
    statuses = [call(faulty, faulty_tenant, "GET", f"/v1/organisations/{faulty_tenant.id}").status_code
                for _ in range(60)]
    assert 10 <= statuses.count(200) <= 50, statuses
    assert set(statuses) <= {200, 500, 503}


def test_latency(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(latency_ms=400)
    started = time.monotonic()
    assert call(faulty, faulty_tenant, "GET", f"/v1/organisations/{faulty_tenant.id}").status_code == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    clinic = make_clinic(faulty, faulty_tenant)
    assert time.monotonic() - started >= 0.4
    area = created(call(faulty, faulty_tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area", json={"name": "W"}))
    started = time.monotonic()
    joined = call(faulty, faulty.operator_token, "POST", f"/v1/dev/waiting-areas/{area['id']}/callers", json={"join": 1})
    assert joined.status_code == 200 and time.monotonic() - started < 0.4, "development endpoints are never faulted"
    faulty.set_faults()
    started = time.monotonic()
    call(faulty, faulty_tenant, "GET", f"/v1/organisations/{faulty_tenant.id}")
    assert time.monotonic() - started < 0.4


def test_commit_then_drop_the_response(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(drop_rate=1.0)
    path = f"/v1/organisations/{faulty_tenant.id}/clinics"
    name = unique("clinic")
    key = {"Idempotency-Key": unique("key")}
    with pytest.raises(requests.ConnectionError):
        call(faulty, faulty_tenant, "POST", path, json={"name": name}, headers=key)
    # Reads are not writes: they are answered.
    listed = call(faulty, faulty_tenant, "GET", path)
    assert listed.status_code == 200
    assert [clinic["name"] for clinic in listed.json()["items"]] == [name], "the write must have committed"
    faulty.set_faults()
    retried = call(faulty, faulty_tenant, "POST", path, json={"name": name}, headers=key)
    assert retried.status_code == 201 and retried.headers["idempotent-replayed"] == "true"
    assert retried.json()["id"] == listed.json()["items"][0]["id"]


def test_drop_rate_is_a_share_of_writes(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(drop_rate=0.5, seed=5)
    outcomes = []
    for _ in range(30):
        try:
            outcomes.append(call(faulty, faulty_tenant, "POST", f"/v1/organisations/{faulty_tenant.id}/group-rooms",
                                 json={"name": "G", "max_participants": 3}).status_code)
        except requests.ConnectionError:
            outcomes.append(0)
    assert 5 <= outcomes.count(0) <= 25 and set(outcomes) == {0, 201}, outcomes
    faulty.set_faults()
    rooms = call(faulty, faulty_tenant, "GET", f"/v1/organisations/{faulty_tenant.id}/group-rooms",
                 params={"limit": 200}).json()["items"]
    assert len(rooms) == 30, "dropped writes are committed all the same"


def test_idempotency_key_in_flight(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    faulty.set_faults(latency_ms=1500)
    path = f"/v1/organisations/{faulty_tenant.id}/clinics"
    body = {"name": unique("clinic")}
    key = {"Idempotency-Key": unique("key")}
    first: list[requests.Response] = []
    worker = threading.Thread(target=lambda: first.append(call(faulty, faulty_tenant, "POST", path, json=body, headers=key)))
    worker.start()
    time.sleep(0.5)
    problem(call(faulty, faulty_tenant, "POST", path, json=body, headers=key), 409, "idempotency_key_in_flight")
    worker.join(timeout=10)
    assert first and first[0].status_code == 201
    faulty.set_faults()
    replay = call(faulty, faulty_tenant, "POST", path, json=body, headers=key)
    assert replay.status_code == 201 and replay.json() == first[0].json()


def test_fault_rate_limit_per_token(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    other = faulty.create_organisation()
    faulty.set_faults(rate_limit_per_minute=5)
    path = f"/v1/organisations/{faulty_tenant.id}"
    statuses = [call(faulty, faulty_tenant, "GET", path).status_code for _ in range(5)]
    assert statuses == [200] * 5
    limited = call(faulty, faulty_tenant, "GET", path)
    problem(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    assert call(faulty, other, "GET", f"/v1/organisations/{other.id}").status_code == 200, "buckets are per token"
    assert requests.get(f"{faulty.url}/v1/dev/faults", headers=faulty.operator_headers, timeout=10).status_code == 200


def test_faults_from_start_flags(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory("--fault-error-rate", "1", "--fault-latency-ms", "5", "--fault-seed", "9")
    shown = requests.get(f"{platform.url}/v1/dev/faults", headers=platform.operator_headers, timeout=10).json()
    assert shown == {"error_rate": 1.0, "latency_ms": 5, "rate_limit_per_minute": None, "drop_rate": 0.0, "seed": 9}
    response = requests.get(f"{platform.url}/v1/organisations", headers=platform.operator_headers, timeout=10)
    assert response.status_code in (500, 503)


def test_faults_from_the_environment(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory(env={"VIDEOCALL_SERVER_FAULT_DROP_RATE": "1",
                                            "VIDEOCALL_SERVER_FAULT_RATE_LIMIT_PER_MINUTE": "7"})
    shown = requests.get(f"{platform.url}/v1/dev/faults", headers=platform.operator_headers, timeout=10).json()
    assert shown["drop_rate"] == 1.0 and shown["rate_limit_per_minute"] == 7
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{platform.url}/v1/organisations", json={"name": "dropped"},
                      headers=platform.operator_headers, timeout=10)


def test_the_normal_rate_limit_is_configurable(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory("--rate-limit-per-minute", "3")
    statuses = [requests.get(f"{platform.url}/v1/organisations", headers=platform.operator_headers,
                             timeout=10).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_unknown_fault_settings_are_refused(faulty: RunningPlatform) -> None:
    for body in ({"error_rate": 2}, {"latency_ms": -1}, {"flood": True}):
        response = requests.put(f"{faulty.url}/v1/dev/faults", json=body, headers=faulty.operator_headers, timeout=10)
        problem(response, 422, "validation_failed")


def test_dev_endpoints_are_for_the_operator(faulty: RunningPlatform, faulty_tenant: Tenant) -> None:
    problem(call(faulty, faulty_tenant, "PUT", "/v1/dev/faults", json={"error_rate": 1}), 403, "forbidden")
    created(call(faulty, faulty_tenant, "POST", f"/v1/organisations/{faulty_tenant.id}/group-rooms",
                 json={"name": "still fine", "max_participants": 2}))
