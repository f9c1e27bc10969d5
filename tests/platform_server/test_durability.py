"""Start-up, restarts and crashes: the database survives kill -9 in the middle of writes."""

import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

from devtools.platform import RunningPlatform
from tests.platform_server.api import call, problem, unique

StartPlatform = Callable[..., RunningPlatform]
DATABASE_FILE = "platform.sqlite3"


def _check_database_file(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def test_first_start_makes_an_operator_token_file(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory(preset_operator_token=False)
    token_file = platform.data_dir / "operator-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert platform.operator_token and platform.operator_token == token_file.read_text().strip()
    assert "operator-token" in platform.log() and "Authorization: Bearer" in platform.log()
    response = requests.get(f"{platform.url}/v1/organisations", headers=platform.operator_headers, timeout=10)
    assert response.status_code == 200
    platform.restart()
    assert token_file.read_text().strip() == platform.operator_token, "a restart keeps the token"
    assert requests.get(f"{platform.url}/v1/organisations", headers=platform.operator_headers,
                        timeout=10).status_code == 200
    platform.stop()
    assert platform.operator_token.encode() not in (platform.data_dir / DATABASE_FILE).read_bytes(), \
        "only the hash is stored"


def test_in_memory_platform_forgets_on_restart(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory("--memory")
    platform.create_organisation()
    assert not (platform.data_dir / DATABASE_FILE).exists()
    platform.restart()
    listed = requests.get(f"{platform.url}/v1/organisations", headers=platform.operator_headers, timeout=10)
    assert listed.json()["items"] == []


def test_kill_9_during_writes_leaves_the_database_intact(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory()
    tenant = platform.create_organisation()
    acknowledged: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write_stream(worker: int) -> None:
        while not stop.is_set():
            name, key = unique(f"clinic-{worker}"), unique("key")
            try:
                response = call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics",
                                json={"name": name, "labels": {"worker": str(worker)}},
                                headers={"Idempotency-Key": key})
                if response.status_code == 201:
                    clinic = response.json()
                    call(platform, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area",
                         json={"name": "W", "opening_hours": {"monday": {"open": "09:00", "close": "17:00"}}})
                    with lock:
                        acknowledged.append((clinic["id"], name, key))
            except requests.RequestException:
                return

    workers = [threading.Thread(target=write_stream, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    platform.kill()
    stop.set()
    for worker in workers:
        worker.join(timeout=15)
    assert len(acknowledged) >= 30, "the writers did not get going before the kill"

    _check_database_file(platform.data_dir / DATABASE_FILE)
    platform.start()
    listed: list[str] = []
    cursor = None
    while True:
        page = call(platform, tenant, "GET", f"/v1/organisations/{tenant.id}/clinics",
                    params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        listed += [clinic["id"] for clinic in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert {clinic_id for clinic_id, _, _ in acknowledged} <= set(listed), "every acknowledged write survived"
    clinic_id, name, key = acknowledged[0]
    replay = call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics",
                  json={"name": name, "labels": {"worker": name.split("-")[1]}}, headers={"Idempotency-Key": key})
    assert replay.status_code == 201 and replay.json()["id"] == clinic_id
    assert replay.headers["idempotent-replayed"] == "true"
    fresh = call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics", json={"name": unique("after")})
    assert fresh.status_code == 201


def test_a_key_left_in_flight_by_a_killed_server_can_be_retried(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory()
    tenant = platform.create_organisation()
    platform.set_faults(latency_ms=5000)
    path = f"/v1/organisations/{tenant.id}/clinics"
    body = {"name": unique("clinic")}
    key = {"Idempotency-Key": unique("key")}
    worker = threading.Thread(target=lambda: _swallow(lambda: call(platform, tenant, "POST", path, json=body, headers=key)))
    worker.start()
    time.sleep(0.7)
    problem(call(platform, tenant, "POST", path, json=body, headers=key), 409, "idempotency_key_in_flight")
    platform.kill()
    worker.join(timeout=10)
    platform.start()
    retried = call(platform, tenant, "POST", path, json=body, headers=key)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    assert [c["name"] for c in call(platform, tenant, "GET", path).json()["items"]] == [body["name"]]


def _swallow(request: Callable[[], object]) -> None:
    try:
        request()
    except requests.RequestException:
        pass


def test_public_base_url_starts_the_links_and_they_outlive_a_change_of_it(platform_server_factory: StartPlatform) -> None:
    platform = platform_server_factory("--public-base-url", "https://video.example.org/")
    tenant = platform.create_organisation()
    clinic = call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics", json={"name": unique("c")}).json()
    area = call(platform, tenant, "POST", f"/v1/clinics/{clinic['id']}/waiting-area", json={"name": "W"}).json()
    room = call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/group-rooms",
                json={"name": "G", "max_participants": 3}).json()
    assert area["entry_link"].startswith("https://video.example.org/join/")
    assert room["room_link"].startswith("https://video.example.org/room/")
    platform.stop()
    platform.args = ("--public-base-url", "https://elsewhere.example.org")
    platform.start()
    assert call(platform, tenant, "GET", f"/v1/waiting-areas/{area['id']}").json()["entry_link"] == area["entry_link"]
