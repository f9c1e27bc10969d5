"""Idempotency keys: one per logical create, the same on a rerun, different for anything else."""

from __future__ import annotations

from platform_client.idempotency import KEY_PREFIX, canonical_json, fresh_key, idempotency_key

URN = "urn:pulumi:dev::videocall::videocall:index:Clinic::renal"
TARGET = "POST /organisations/org_1/clinics"
BODY = {"name": "Renal", "labels": {"pulumi-stack": "dev", "pulumi-project": "videocall"}}


def test_same_scope_target_and_payload_give_the_same_key() -> None:
    assert idempotency_key(URN, TARGET, BODY) == idempotency_key(URN, TARGET, dict(BODY))


def test_key_order_and_spacing_do_not_matter() -> None:
    reordered = {"labels": {"pulumi-project": "videocall", "pulumi-stack": "dev"}, "name": "Renal"}
    assert idempotency_key(URN, TARGET, BODY) == idempotency_key(URN, TARGET, reordered)
    assert canonical_json(BODY) == canonical_json(reordered)


def test_anything_else_gives_another_key() -> None:
    keys = {
        idempotency_key(URN, TARGET, BODY),
        idempotency_key(URN + "-2", TARGET, BODY),
        idempotency_key(URN, "POST /organisations/org_2/clinics", BODY),
        idempotency_key(URN, TARGET, {**BODY, "name": "Renal 2"}),
        idempotency_key(URN, TARGET, BODY, generation=1),
    }
    assert len(keys) == 5


def test_keys_fit_the_contract() -> None:
    for key in (idempotency_key(URN * 50, TARGET, BODY), fresh_key()):
        assert key.startswith(KEY_PREFIX) and 1 <= len(key) <= 255 and key.isascii()


def test_fresh_keys_are_unique() -> None:
    assert len({fresh_key() for _ in range(1000)}) == 1000
