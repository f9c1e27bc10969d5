"""A loopback HTTP proxy that forwards to the platform and counts requests, to measure API cost."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from devtools.listener import serving

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass
class RequestCount:
    """Requests seen by the proxy, by method and first two path segments (e.g. "GET /v1/organisations")."""

    url: str
    by_route: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    """Answers by status code, and "dropped" for answers the platform never gave."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        """All requests forwarded so far."""
        return sum(self.by_route.values())

    def reset(self) -> None:
        """Start counting afresh."""
        with self.lock:
            self.by_route.clear()
            self.by_status.clear()


@contextmanager
def counting_proxy(target: str) -> Iterator[RequestCount]:
    """Serve a proxy to `target` on a free loopback port for the duration of the block."""
    session = requests.Session()
    count = RequestCount(url="")

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # answers go out at once (Nagle + delayed ACK stalled each one ~45 ms)

        def log_message(self, *_args: object) -> None:
            pass

        def forward(self) -> None:
            route = "/".join(self.path.split("?")[0].split("/")[:3])
            with count.lock:
                count.by_route[f"{self.command} {route}"] += 1
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
            try:
                answer = session.request(self.command, target + self.path, data=body, headers=headers, timeout=60)
            except requests.RequestException:
                with count.lock:
                    count.by_status["dropped"] += 1
                self.close_connection = True  # pass the lost answer on: close without a response
                return
            with count.lock:
                count.by_status[str(answer.status_code)] += 1
            self.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    count.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with serving(server):
            yield count
    finally:
        session.close()
