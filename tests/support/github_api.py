"""A small stand-in for GitHub's REST API of issues and their comments, on loopback, recording every call.

It answers the routes the workflows' github-script steps use (list, create and update issues; list, create
and update comments), pages lists like GitHub (`per_page`, `page`), and writes comments as the Actions bot.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devtools.listener import serving

BOT = {"login": "github-actions[bot]", "type": "Bot"}
ROUTES = [
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/issues"), "list_issues"),
    ("POST", re.compile(r"/repos/[^/]+/[^/]+/issues"), "create_issue"),
    ("PATCH", re.compile(r"/repos/[^/]+/[^/]+/issues/(?P<number>\d+)"), "update_issue"),
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/issues/(?P<number>\d+)/comments"), "list_comments"),
    ("POST", re.compile(r"/repos/[^/]+/[^/]+/issues/(?P<number>\d+)/comments"), "create_comment"),
    ("PATCH", re.compile(r"/repos/[^/]+/[^/]+/issues/comments/(?P<comment>\d+)"), "update_comment"),
]


@dataclass
class GitHubStandIn:
    """The repository's issues (pull requests among them, as on GitHub) and comments, and the calls made."""

    url: str = ""
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_pull_request(self, title: str) -> int:
        """An open pull request; its number."""
        return self.create_issue({}, {"title": title, "body": "", "pull_request": {"url": "…"}})["number"]

    def add_comment(self, number: int, body: str, user: dict[str, str]) -> None:
        """A comment by someone other than the bot."""
        self.create_comment({"number": str(number)}, {"body": body}, user)

    def open_issues(self) -> list[dict[str, Any]]:
        """Open issues that are not pull requests."""
        return [i for i in self.issues.values() if i["state"] == "open" and "pull_request" not in i]

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> tuple[int, Any]:
        """The status and JSON answer of one call."""
        for route_method, pattern, handler in ROUTES:
            found = pattern.fullmatch(path)
            if found and route_method == method:
                with self.lock:
                    self.calls.append(f"{method} {path}")
                    if method == "GET":
                        return 200, page(getattr(self, handler)(found.groupdict(), query), query)
                    return (201 if method == "POST" else 200), getattr(self, handler)(found.groupdict(), body)
        return 404, {"message": "Not Found"}

    def list_issues(self, _: dict[str, str], query: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Issues and pull requests in a state (open by default)."""
        state = query.get("state", ["open"])[0]
        return [i for i in self.issues.values() if state == "all" or i["state"] == state]

    def create_issue(self, _: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        """A new open issue."""
        number = len(self.issues) + 1
        self.issues[number] = {"number": number, "state": "open", "body": "", **body}
        return self.issues[number]

    def update_issue(self, found: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        """Change an issue's title, body or state."""
        self.issues[int(found["number"])].update(body)
        return self.issues[int(found["number"])]

    def list_comments(self, found: dict[str, str], _: dict[str, list[str]]) -> list[dict[str, Any]]:
        """The comments of an issue or pull request, oldest first."""
        return [c for c in self.comments.values() if c["issue_number"] == int(found["number"])]

    def create_comment(self, found: dict[str, str], body: dict[str, Any], user: dict[str, str] = BOT) -> dict[str, Any]:
        """A new comment (by the Actions bot when the workflow makes it)."""
        comment_id = 1000 + len(self.comments)
        self.comments[comment_id] = {"id": comment_id, "issue_number": int(found["number"]), "body": body["body"],
                                     "user": user}
        return self.comments[comment_id]

    def update_comment(self, found: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        """Change a comment's body."""
        self.comments[int(found["comment"])]["body"] = body["body"]
        return self.comments[int(found["comment"])]


def page(items: list[dict[str, Any]], query: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One page of a list, as GitHub pages it."""
    size, number = int(query.get("per_page", ["30"])[0]), int(query.get("page", ["1"])[0])
    return items[(number - 1) * size:number * size]


@contextmanager
def github_stand_in() -> Iterator[GitHubStandIn]:
    """Serve a stand-in GitHub API on a free loopback port for the block's length."""
    api = GitHubStandIn()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def handle_call(self) -> None:
            if not self.headers.get("Authorization"):
                status, answer = 401, {"message": "Requires authentication"}
            else:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = urlsplit(self.path)
                status, answer = api.answer(self.command, parts.path, parse_qs(parts.query), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = handle_call

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        api.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield api
