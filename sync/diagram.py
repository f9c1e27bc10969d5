"""The structure as a Mermaid flowchart for GitHub: what changed marked by style, unchanged branches collapsed.

Three levels of detail, the first that fits the budget wins: every changed object (unchanged clinics collapsed
into a count), then changed clinics with their contents counted, then clinics counted by what happens to them.
Labels are escaped character by character, so no name can end a label, a node or the Markdown fence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sync.structure import UNCHANGED, Item, Organisation

BUDGET = 20_000
"""Characters of one diagram: well under GitHub's 65,536 per comment and Mermaid's own 50,000 per diagram."""
MAX_NODES = 100
"""More boxes than this are not read but scrolled past (Mermaid itself refuses more than 500 edges)."""
LABEL_WIDTH = 60
NAME_WIDTH = 30
NAMES_LISTED = 3
"""People named in a summary; the rest are counted."""
INSIDE = "changes inside"
STYLES = {
    UNCHANGED: "fill:#f6f8fa,stroke:#8c959f,color:#24292f",
    INSIDE: "fill:#f6f8fa,stroke:#24292f,color:#24292f,stroke-width:2px",
    "added": "fill:#dafbe1,stroke:#1a7f37,color:#0f2e1a,stroke-width:2px",
    "changed": "fill:#fff8c5,stroke:#9a6700,color:#3b2300,stroke-width:2px",
    "replaced": "fill:#ffe7d1,stroke:#bc4c00,color:#3d1300,stroke-width:3px,stroke-dasharray: 8 3",
    "removed": "fill:#ffebe9,stroke:#cf222e,color:#5c0007,stroke-width:2px,stroke-dasharray: 3 3",
    "drifted": "fill:#fff8c5,stroke:#9a6700,color:#3b2300,stroke-width:2px",
    "deleted": "fill:#ffebe9,stroke:#cf222e,color:#5c0007,stroke-width:2px,stroke-dasharray: 3 3",
    "missing": "fill:#ffffff,stroke:#cf222e,color:#5c0007,stroke-width:2px,stroke-dasharray: 3 3",
    "undeclared": "fill:#ffe7d1,stroke:#bc4c00,color:#3d1300,stroke-width:2px",
    "orphaned": "fill:#fbefff,stroke:#8250df,color:#2e1065,stroke-width:2px",
    "unmanaged": "fill:#eaeef2,stroke:#57606a,color:#24292f,stroke-width:2px,stroke-dasharray: 6 3",
}
"""A Mermaid class per status (its name is the status without spaces)."""
WORST_FIRST = ("removed", "deleted", "missing", "replaced", "undeclared", "orphaned", "unmanaged", "drifted",
               "changed", "added", INSIDE, UNCHANGED)
WORDS = {"Organisation": "organisation", "Clinic": "clinic", "WaitingArea": "waiting area",
         "MeetingRoom": "meeting room", "GroupRoom": "group room", "UserRoom": "user room", "Member": "person"}
ROLES = {"reception": "reception", "team_member": "team members"}
"""Plurals of roles that are not the role and an s."""
SAFE = frozenset(" .,!?'()[]{}/+-_=@*~^·…—→")
"""Marks kept as they are in labels (and `: `); a `:` before anything else is not, nor `;`: Mermaid's preprocessing
rewrites `style…:#…;` anywhere in a line."""
MATHS_OFF = "#36;#8203;"
"""`$` and a zero-width space: Mermaid draws `$$…$$` as maths, escaped or not."""


def flowchart(orgs: Sequence[Organisation], budget: int = BUDGET) -> str | None:
    """The most detailed flowchart that fits `budget` characters and MAX_NODES boxes; None when none does."""
    for detail in (2, 1, 0):
        text = Chart(detail).drawn(orgs)
        if len(text) <= budget and text.count("-->") < MAX_NODES:
            return text
    return None


def section(title: str, orgs: Sequence[Organisation], budget: int, note: str) -> list[str]:
    """Markdown lines: a heading, the mermaid block and a note on the styles (or why the diagram is left out)."""
    text = flowchart(orgs, budget)
    if text is None:
        return [title, "", f"_The diagram is left out: {len(orgs)} organisations are too many to draw in one "
                           "comment._"]
    return [title, "", "```mermaid", text, "```", "", note]


class Chart:
    """Mermaid lines for organisations at one level of detail (2 every changed object, 1 clinics, 0 counts)."""

    def __init__(self, detail: int) -> None:
        self.detail = detail
        self.lines: list[str] = ["flowchart LR"]
        self.used: set[str] = set()

    def drawn(self, orgs: Sequence[Organisation]) -> str:
        """The whole flowchart: nodes and edges, then one class definition per style used."""
        for org in orgs:
            self.organisation(org)
        self.lines += [f"classDef {css(status)} {STYLES[status]}" for status in STYLES if status in self.used]
        return "\n".join(self.lines)

    def node(self, parent: str | None, label: Sequence[str], status: str) -> str:
        """Add a node (under `parent`) with its label lines and style; its id."""
        node = f"n{len(self.lines)}"
        status = status if status in STYLES else UNCHANGED
        self.used.add(status)
        text = "<br>".join(escaped(line) for line in label if line)
        self.lines.append(f"{parent} --> " * bool(parent) + f'{node}["{text}"]:::{css(status)}')
        return node

    def organisation(self, org: Organisation) -> None:
        """An organisation, its clinics and its organisation-wide rooms and people."""
        top = self.node(None, [cut(org.label), said("organisation", org.status)], org.status)
        clinics = [item for item in org.items if item.kind == "Clinic"]
        within = {clinic.name for clinic in clinics}
        touched = [clinic for clinic in clinics if state(contents(org, clinic.name)) != UNCHANGED]
        if self.detail == 0:
            counts = Counter(clinic_state(org, clinic) for clinic in touched)
            for status in WORST_FIRST:
                if counts[status]:
                    self.node(top, [f"{plural(counts[status], 'clinic')} {status.replace(INSIDE, 'with ' + INSIDE)}"],
                              status)
        else:
            for clinic in touched:
                self.clinic(top, org, clinic)
        if len(clinics) > len(touched):
            self.node(top, [f"{plural(len(clinics) - len(touched), 'clinic')} unchanged"], UNCHANGED)
        wide = [item for item in org.items if item.kind not in ("Clinic", "Member") and item.clinic not in within]
        self.branch(top, wide, people_at(org, None, within), org_roles=True)

    def clinic(self, top: str, org: Organisation, clinic: Item) -> None:
        """A clinic with changes: itself, then (in full detail) its changed objects and its people."""
        inside = [item for item in org.items if item.clinic == clinic.name and item.kind != "Clinic"]
        people = people_at(org, clinic.name)
        if self.detail == 1:
            counted = tally([*inside, *people])
            self.node(top, [cut(clinic.label), said("clinic", clinic.status), counted], clinic_state(org, clinic))
            return
        node = self.node(top, [cut(clinic.label), said("clinic", clinic.status)], clinic.status)
        self.branch(node, inside, people, clinic=clinic.name)

    def branch(self, parent: str, items: Sequence[Item], people: Sequence[Item], *, clinic: str | None = None,
               org_roles: bool = False) -> None:
        """Changed objects one by one, the unchanged ones in one node, and the people summarised by role."""
        if self.detail < 2:
            if items or people:
                words = "organisation-wide rooms and people" if org_roles else "rooms and people"
                self.node(parent, [words, tally([*items, *people])], state([*items, *people]))
            return
        for item in items:
            if item.status != UNCHANGED:
                self.node(parent, [cut(item.label), said(WORDS.get(item.kind, item.kind), item.status)], item.status)
        quiet = Counter(WORDS.get(item.kind, item.kind) for item in items if item.status == UNCHANGED)
        if quiet:
            listed = ", ".join(plural(count, word) if word != "waiting area" else word for word, count in quiet.items())
            self.node(parent, [f"unchanged: {listed}"], UNCHANGED)
        if people:
            self.node(parent, people_label(people, clinic, org_roles), state(people))


def people_label(people: Sequence[Item], clinic: str | None, org_roles: bool) -> list[str]:
    """`people: 2 admin · 1 team member`, then who is added, changed or removed."""
    roles = Counter(role for person in people for at, role in person.roles
                    if (at is None if org_roles else at == clinic))
    counted = ", ".join(plural(count, role.replace("_", " "), ROLES.get(role)) for role, count in sorted(roles.items()))
    heading = f"{plural(len(people), 'person', 'people')}" + (f": {counted}" if counted else "")
    lines = [heading + (" (organisation roles)" if org_roles and counted else "")]
    by_status: dict[str, list[str]] = {}
    for person in people:
        if person.status != UNCHANGED:
            by_status.setdefault(person.status, []).append(cut(person.label, NAME_WIDTH))
    for status, names in sorted(by_status.items(), key=lambda entry: rank_of(entry[0])):
        more = f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else ""
        lines.append(f"{status}: {', '.join(names[:NAMES_LISTED])}{more}")
    return lines


def people_at(org: Organisation, place: str | None, within: Iterable[str] = ()) -> list[Item]:
    """The people of a clinic (None: of the organisation level, or of no clinic `within`), with their status there."""
    members = [item for item in org.items if item.kind == "Member"]
    if place is None:
        members = [m for m in members if any(at is None for at, _ in m.roles) or not clinic_roles(m, within)]
    else:
        members = [m for m in members if place in clinic_roles(m)]
    return [m if m.places is None or place in m.places else replace(m, status=UNCHANGED) for m in members]


def contents(org: Organisation, clinic: str) -> list[Item]:
    """A clinic, everything in it, and everyone with a role in it (with their status there)."""
    return [item for item in org.items if item.clinic == clinic and item.kind != "Member"] + people_at(org, clinic)


def clinic_state(org: Organisation, clinic: Item) -> str:
    """A clinic's own status, else `changes inside` when something in it changes."""
    if clinic.status != UNCHANGED:
        return clinic.status
    return INSIDE if state(contents(org, clinic.name)) != UNCHANGED else UNCHANGED


def clinic_roles(item: Item, within: Iterable[str] | None = None) -> set[str]:
    """The clinics a person has a role in (among `within`, when given)."""
    clinics = {at for at, _ in item.roles if at is not None}
    return clinics & set(within) if within is not None else clinics


def state(items: Iterable[Item]) -> str:
    """The worst status among items (unchanged when there are none)."""
    return min({item.status for item in items} or {UNCHANGED}, key=rank_of)


def tally(items: Sequence[Item]) -> str:
    """`2 added · 1 changed · 4 unchanged`."""
    counts = Counter(item.status for item in items)
    return " · ".join(f"{counts[status]} {status}" for status in WORST_FIRST if counts[status])


def said(word: str, status: str) -> str:
    """`clinic` or `clinic · added`."""
    return word if status == UNCHANGED else f"{word} · {status}"


def rank_of(status: str) -> int:
    """Worst status first; unknown ones last."""
    return WORST_FIRST.index(status) if status in WORST_FIRST else len(WORST_FIRST)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 clinic`, `2 clinics`."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def css(status: str) -> str:
    """The Mermaid class name of a status."""
    return status.replace(" ", "-")


def cut(name: str, width: int = LABEL_WIDTH) -> str:
    """A name on one line, at most `width` characters."""
    name = " ".join(str(name).split())
    return name if len(name) <= width else name[: width - 1] + "…"


def escaped(text: str) -> str:
    """Text safe inside a quoted Mermaid label: letters, digits and a few marks as they are, all else as `#code;`."""
    text = " ".join(str(text).split())
    return "".join(ch if ch.isalnum() or ch in SAFE or text[i:i + 2] == ": " else MATHS_OFF if ch == "$"
                   else f"#{ord(ch)};" for i, ch in enumerate(text))
