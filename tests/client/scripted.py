"""A loopback HTTP server that answers from a script, for client tests the reference server cannot stage."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DROP = "drop"
"""A scripted step that reads the request and closes the connection without answering."""


@dataclass(frozen=True)
class Answer:
    """One scripted answer."""

    status: int = 200
    body: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def problem(status: int, code: str, detail: str = "", *, headers: dict[str, str] | None = None, **extra: Any) -> Answer:
    """A problem+json answer as the contract shapes it."""
    body = {"type": f"https://videocall.example/problems/{code}", "title": code, "status": status,
            "detail": detail, "code": code, "request_id": "req_server", **extra}
    return Answer(status, body, headers={"Content-Type": "application/problem+json", **(headers or {})})


class ScriptedServer:
    """Answers requests with `script` in order (the last step repeats) and records what it saw."""

    def __init__(self) -> None:
        self.script: list[Answer | str] = [Answer()]
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def answer(self, *steps: Answer | str) -> None:
        """Replace the script."""
        with self._lock:
            self.script = list(steps)
            self.seen.clear()

    def _next(self, seen: Seen) -> Answer | str:
        with self._lock:
            self.seen.append(seen)
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                step = server._next(Seen(self.command, self.path, dict(self.headers.items()), body))
                if step == DROP:
                    self.close_connection = True
                    self.connection.close()
                    return
                assert isinstance(step, Answer)
                data = step.raw if step.raw is not None else (b"" if step.body is None else json.dumps(step.body).encode())
                self.send_response(step.status)
                headers = {"Content-Type": "application/json", "X-Request-Id": self.headers.get("X-Request-Id", "x"), **step.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        return Handler

    @contextmanager
    def running(self) -> Iterator[ScriptedServer]:
        """Serve in a background thread until the block ends."""
        thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
