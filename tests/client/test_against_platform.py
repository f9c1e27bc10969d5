"""The client against the real reference server over HTTP, with the server's own faults switched on."""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from devtools.platform import RunningPlatform
from platform_client import (
    Conflict,
    NotFound,
    PlatformClient,
    PlatformError,
    PreconditionFailed,
    RateLimited,
    ResponseLost,
    RetryPolicy,
    ValidationFailed,
)
from tests.client.conftest import FAST

pytestmark = pytest.mark.slow

ClientOf = Callable[..., PlatformClient]
Faults = Callable[..., None]
PARALLELISM = 8


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def attempt_lines(caplog: pytest.LogCaptureFixture, path_part: str) -> list[str]:
    """The client's one-line-per-attempt debug records for requests whose path contains `path_part`."""
    return [
        r.getMessage() for r in caplog.records
        if r.name == "platform_client" and r.levelno == logging.DEBUG and " -> " in r.getMessage() and path_part in r.getMessage()
    ]


def test_100_creates_under_errors_and_dropped_answers_make_exactly_100(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="platform_client")
    client = client_of(faulty_platform, retry=FAST)
    organisation = client.organisations.create({"name": unique("faulty")})
    faults(error_rate=0.3, drop_rate=0.3, seed=5)

    def create(n: int) -> tuple[str, float]:
        started = time.monotonic()
        clinic = client.clinics.create(
            organisation.id, {"name": f"{organisation.name} clinic {n:03}", "labels": {"n": str(n)}},
            idempotency_scope=f"urn:pulumi:test::client::videocall:Clinic::clinic-{n}",
        )
        return clinic.id, time.monotonic() - started

    with ThreadPoolExecutor(PARALLELISM) as pool:
        results = list(pool.map(create, range(100)))
    faults()

    ids = [clinic_id for clinic_id, _ in results]
    assert len(set(ids)) == 100
    assert max(elapsed for _, elapsed in results) <= FAST.deadline
    live = list(client.clinics.list(organisation.id))
    assert sorted(c.id for c in live) == sorted(ids)
    assert sorted(c.labels["n"] for c in live) == sorted(str(n) for n in range(100))
    # The faults really happened: answers were lost and failed, and were retried.
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying POST")]
    assert any("ResponseLost" in line for line in retries) and any("ServerError" in line for line in retries)


def test_a_rerun_after_a_crash_gets_the_same_object_and_a_recreate_a_new_one(
    platform_server: RunningPlatform, client_of: ClientOf
) -> None:
    client = client_of(platform_server)
    scope = f"urn:pulumi:test::client::videocall:Organisation::{uuid.uuid4().hex}"
    new = {"name": unique("rerun")}
    first = client.organisations.create(new, idempotency_scope=scope)
    assert client.organisations.create(new, idempotency_scope=scope).id == first.id
    client.organisations.delete(first.id)
    again = client.organisations.create(new, idempotency_scope=scope)
    assert again.id != first.id and client.organisations.get(again.id).name == new["name"]


def test_a_429_storm_is_ridden_out_honouring_retry_after(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="platform_client")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    tenant = faulty_platform.create_organisation()
    client = client_of(faulty_platform, tenant.token, retry=RetryPolicy(deadline=10.0), sleep=sleep)
    faults(rate_limit_per_minute=60)  # a burst of 60, then one a second
    for _ in range(65):
        assert client.organisations.get(tenant.id).id == tenant.id
    limited = [r.getMessage() for r in caplog.records if "after RateLimited 429" in r.getMessage()]
    assert len(limited) >= 4 and len(waits) == len(limited)
    assert all("Retry-After 1s" in line for line in limited)
    assert all(wait >= 1.0 for wait in waits)


def test_rate_limiting_beyond_the_deadline_surfaces_as_rate_limited(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults
) -> None:
    tenant = faulty_platform.create_organisation()
    client = client_of(faulty_platform, tenant.token, retry=RetryPolicy(deadline=1.0))
    faults(rate_limit_per_minute=2)  # a burst of 2, then one every 30 s
    client.organisations.get(tenant.id)
    client.organisations.get(tenant.id)
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        client.organisations.get(tenant.id)
    assert caught.value.retry_after and caught.value.retry_after > 1 and time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("create", "kind", "code"),
    [
        (lambda c, org: c.meeting_rooms.create({"name": "Huge", "max_participants": 9}, organisation_id=org), ValidationFailed, "participant_limit_exceeded"),
        (lambda c, org: c.clinics.create(org, {"name": "Renal", "timezone": "Mars/Olympus"}), ValidationFailed, "invalid_timezone"),
        (lambda c, org: c.clinics.create("org_" + "0" * 28, {"name": unique("nowhere")}), NotFound, "not_found"),
    ],
    ids=["participant-limit", "timezone", "unknown-organisation"],
)
def test_a_permanent_4xx_fails_at_once_with_a_clear_message(
    platform_server: RunningPlatform, client_of: ClientOf, caplog: pytest.LogCaptureFixture,
    create: Callable[[PlatformClient, str], object], kind: type[PlatformError], code: str,
) -> None:
    tenant = platform_server.create_organisation()
    client = client_of(platform_server, tenant.token)
    caplog.set_level(logging.DEBUG, logger="platform_client")
    with pytest.raises(kind) as caught:
        create(client, tenant.id)
    error = caught.value
    assert error.code == code and error.attempts == 1 and not error.retry_safe  # type: ignore[attr-defined]
    assert len(attempt_lines(caplog, "POST ")) == 1
    assert str(error).startswith(f"{error.status} {code}: ") and "request_id=" in str(error)  # type: ignore[attr-defined]


def test_a_broken_rule_is_a_conflict_naming_it(platform_server: RunningPlatform, client_of: ClientOf) -> None:
    tenant = platform_server.create_organisation()
    client = client_of(platform_server, tenant.token)
    clinic = client.clinics.create(tenant.id, {"name": unique("renal")})
    client.waiting_areas.create(clinic.id, {"name": "Front desk"})
    with pytest.raises(Conflict) as caught:
        client.waiting_areas.create(clinic.id, {"name": "Second"})
    assert caught.value.rule == "waiting_area_exists" and caught.value.attempts == 1
    with pytest.raises(Conflict) as taken:
        client.clinics.create(tenant.id, {"name": clinic.name})
    assert taken.value.rule == "clinic_name_taken"


def create_and_label(client: PlatformClient, organisation_id: str, n: int) -> PlatformError | None:
    """Create and relabel a clinic; the error if that failed (caught here, so no test locals are in its traceback)."""
    try:
        clinic = client.clinics.create(organisation_id, {"name": unique(f"logged-{n}")})
        client.clinics.update(clinic.id, {"labels": {"n": str(n)}}, if_match=clinic.version)
    except PlatformError as error:
        return error
    return None


def test_a_faulty_run_logs_no_token(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # everything: platform_client, urllib3, the rest
    tenant = faulty_platform.create_organisation()
    client = client_of(faulty_platform, tenant.token, retry=RetryPolicy(max_attempts=3, deadline=5.0, base_delay=0.01, max_retry_after=0.05))
    faults(error_rate=0.5, drop_rate=0.5, seed=11)
    errors = [error for n in range(15) if (error := create_and_label(client, tenant.id, n))]
    faults()
    errors.append(create_and_label(client_of(faulty_platform, tenant.token + "x"), tenant.id, 0))

    assert any(r.name.startswith("urllib3") for r in caplog.records)
    assert any(r.getMessage().startswith("retrying") for r in caplog.records)
    rendered = [
        "".join(traceback.TracebackException.from_exception(e, capture_locals=True).format()) + repr(e) for e in errors
    ]
    assert len(errors) > 1 and errors[-1] is not None and errors[-1].status == 401  # type: ignore[union-attr]
    for secret in (tenant.token, faulty_platform.operator_token):
        assert secret not in caplog.text
        assert not any(secret in text for text in rendered)


def test_iterators_and_the_tree_return_everything(platform_server: RunningPlatform, client_of: ClientOf) -> None:
    tenant = platform_server.create_organisation()
    client = client_of(platform_server, tenant.token)
    clinics = [client.clinics.create(tenant.id, {"name": unique(f"paged-{n}"), "labels": {"odd": str(n % 2)}}) for n in range(23)]
    areas = [client.waiting_areas.create(c.id, {"name": "Front desk"}) for c in clinics[:5]]
    members = [client.members.create(tenant.id, {"email": f"p{n}@example.org", "display_name": f"P {n}", "permissions": {"user_room": True, "meeting_rooms": False}}) for n in range(12)]
    meeting = [client.meeting_rooms.create({"name": f"M{n}", "max_participants": 4}, organisation_id=tenant.id) for n in range(3)]
    group = [client.group_rooms.create({"name": f"G{n}", "max_participants": 12}, clinic_id=clinics[n].id) for n in range(4)]
    users = [client.user_rooms.create({"name": f"U{n}", "owner_member_id": members[n].id}, organisation_id=tenant.id) for n in range(7)]

    def ids(objects: object) -> list[str]:
        return [o.id for o in objects]  # type: ignore[attr-defined]

    listed = list(client.clinics.list(tenant.id, page_size=5))
    assert ids(listed) == sorted(ids(clinics))
    assert sorted(ids(client.clinics.list(tenant.id, labels={"odd": "1"}, page_size=4))) == sorted(ids(clinics[1::2]))
    assert sorted(ids(client.members.list(tenant.id, page_size=5))) == sorted(ids(members))
    assert sorted(ids(client.waiting_areas.list(tenant.id, page_size=2))) == sorted(ids(areas))
    assert sorted(ids(client.meeting_rooms.list(organisation_id=tenant.id, page_size=2))) == sorted(ids(meeting))
    assert sorted(ids(client.group_rooms.list(organisation_id=tenant.id, page_size=3))) == sorted(ids(group))
    assert ids(client.group_rooms.list(clinic_id=clinics[0].id)) == [group[0].id]
    assert sorted(ids(client.user_rooms.list(organisation_id=tenant.id, page_size=3))) == sorted(ids(users))

    tree = client.organisations.tree(tenant.id)
    assert tree.organisation.id == tenant.id
    assert sorted(ids(tree.clinics)) == sorted(ids(clinics))
    assert sorted(c.waiting_area.id for c in tree.clinics if c.waiting_area) == sorted(ids(areas))
    assert sorted(ids(tree.members)) == sorted(ids(members))
    assert (sorted(ids(tree.meeting_rooms)), sorted(ids(tree.group_rooms)), sorted(ids(tree.user_rooms))) == (
        sorted(ids(meeting)), sorted(ids(group)), sorted(ids(users)))


def test_a_stale_if_match_is_precondition_failed_and_never_retried(
    platform_server: RunningPlatform, client_of: ClientOf, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = platform_server.create_organisation()
    client = client_of(platform_server, tenant.token)
    clinic = client.clinics.create(tenant.id, {"name": unique("etag")})
    changed = client.clinics.update(clinic.id, {"labels": {"a": "1"}}, if_match=clinic.version)
    assert changed.version == clinic.version + 1
    caplog.set_level(logging.DEBUG, logger="platform_client")
    with pytest.raises(PreconditionFailed) as caught:
        client.clinics.update(clinic.id, {"labels": {"a": "2"}}, if_match=clinic.version)
    assert caught.value.code == "precondition_failed" and caught.value.attempts == 1
    with pytest.raises(PreconditionFailed):
        client.clinics.delete(clinic.id, if_match=clinic.version)
    assert len(attempt_lines(caplog, clinic.id)) == 2
    assert client.clinics.get(clinic.id).labels == {"a": "1"}
    client.clinics.delete(clinic.id, if_match=changed.version)
    with pytest.raises(NotFound):
        client.clinics.get(clinic.id)


def test_another_tenants_objects_are_not_found(platform_server: RunningPlatform, client_of: ClientOf) -> None:
    mine, theirs = platform_server.create_organisation(), platform_server.create_organisation()
    clinic = client_of(platform_server, theirs.token).clinics.create(theirs.id, {"name": unique("theirs")})
    with pytest.raises(NotFound):
        client_of(platform_server, mine.token).clinics.get(clinic.id)


def test_updates_and_deletes_under_dropped_answers_end_applied_without_false_412s(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="platform_client")
    tenant = faulty_platform.create_organisation()
    client = client_of(faulty_platform, tenant.token, retry=FAST)
    clinics = [client.clinics.create(tenant.id, {"name": unique(f"dropped-{n}")}) for n in range(20)]
    faults(drop_rate=0.5, seed=3)
    updated = [client.clinics.update(c.id, {"labels": {"step": "1"}}, if_match=c.version) for c in clinics]
    for clinic in updated:
        client.clinics.delete(clinic.id, if_match=clinic.version)
    faults()
    assert all(c.labels == {"step": "1"} and c.version == 2 for c in updated)
    assert list(client.clinics.list(tenant.id)) == []
    messages = [r.getMessage() for r in caplog.records]
    assert any("the 412 was our own" in m for m in messages) and any("was gone on retry" in m for m in messages)


def test_slow_answers_time_out_and_the_call_ends_within_its_deadline(
    faulty_platform: RunningPlatform, client_of: ClientOf, faults: Faults
) -> None:
    tenant = faulty_platform.create_organisation()
    client = client_of(faulty_platform, tenant.token, timeouts=(1.0, 0.15), retry=RetryPolicy(deadline=1.0, base_delay=0.05))
    faults(latency_ms=400)
    started = time.monotonic()
    with pytest.raises(ResponseLost) as caught:
        client.organisations.get(tenant.id)
    elapsed = time.monotonic() - started
    faults()
    assert caught.value.retry_safe and caught.value.attempts > 1 and elapsed <= 1.0 + 0.1
    assert client.organisations.get(tenant.id).id == tenant.id
