"""The token never shows: not in reprs, messages, tracebacks (locals included), pickles or logs."""

from __future__ import annotations

import copy
import logging
import pickle
import traceback
from collections.abc import Callable

import pytest

from platform_client import PlatformClient, PlatformError, Secret
from platform_client.session import BearerAuth
from tests.client.conftest import TOKEN
from tests.client.scripted import DROP, Answer, ScriptedServer, problem

Make = Callable[..., PlatformClient]


def rendered(error: BaseException) -> str:
    """Everything a traceback printer could show about an error, frame locals included."""
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format()) + repr(error) + str(vars(error))


def test_secret_never_shows_itself() -> None:
    secret = Secret(TOKEN)
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret, repr([secret]), repr({"t": secret})):
        assert TOKEN not in text
    assert secret.reveal() == TOKEN
    assert copy.deepcopy(secret) is secret
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(secret)
    with pytest.raises(ValueError):
        Secret("")


def test_client_and_its_parts_redact_the_token() -> None:
    client = PlatformClient("http://127.0.0.1:9", TOKEN)
    parts = [client, client._transport, client._transport._session.auth, BearerAuth(Secret(TOKEN)), vars(client), vars(client._transport)]
    assert all(TOKEN not in repr(part) for part in parts)
    assert TOKEN not in repr(dict(client._transport._session.headers))


def test_a_client_refuses_to_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(PlatformClient("http://127.0.0.1:9", TOKEN))


@pytest.mark.parametrize(
    "steps",
    [
        [problem(401, "unauthorized", "bad token")],
        [DROP],
        [Answer(200, raw=b"{nope")],
        [Answer(200, {"id": "org_1"})],
        [problem(503, "unavailable")],
    ],
    ids=["401", "dropped", "not-json", "wrong-shape", "503"],
)
def test_errors_and_their_tracebacks_hold_no_token(scripted: ScriptedServer, scripted_client: Make, steps: list[Answer | str]) -> None:
    scripted.answer(*steps)
    with pytest.raises(PlatformError) as caught:
        scripted_client(max_attempts=2).organisations.get("org_1")
    assert TOKEN not in rendered(caught.value)
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_connect_errors_hold_no_token() -> None:
    client = PlatformClient("http://127.0.0.1:9", TOKEN, sleep=lambda s: None)
    with pytest.raises(PlatformError) as caught:
        client.clinics.get("cln_1")
    assert TOKEN not in rendered(caught.value)


def test_debug_logs_of_a_faulty_run_hold_no_token(scripted: ScriptedServer, scripted_client: Make, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    scripted.answer(DROP, problem(503, "unavailable"), problem(429, "rate_limited", headers={"Retry-After": "1"}),
                    problem(500, "internal_error"), problem(500, "internal_error"))
    with pytest.raises(PlatformError):
        scripted_client(max_attempts=4).clinics.create("org_1", {"name": "Renal"})
    names = {record.name for record in caplog.records}
    assert "platform_client" in names and any(name.startswith("urllib3") for name in names)
    # Four failures use up the four attempts; the 429 between them costs only time.
    assert sum("retrying" in record.getMessage() for record in caplog.records) == 4
    assert TOKEN not in caplog.text and all(TOKEN not in record.getMessage() for record in caplog.records)
