"""The transport against a scripted loopback server: headers, error mapping, retries, malformed answers."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from devtools.platform_dev import Dev
from platform_client import (
    ApiError,
    Conflict,
    ConnectFailed,
    MalformedResponse,
    NotFound,
    PlatformClient,
    PreconditionFailed,
    RateLimited,
    ResponseLost,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from platform_client.client import DEFAULT_API_URL
from platform_client.models import Clinic, parse
from tests.client.conftest import TOKEN, FakeClock
from tests.client.scripted import DROP, Answer, ScriptedServer, problem

Make = Callable[..., PlatformClient]

STAMP = {"created_at": "2026-11-25T19:00:00Z", "updated_at": "2026-11-25T19:00:00Z", "labels": {}}
CLINIC = {"id": "cln_1", "version": 3, "organisation_id": "org_1", "name": "Renal", "timezone": "Australia/Sydney", "admin_count": 1, **STAMP}


def org(n: int) -> dict[str, object]:
    return {"id": f"org_{n:03}", "version": 1, "name": f"Org {n}", "timezone": "Australia/Sydney", "admin_count": 0, **STAMP}


def test_every_request_carries_auth_request_id_and_json(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(Answer(200, CLINIC))
    assert scripted_client().clinics.get("cln_1").name == "Renal"
    (seen,) = scripted.seen
    assert seen.method == "GET" and seen.path == "/v1/clinics/cln_1"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["X-Request-Id"]


def test_creates_send_one_idempotency_key_across_retries(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(problem(503, "unavailable"), DROP, Answer(201, CLINIC))
    clinic = scripted_client().clinics.create("org_1", {"name": "Renal"}, idempotency_scope="urn:x")
    assert clinic.id == "cln_1"
    keys = {seen.headers["Idempotency-Key"] for seen in scripted.seen}
    assert len(scripted.seen) == 3 and len(keys) == 1
    assert json.loads(scripted.seen[0].body) == {"name": "Renal"}
    assert len({seen.headers["X-Request-Id"] for seen in scripted.seen}) == 3


def test_a_rerun_with_the_same_scope_reuses_the_key(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(Answer(201, CLINIC))
    scripted_client().clinics.create("org_1", {"name": "Renal"}, idempotency_scope="urn:x")
    scripted_client().clinics.create("org_1", {"name": "Renal"}, idempotency_scope="urn:x")
    scripted_client().clinics.create("org_1", {"name": "Renal"})
    keys = [seen.headers["Idempotency-Key"] for seen in scripted.seen]
    assert keys[0] == keys[1] != keys[2]


def test_a_replay_of_a_since_deleted_object_creates_afresh(scripted: ScriptedServer, scripted_client: Make) -> None:
    replayed = Answer(201, CLINIC, headers={"Idempotent-Replayed": "true"})
    fresh = Answer(201, {**CLINIC, "id": "cln_2", "version": 1})
    scripted.answer(replayed, problem(404, "not_found"), fresh)
    assert scripted_client().clinics.create("org_1", {"name": "Renal"}, idempotency_scope="urn:x").id == "cln_2"
    posts = [seen for seen in scripted.seen if seen.method == "POST"]
    assert [seen.method for seen in scripted.seen] == ["POST", "GET", "POST"]
    assert posts[0].headers["Idempotency-Key"] != posts[1].headers["Idempotency-Key"]


def test_a_replay_returns_the_object_as_it_is_now(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(Answer(201, CLINIC, headers={"Idempotent-Replayed": "true"}), Answer(200, {**CLINIC, "version": 5}))
    assert scripted_client().clinics.create("org_1", {"name": "Renal"}, idempotency_scope="urn:x").version == 5


def test_if_match_is_sent_quoted_and_412_is_never_retried(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    scripted.answer(problem(412, "precondition_failed", "version is 4"))
    with pytest.raises(PreconditionFailed) as caught:
        scripted_client().clinics.update("cln_1", {"name": "Renal 2"}, if_match=3)
    assert len(scripted.seen) == 1 and scripted.seen[0].headers["If-Match"] == '"3"'
    assert not caught.value.retry_safe and clock.sleeps == []


@pytest.mark.parametrize("given", [3, "3", '"3"'])
def test_if_match_takes_a_version_or_an_etag(scripted: ScriptedServer, scripted_client: Make, given: int | str) -> None:
    scripted.answer(Answer(204))
    scripted_client().clinics.delete("cln_1", if_match=given)
    assert scripted.seen[0].headers["If-Match"] == '"3"'


def test_a_412_after_a_lost_answer_is_checked_against_the_live_object(scripted: ScriptedServer, scripted_client: Make) -> None:
    ours = {**CLINIC, "version": 4, "name": "Renal 2"}
    scripted.answer(DROP, problem(412, "precondition_failed"), Answer(200, ours))
    assert scripted_client().clinics.update("cln_1", {"name": "Renal 2"}, if_match=3) == parse(Clinic, ours, status=200)
    assert [seen.method for seen in scripted.seen] == ["PATCH", "PATCH", "GET"]


@pytest.mark.parametrize(
    "live",
    [{**CLINIC, "version": 5, "name": "Renal 2"}, {**CLINIC, "version": 4, "name": "Someone else's"}],
    ids=["two-versions-on", "other-change"],
)
def test_a_412_after_a_lost_answer_stays_412_when_the_change_is_not_ours(
    scripted: ScriptedServer, scripted_client: Make, live: dict[str, object]
) -> None:
    scripted.answer(DROP, problem(412, "precondition_failed"), Answer(200, live))
    with pytest.raises(PreconditionFailed) as caught:
        scripted_client().clinics.update("cln_1", {"name": "Renal 2"}, if_match='"3"')
    assert caught.value.after_uncertain_attempt and caught.value.attempts == 2


def test_a_delete_whose_answer_was_lost_then_404s_is_done(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(DROP, problem(404, "not_found"))
    scripted_client().clinics.delete("cln_1", cascade=True)
    assert [seen.path for seen in scripted.seen] == ["/v1/clinics/cln_1?cascade=true"] * 2


def test_a_plain_404_on_delete_is_raised(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(problem(404, "not_found"))
    with pytest.raises(NotFound):
        scripted_client().clinics.delete("cln_1")


@pytest.mark.parametrize(
    ("answer", "kind", "code"),
    [
        (problem(401, "unauthorized"), Unauthorized, "unauthorized"),
        (problem(404, "not_found"), NotFound, "not_found"),
        (problem(409, "waiting_area_exists", "clinic cln_1 has one"), Conflict, "waiting_area_exists"),
        (problem(422, "validation_failed", errors=[{"loc": ["body", "name"], "msg": "too long"}]), ValidationFailed, "validation_failed"),
        (Answer(400, raw=b"<html>bad</html>", headers={"Content-Type": "text/html"}), ApiError, None),
    ],
)
def test_permanent_errors_fail_at_once_with_a_clear_message(
    scripted: ScriptedServer, scripted_client: Make, answer: Answer, kind: type[ApiError], code: str | None
) -> None:
    scripted.answer(answer)
    with pytest.raises(kind) as caught:
        scripted_client().waiting_areas.create("cln_1", {"name": "Front desk"}, idempotency_scope="urn:wa")
    error = caught.value
    assert type(error) is kind and error.code == code and not error.retry_safe and len(scripted.seen) == 1
    assert str(error).startswith(f"{answer.status} ") and "POST /v1/clinics/cln_1/waiting-area" in str(error)
    if code:
        assert error.request_id == "req_server" and code in str(error)


def test_conflict_names_the_rule_and_validation_lists_the_fields(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(problem(409, "clinic_name_taken", "Renal is taken"))
    with pytest.raises(Conflict) as conflict:
        scripted_client().clinics.create("org_1", {"name": "Renal"})
    assert conflict.value.rule == "clinic_name_taken" and "Renal is taken" in str(conflict.value)
    scripted.answer(problem(422, "participant_limit_exceeded", errors=[{"loc": ["body", "max_participants"], "msg": "at most 6"}]))
    with pytest.raises(ValidationFailed) as invalid:
        scripted_client().meeting_rooms.create({"name": "Huddle", "max_participants": 9}, organisation_id="org_1")
    assert invalid.value.errors[0].loc == ("body", "max_participants")
    assert "body.max_participants: at most 6" in str(invalid.value)


def test_429_waits_at_least_retry_after(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    limited = problem(429, "rate_limited", headers={"Retry-After": "2"})
    scripted.answer(limited, limited, Answer(200, CLINIC))
    scripted_client().clinics.get("cln_1")
    assert len(clock.sleeps) == 2 and all(2.0 <= s <= 2.0 + 0.25 for s in clock.sleeps)


def test_a_retry_after_beyond_the_deadline_gives_up_at_once(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    scripted.answer(problem(429, "rate_limited", headers={"Retry-After": "20"}))
    with pytest.raises(RateLimited) as caught:
        scripted_client(deadline=10.0).clinics.get("cln_1")
    assert caught.value.retry_after == 20.0 and caught.value.retry_safe and clock.sleeps == []


def test_5xx_is_retried_within_the_attempt_bound(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    scripted.answer(problem(503, "unavailable"))
    with pytest.raises(ServerError) as caught:
        scripted_client(max_attempts=4).organisations.get("org_1")
    assert len(scripted.seen) == 4 and caught.value.attempts == 4 and "after 4 attempts" in str(caught.value)


def test_the_deadline_bounds_every_call(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    scripted.answer(problem(500, "internal_error"))
    start = clock.now
    with pytest.raises(ServerError):
        scripted_client(max_attempts=100, deadline=5.0, base_delay=1.0).organisations.get("org_1")
    assert clock.now - start <= 5.0 and 1 < len(scripted.seen) < 100


def test_a_post_without_a_key_is_never_repeated_after_a_lost_answer(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(DROP)
    with pytest.raises(ResponseLost) as caught:
        Dev.of(scripted_client()).join_callers("wa_1", 2)
    assert len(scripted.seen) == 1 and not caught.value.retry_safe


def test_connection_refused_is_retried_then_raised(clock: FakeClock) -> None:
    client = PlatformClient("http://127.0.0.1:9", TOKEN, sleep=clock.sleep, clock=clock)
    with pytest.raises(ConnectFailed) as caught:
        Dev.of(client).join_callers("wa_1", 1)  # a POST without key: safe because it never arrived
    assert caught.value.retry_safe and caught.value.attempts > 1 and "Connection refused" in caught.value.cause


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, raw=b"{not json"),
        Answer(200, {"id": "cln_1"}),
        Answer(200, {**CLINIC, "version": 0}),
        Answer(200, [CLINIC]),
        Answer(200, raw=b""),
    ],
)
def test_a_malformed_success_is_malformed_response(scripted: ScriptedServer, scripted_client: Make, answer: Answer) -> None:
    scripted.answer(answer)
    with pytest.raises(MalformedResponse) as caught:
        scripted_client().clinics.get("cln_1")
    assert caught.value.status == 200 and "GET /v1/clinics/cln_1" in str(caught.value) and len(scripted.seen) == 1


def test_pagination_follows_cursors_and_filters_labels(scripted: ScriptedServer, scripted_client: Make) -> None:
    scripted.answer(
        Answer(200, {"items": [org(1), org(2)], "next_cursor": "c2"}),
        Answer(200, {"items": [org(3)], "next_cursor": "c3"}),
        Answer(200, {"items": [], "next_cursor": None}),
    )
    found = list(scripted_client().organisations.list(labels={"pulumi-stack": "dev"}, page_size=2))
    assert [o.id for o in found] == ["org_001", "org_002", "org_003"]
    assert [seen.path for seen in scripted.seen] == [
        "/v1/organisations?label=pulumi-stack%3Ddev&limit=2",
        "/v1/organisations?label=pulumi-stack%3Ddev&limit=2&cursor=c2",
        "/v1/organisations?label=pulumi-stack%3Ddev&limit=2&cursor=c3",
    ]


def test_rooms_share_one_code_path_with_their_scope(scripted: ScriptedServer, scripted_client: Make) -> None:
    room = {"id": "gr_1", "version": 1, "organisation_id": "org_1", "clinic_id": "cln_1", "name": "Group", "max_participants": 12, "room_link": "https://x/r/1", **STAMP}
    scripted.answer(Answer(201, room))
    client = scripted_client()
    assert client.group_rooms.create({"name": "Group", "max_participants": 12}, clinic_id="cln_1").clinic_id == "cln_1"
    assert scripted.seen[0].path == "/v1/clinics/cln_1/group-rooms"
    scripted.answer(Answer(201, {**room, "id": "ur_1", "owner_member_id": "mbr_1"}))
    assert client.user_rooms.create({"owner_member_id": "mbr_1", "name": "Mine"}, clinic_id="cln_1").clinic_id == "cln_1"
    assert scripted.seen[-1].path == "/v1/clinics/cln_1/user-rooms", "a user room belongs to a person in a clinic"
    with pytest.raises(ValueError):
        client.meeting_rooms.list()


def test_ids_cannot_change_the_path(scripted_client: Make) -> None:
    with pytest.raises(ValueError):
        scripted_client().clinics.get("../organisations/org_1")


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIDEOCALL_API_URL", raising=False)
    monkeypatch.setenv("VIDEOCALL_API_TOKEN", TOKEN)
    client = PlatformClient.from_env()
    assert client.base_url == DEFAULT_API_URL and TOKEN not in repr(client)
    monkeypatch.setenv("VIDEOCALL_API_URL", "https://platform.example/")
    assert PlatformClient.from_env().base_url == "https://platform.example"
    monkeypatch.delenv("VIDEOCALL_API_TOKEN")
    with pytest.raises(ValueError, match="VIDEOCALL_API_TOKEN"):
        PlatformClient.from_env()


def test_tls_is_verified_and_a_tls_failure_is_not_retried(scripted: ScriptedServer, clock: FakeClock) -> None:
    assert PlatformClient("https://platform.example", TOKEN)._transport._verify is True
    assert PlatformClient("https://platform.example", TOKEN, ca_bundle="ca.pem")._transport._verify == "ca.pem"
    client = PlatformClient(scripted.url.replace("http://", "https://"), TOKEN, sleep=clock.sleep, clock=clock)
    with pytest.raises(ConnectFailed) as caught:
        client.clinics.get("cln_1")
    assert "TLS" in str(caught.value) and not caught.value.retry_safe and clock.sleeps == []


def test_base_url_must_be_http_without_credentials() -> None:
    for url in ("ftp://platform.example", "platform.example", f"https://user:{TOKEN}@platform.example"):
        with pytest.raises(ValueError) as caught:
            PlatformClient(url, TOKEN)
        assert TOKEN not in str(caught.value)


def test_a_key_still_in_flight_is_asked_again_later(scripted: ScriptedServer, scripted_client: Make, clock: FakeClock) -> None:
    scripted.answer(problem(409, "idempotency_key_in_flight", headers={"Retry-After": "1"}), Answer(201, CLINIC))
    assert scripted_client().clinics.create("org_1", {"name": "Renal"}).id == "cln_1"
    assert len(scripted.seen) == 2 and clock.sleeps[0] >= 1.0
