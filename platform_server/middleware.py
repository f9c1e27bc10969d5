"""Raw ASGI middleware at the edge: request ids, injected faults, rate limits, dropped responses."""

import asyncio
import hashlib
import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from platform_server.faults import FaultInjector
from platform_server.problems import PROBLEM_MEDIA_TYPE, problem_body
from platform_server.state import PlatformState

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")


def is_faultable(path: str) -> bool:
    """Faults and rate limits apply to the API, but never to the development endpoints."""
    return path.startswith("/v1/") and not path.startswith("/v1/dev/")


async def send_problem(scope: Scope, send: Send, status: int, code: str, detail: str, headers: dict[str, str]) -> None:
    """Answer a request with a problem+json response straight from middleware."""
    request_id = str(scope.get("state", {}).get("request_id", ""))
    body = json.dumps(problem_body(status, code, detail, request_id)).encode("utf-8")
    raw_headers = [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    raw_headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class RequestIds:
    """Give every request an id (the caller's X-Request-Id if sensible) and echo it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap `app`."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Tag the request and its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if REQUEST_ID.match(incoming) else "req_" + secrets.token_hex(12)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_with_id)


class TrafficControl:
    """Injected errors, the per-token rate limit, and injected latency for reads."""

    def __init__(self, app: ASGIApp, platform: PlatformState) -> None:
        """Wrap `app` with the platform's fault and rate-limit state."""
        self.app = app
        self.platform = platform

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Fail, refuse or delay the request before the application sees it, as configured."""
        if scope["type"] != "http" or not is_faultable(scope["path"]):
            await self.app(scope, receive, send)
            return
        faults = self.platform.faults
        failure = faults.should_fail()
        if failure == 500:
            await send_problem(scope, send, 500, "internal_error", "Injected fault: internal error", {})
            return
        if failure == 503:
            await send_problem(scope, send, 503, "unavailable", "Injected fault: unavailable", {"Retry-After": "1"})
            return
        per_minute = faults.settings.rate_limit_per_minute or self.platform.settings.rate_limit_per_minute
        if per_minute > 0:
            authorization = dict(scope.get("headers", [])).get(b"authorization", b"")
            caller_key = hashlib.sha256(authorization).hexdigest()
            wait = self.platform.rate_limiter.wait_needed(caller_key, per_minute)
            if wait:
                await send_problem(scope, send, 429, "rate_limited",
                                   f"More than {per_minute} requests a minute; retry in {wait} s",
                                   {"Retry-After": str(wait)})
                return
        # Writes are delayed later, between claiming their idempotency key and committing.
        if faults.latency_seconds and scope["method"] not in WRITE_METHODS:
            await asyncio.sleep(faults.latency_seconds)
        await self.app(scope, receive, send)


class ResponseDropper:
    """Commit-then-drop: let a picked write run to completion, then close the connection unanswered.

    Must be the outermost layer: it reaches the server's connection through the server's own `send`.
    """

    def __init__(self, app: ASGIApp, faults: FaultInjector) -> None:
        """Wrap `app`, dropping writes as `faults` decides."""
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request; swallow its response and cut the connection if it was picked."""
        if (scope["type"] != "http" or scope["method"] not in WRITE_METHODS
                or not is_faultable(scope["path"]) or not self.faults.should_drop()):
            await self.app(scope, receive, send)
            return

        async def swallow(message: Message) -> None:
            return None

        await self.app(scope, receive, swallow)
        await _cut_connection(send)


async def _cut_connection(send: Send) -> None:
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.abort()
        # Let the server notice the lost connection before it looks at the (missing) response.
        for _ in range(3):
            await asyncio.sleep(0)
        return
    # Not uvicorn's h11 cycle: promise a body, send none, and fail so the server closes the socket.
    await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1000")]})
    raise ConnectionAbortedError("injected fault: response dropped")
