"""Markdown and terminal text shared by the preview comment and the drift report: cells, values, trimming."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from resources.provider import UNKNOWN
from sync.changes import normalised

LATER = "(known after apply)"
VALUE_WIDTH = 80


def known(value: Any) -> Any:
    """The value with every unknown placeholder nested in it spelled out."""
    if value == UNKNOWN:
        return LATER
    if isinstance(value, dict):
        return {key: known(item) for key, item in value.items()}
    if isinstance(value, list):
        return [known(item) for item in value]
    return value


def text_of(value: Any) -> str:
    """A value on one line: strings as they are, anything else as compact JSON."""
    text = value if isinstance(value, str) else json.dumps(known(normalised(value)), ensure_ascii=False, sort_keys=True)
    return text.replace("\n", " ")


def cell(value: Any) -> str:
    """A value as a table cell: inline code, nothing as —, the unknown placeholder spelled out, `|` escaped."""
    if normalised(value) is None:
        return "—"
    if value == UNKNOWN:
        return f"_{LATER}_"
    text = text_of(value).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def short(value: Any) -> str:
    """A value for the terminal, cut to a readable width; nothing shows as —."""
    if normalised(value) is None:
        return "—"
    text = text_of(value)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table: header, separator, rows (cells already escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def trimmed(summary: str, details: Sequence[str], max_chars: int, noun: str) -> str:
    """The summary whole, then as many detail blocks as fit in `max_chars`, and a note on what was left out."""
    text = summary
    for kept, block in enumerate(details):
        note = left_out_note(details[kept + 1:], noun)
        if len(text) + 1 + len(block) + len(note) > max_chars:
            return text + left_out_note(details[kept:], noun)
        text += "\n" + block
    return text


def left_out_note(blocks: Sequence[str], noun: str) -> str:
    """The note ending a trimmed comment ("" when nothing is left out)."""
    if not blocks:
        return ""
    chars = sum(len(block) + 1 for block in blocks)
    return (f"\n_… {len(blocks)} more {noun}{'s' if len(blocks) != 1 else ''} ({chars} characters) left out to fit "
            f"the comment; run `python -m sync preview` to see all of them._\n")


def failure_block(reasons: Sequence[str], next_step: str, detail: str, max_chars: int) -> str:
    """A failure as a reader wants it: each reason in a sentence, the next step, then the detail folded away."""
    lines = [f"- {reason}" for reason in reasons] or ["- the engine stopped without naming a resource (see below)"]
    text = "\n".join(lines) + f"\n\n**Next step:** {next_step}\n"
    body = detail.replace("```", "'''").strip()
    if not body:
        return text
    room = max(0, max_chars - len(text) - 200)
    if len(body) > room:
        body = body[:room] + f"\n… ({len(body) - room} characters left out)"
    return text + f"\n<details><summary>Engine output</summary>\n\n```text\n{body}\n```\n\n</details>\n"


def failure_text(headline: str, error: BaseException, next_step: str) -> str:
    """A failed command for the terminal: each reason in a sentence and the next step first, the engine's output after."""
    reasons = list(getattr(error, "reasons", None) or [])
    if not reasons:
        return f"{headline}: {type(error).__name__}: {error}"
    return "\n".join([f"{headline}:", *(f"  {reason}" for reason in reasons), f"Next step: {next_step}",
                      "", "engine output:", str(error).strip()])
