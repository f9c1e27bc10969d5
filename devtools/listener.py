"""Something else listening on an address: answers every request with 404 and counts them (and the tokens sent)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Heard:
    """What reached the listener: request lines, and how many carried a bearer token."""

    requests: list[str] = field(default_factory=list)
    with_token: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def listening_on(port: int) -> Iterator[Heard]:
    """Answer 404 to anything sent to 127.0.0.1:`port` for the block's length, and count it."""
    heard = Heard()

    class Stranger(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def answer(self) -> None:
            with heard.lock:
                heard.requests.append(f"{self.command} {self.path}")
                heard.with_token += self.headers.get("Authorization", "").startswith("Bearer ")
            body = b'{"type": "about:blank", "title": "Not Found", "status": 404, "code": "not_found"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = answer

    with serving(ThreadingHTTPServer(("127.0.0.1", port), Stranger)):
        yield heard


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """Serve on a background thread for the block's length, then shut down and free the port."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
