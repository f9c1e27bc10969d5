"""The long-lived HTTP session: connection pool, named timeouts, TLS, bearer auth, failure classification."""

from __future__ import annotations

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

from platform_client.retry import Failure
from platform_client.secret import Secret

CONNECT_TIMEOUT = 3.05
"""Seconds to open a connection (a little over a TCP retransmit window)."""
READ_TIMEOUT = 30.0
"""Seconds to wait between bytes of an answer."""
POOL_SIZE = 16
"""Pooled connections per host: the engine runs up to 4 calls per provider process, several providers at once."""
USER_AGENT = "videocall-iac-platform-client/0.1"


class BearerAuth(AuthBase):
    """Sets `Authorization: Bearer …` on each prepared request, so no headers dict ever holds the token."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = "Bearer " + self._token.reveal()
        return request

    def __repr__(self) -> str:
        return f"BearerAuth({self._token!r})"


def new_session(token: Secret, pool_size: int) -> requests.Session:
    """A session with bearer auth and a pool sized for the engine's parallelism; urllib3 never retries."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.auth = BearerAuth(token)
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json, application/problem+json"
    return session


def classify(exc: requests.RequestException) -> Failure:
    """Whether a failed request never reached the server, lost its answer, or met a refused certificate."""
    if isinstance(exc, requests.exceptions.SSLError):
        return Failure.TLS
    if isinstance(exc, requests.ConnectTimeout):
        return Failure.CONNECT
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    if isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError):
        return Failure.CONNECT
    return Failure.LOST
