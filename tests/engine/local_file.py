"""A trivial dynamic resource (a text file on disk) used to prove the engine and its Python plumbing work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class LocalFileProvider(ResourceProvider):
    """Writes `content` to `path`; reads it back so refresh sees out-of-band edits."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        Path(props["path"]).write_text(props["content"])
        return CreateResult(id_=props["path"], outs=dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = [k for k in ("path", "content") if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(changes), replaces=[k for k in changes if k == "path"])

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        Path(news["path"]).write_text(news["content"])
        return UpdateResult(outs=dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        path = Path(id_)
        if not path.exists():
            return ReadResult(id_="", outs={})
        live = {"path": id_, "content": path.read_text()}
        return ReadResult(id_=id_, outs=live)

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        Path(id_).unlink(missing_ok=True)


class LocalFile(Resource):
    """A text file managed by Pulumi."""

    path: pulumi.Output[str]
    content: pulumi.Output[str]

    def __init__(self, name: str, path: str, content: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__(LocalFileProvider(), name, {"path": path, "content": content}, opts)
