"""Input models refuse unknown fields and send only what was set; output models refuse malformed answers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from platform_client.errors import MalformedResponse
from platform_client.models import (
    ClinicCreate,
    ClinicUpdate,
    CreatedToken,
    MemberCreate,
    Organisation,
    Page,
    Permissions,
    WaitingAreaUpdate,
    parse,
    payload,
)

ORG = {
    "id": "org_1", "created_at": "2026-11-25T19:00:00Z", "updated_at": "2026-11-25T19:00:00Z",
    "version": 1, "labels": {}, "name": "Northside Health", "timezone": "Australia/Sydney", "admin_count": 0,
}


def test_create_sends_only_the_fields_set_so_platform_defaults_apply() -> None:
    assert payload(ClinicCreate, {"name": "Renal"}, partial=False) == {"name": "Renal"}
    assert payload(ClinicCreate, ClinicCreate(name="Renal", timezone=None), partial=False) == {"name": "Renal"}


def test_update_is_a_merge_patch_of_the_fields_given() -> None:
    assert payload(ClinicUpdate, {"labels": {"a": "b"}}, partial=True) == {"labels": {"a": "b"}}
    assert payload(WaitingAreaUpdate, WaitingAreaUpdate(enabled=False), partial=True) == {"enabled": False}


def test_nested_values_are_sent_whole() -> None:
    new = MemberCreate(email="a@b.example", display_name="A", permissions=Permissions(user_room=True))
    assert payload(MemberCreate, new, partial=False)["permissions"] == {"meeting_rooms": False, "user_room": True}


@pytest.mark.parametrize("model", [ClinicCreate, ClinicUpdate])
def test_unknown_and_immutable_fields_are_refused_before_sending(model: type) -> None:
    with pytest.raises(ValidationError):
        payload(model, {"name": "Renal", "organisation_id": "org_2"}, partial=False)


def test_a_valid_answer_parses() -> None:
    organisation = parse(Organisation, ORG, status=200)
    assert organisation.version == 1 and organisation.created_at.tzinfo is not None


@pytest.mark.parametrize(
    "broken",
    [
        {k: v for k, v in ORG.items() if k != "version"},
        {**ORG, "version": "many"},
        {**ORG, "created_at": "yesterday"},
        {**ORG, "created_at": "2026-11-25T19:00:00"},
        {**ORG, "labels": ["not", "a", "map"]},
        ["not", "an", "object"],
        None,
    ],
)
def test_a_malformed_answer_raises_malformed_response(broken: object) -> None:
    with pytest.raises(MalformedResponse) as caught:
        parse(Organisation, broken, status=200, method="GET", path="/v1/organisations/org_1", request_id="r1")
    assert caught.value.status == 200 and caught.value.request_id == "r1" and not caught.value.retry_safe
    assert "Organisation" in str(caught.value) and "GET /v1/organisations/org_1" in str(caught.value)


def test_malformed_response_never_quotes_the_values() -> None:
    secret = "s3cr3t-token-value"
    with pytest.raises(MalformedResponse) as caught:
        parse(CreatedToken, {"id": "tok_1", "name": "ci", "access": "everything", "organisation_id": "org_1", "token": secret}, status=201)
    assert secret not in str(caught.value) and "everything" not in str(caught.value)


def test_pages_validate_their_items() -> None:
    assert parse(Page[Organisation], {"items": [ORG], "next_cursor": None}, status=200).items[0].id == "org_1"
    with pytest.raises(MalformedResponse):
        parse(Page[Organisation], {"items": [{"id": "org_1"}], "next_cursor": None}, status=200)


def test_a_created_token_secret_is_redacted() -> None:
    token = parse(CreatedToken, {"id": "tok_1", "name": "ci", "access": "read_only", "organisation_id": "org_1", "token": "tkn-abc"}, status=201)
    assert "tkn-abc" not in repr(token) and token.token.get_secret_value() == "tkn-abc"
