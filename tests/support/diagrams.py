"""Mermaid diagrams parsed and rendered by Mermaid itself, in Debian's headless Chromium.

The bundle is the pinned `mermaid` npm package in tests/support/mermaid (`make mermaid` installs it); nothing is
downloaded at run time. A missing bundle or browser fails the test that needs it, never skips it.
"""

from __future__ import annotations

import base64
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import headless_chromium

BUNDLE = Path(__file__).parent / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
DESKTOP = (1400, 1000)
CONFIG = {"startOnLoad": False, "securityLevel": "strict", "theme": "default", "maxTextSize": 50_000,
          "maxEdges": 500}
"""Mermaid's own defaults for the limits, as GitHub renders with them; strict, as GitHub does."""
RENDER = """
const [source, id, done] = arguments;
(async () => {
  try {
    await mermaid.parse(source);
    const {svg} = await mermaid.render(id, source);
    const out = document.getElementById('out');
    out.innerHTML = svg;
    const nodes = [...out.querySelectorAll('g.node')].map(g => {
      const copy = g.cloneNode(true);
      copy.querySelectorAll('br').forEach(br => br.replaceWith('\\n'));
      return {id: g.id, classes: g.getAttribute('class') || '', text: copy.textContent.trim()};
    });
    const tags = [...new Set([...out.querySelectorAll('*')].map(e => e.tagName.toLowerCase()))];
    const handlers = [...out.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
      .filter(name => name.startsWith('on'));
    done({svg, nodes, tags, handlers});
  } catch (error) {
    done({error: String((error && (error.message || error.str)) || error)});
  }
})();
"""


class MermaidError(AssertionError):
    """Mermaid refused a diagram: its own message."""


@dataclass(frozen=True)
class Node:
    """One drawn node: its SVG id, CSS classes and the text it shows (label lines joined by newlines)."""

    id: str
    classes: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Rendered:
    """A diagram as Mermaid drew it."""

    svg: str
    nodes: tuple[Node, ...]
    tags: frozenset[str]
    """Every element name in the drawing."""
    handlers: tuple[str, ...]
    """Event-handler attributes (onclick, …) anywhere in the drawing."""

    def node(self, text: str) -> Node:
        """The one node whose text contains `text` (zero-width spaces aside)."""
        found = [node for node in self.nodes if text in node.text.replace("\u200b", "")]
        assert len(found) == 1, f"{len(found)} nodes show {text!r}: {[node.text for node in self.nodes]}"
        return found[0]


class Mermaid:
    """A page with Mermaid loaded, rendering one diagram at a time."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver
        self.count = 0

    def render(self, source: str) -> Rendered:
        """Parse and render the diagram; MermaidError with Mermaid's message when it refuses it."""
        self.count += 1
        result = self.driver.execute_async_script(RENDER, source, f"diagram{self.count}")
        if "error" in result:
            raise MermaidError(result["error"])
        nodes = tuple(Node(n["id"], tuple(n["classes"].split()), n["text"]) for n in result["nodes"])
        return Rendered(result["svg"], nodes, frozenset(result["tags"]), tuple(result["handlers"]))

    def png(self, source: str, path: Path, scale: float = 2) -> Path:
        """Render the diagram and save it as a PNG picture of the drawing alone."""
        self.render(source)
        box = self.driver.execute_script(
            "const r = document.querySelector('#out svg').getBoundingClientRect();"
            "return {x: r.x, y: r.y, width: r.width, height: r.height};")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {**box, "scale": scale}})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@contextmanager
def mermaid() -> Iterator[Mermaid]:
    """Mermaid's pinned browser bundle loaded in headless Chromium; fails when `make mermaid` has not run."""
    if not BUNDLE.is_file():
        raise RuntimeError(f"{BUNDLE.relative_to(Path.cwd()) if BUNDLE.is_relative_to(Path.cwd()) else BUNDLE} "
                           "is missing: `make mermaid` (a part of `make test`) installs it with npm")
    with tempfile.TemporaryDirectory() as folder, headless_chromium(DESKTOP) as driver:
        page = Path(folder) / "mermaid.html"
        page.write_text(f'<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff">'
                        f'<div id="out" style="display:inline-block;padding:16px"></div>'
                        f'<script src="{BUNDLE.as_uri()}"></script>', encoding="utf-8")
        driver.set_script_timeout(60)
        driver.get(page.as_uri())
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return typeof mermaid !== 'undefined'"))
        driver.execute_script("mermaid.initialize(arguments[0])", CONFIG)
        yield Mermaid(driver)


def blocks(markdown: str) -> list[str]:
    """The sources of the `mermaid` fenced blocks of a Markdown text."""
    return re.findall(r"^```mermaid\n(.*?)\n```$", markdown, flags=re.DOTALL | re.MULTILINE)
