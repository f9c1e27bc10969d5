"""The floor: a bare requests.Session client making the API calls of `up` and `destroy` for a spec, in parallel.

It sends what the providers send (one POST per object with its ownership labels and an idempotency key, one
DELETE per object but people, who go with their organisation) in dependency waves — organisations, clinics, waiting areas and people, rooms — with
`parallelism` threads, each with its own session. Whatever Pulumi adds on top of this is overhead.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from resources.ownership import PROJECT_LABEL, RESOURCE_LABEL, STACK_LABEL
from resources.waiting_area import SETTINGS

Call = tuple[str, str, dict[str, Any] | None]
"""(method, path, JSON body)."""


@dataclass
class FloorClient:
    """Bare sessions (one per thread) against the platform at `url`."""

    url: str
    token: str
    parallelism: int
    stack: str = "floor"
    _local: threading.local = field(default_factory=threading.local)

    def send(self, call: Call) -> dict[str, Any]:
        """One request; the answer's JSON (an empty dict for 204)."""
        method, path, body = call
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        headers = {"Authorization": f"Bearer {self.token}"}
        if method == "POST":
            headers["Idempotency-Key"] = "floor_" + uuid.uuid4().hex
        answer = session.request(method, self.url + path, json=body, headers=headers, timeout=60)
        answer.raise_for_status()
        return answer.json() if answer.content else {}

    def wave(self, calls: Iterable[Call]) -> list[dict[str, Any]]:
        """Send the calls with `parallelism` threads; the answers in order."""
        with ThreadPoolExecutor(self.parallelism) as pool:
            return list(pool.map(self.send, calls))

    def labels(self, name: str, labels: dict[str, str] | None = None) -> dict[str, str]:
        """The ownership labels the program writes on every object."""
        return {**(labels or {}), PROJECT_LABEL: "videocall-iac", STACK_LABEL: self.stack, RESOURCE_LABEL: name}


def floor_up(client: FloorClient, spec: dict[str, Any]) -> list[str]:
    """Create every object of the spec; the paths to delete them by, in deletion order."""
    orgs = spec["organisations"]
    org_ids = [answer["id"] for answer in client.wave(
        ("POST", "/v1/organisations", {"name": org["name"], "timezone": org.get("timezone", "Australia/Sydney"),
                                       "labels": client.labels(org["key"])}) for org in orgs)]
    clinic_calls, clinic_keys = [], []
    for org, org_id in zip(orgs, org_ids):
        for clinic in org.get("clinics", []):
            clinic_keys.append((org["key"], clinic["key"]))
            clinic_calls.append(("POST", f"/v1/organisations/{org_id}/clinics", {
                "name": clinic["name"], "timezone": org.get("timezone", "Australia/Sydney"),
                "labels": client.labels(f"{org['key']}.{clinic['key']}")}))
    clinic_ids = dict(zip(clinic_keys, (answer["id"] for answer in client.wave(clinic_calls))))

    areas: list[Call] = []
    people: list[Call] = []
    member_keys: list[tuple[str, str]] = []
    for org, org_id in zip(orgs, org_ids):
        for clinic in org.get("clinics", []):
            if clinic.get("waiting_area"):
                area = {name: value for name, value in clinic["waiting_area"].items() if name in SETTINGS}
                areas.append(("POST", f"/v1/clinics/{clinic_ids[org['key'], clinic['key']]}/waiting-area",
                              {**area, "labels": client.labels(f"{org['key']}.{clinic['key']}")}))
        for person in org.get("people", []):
            member_keys.append((org["key"], person["key"]))
            people.append(("POST", f"/v1/organisations/{org_id}/members", {
                "email": person["email"], "display_name": person["display_name"],
                "org_roles": person.get("org_roles", []),
                "clinic_roles": [{"clinic_id": clinic_ids[org["key"], entry["clinic"]], "roles": entry["roles"],
                                  "permissions": entry.get("permissions", {})}
                                 for entry in person.get("clinic_roles", [])],
                "labels": client.labels(f"{org['key']}.{person['key']}")}))
    answers = client.wave(areas + people)
    deletes = [f"/v1/waiting-areas/{answer['id']}" for answer in answers[:len(areas)]]
    member_ids = dict(zip(member_keys, (answer["id"] for answer in answers[len(areas):])))

    rooms = [("POST", path, body) for org, org_id in zip(orgs, org_ids)
             for path, body in _room_calls(client, org, org_id, clinic_ids, member_ids)]
    deletes = [f"/v1/{path.rsplit('/', 1)[-1]}/{answer['id']}" for (_m, path, _b), answer in zip(rooms, client.wave(rooms))] + deletes
    deletes += [f"/v1/clinics/{clinic_id}" for clinic_id in clinic_ids.values()]
    return deletes + [f"/v1/organisations/{org_id}" for org_id in org_ids]


def _room_calls(
    client: FloorClient, org: dict[str, Any], org_id: str, clinic_ids: dict[tuple[str, str], str],
    member_ids: dict[tuple[str, str], str],
) -> Iterable[tuple[str, dict[str, Any]]]:
    """(path, body) of every room of the organisation."""
    key = org["key"]
    scopes: list[tuple[str, dict[str, Any]]] = [(f"/v1/organisations/{org_id}", org)]
    scopes += [(f"/v1/clinics/{clinic_ids[key, clinic['key']]}", clinic) for clinic in org.get("clinics", [])]
    for base, holder in scopes:
        for room in holder.get("meeting_rooms", []):
            yield f"{base}/meeting-rooms", {
                "name": room["name"], "max_participants": room.get("max_participants", 6),
                "member_ids": [member_ids[key, member] for member in room.get("members", [])],
                "labels": client.labels(f"{key}.{room['key']}")}
        for room in holder.get("group_rooms", []):
            yield f"{base}/group-rooms", {"name": room["name"], "max_participants": room.get("max_participants", 20),
                                          "labels": client.labels(f"{key}.{room['key']}")}
    for clinic in org.get("clinics", []):
        for room in clinic.get("user_rooms", []):
            yield f"/v1/clinics/{clinic_ids[key, clinic['key']]}/user-rooms", {
                "name": room["name"], "owner_member_id": member_ids[key, room["owner"]],
                "max_participants": room.get("max_participants", 6), "labels": client.labels(f"{key}.{room['key']}")}


def floor_destroy(client: FloorClient, paths: list[str]) -> None:
    """Delete rooms and waiting areas, then clinics, then organisations with their people (as `destroy` does)."""
    waves: dict[str, list[str]] = {}
    for path in paths:
        waves.setdefault(_wave_of(path), []).append(path)
    for kind in ("rooms", "clinics", "organisations"):
        client.wave(("DELETE", path + ("?cascade=true" if kind == "organisations" else ""), None)
                    for path in waves.get(kind, []))


def _wave_of(path: str) -> str:
    """Which deletion wave a path belongs to."""
    segment = path.split("/")[2]
    return segment if segment in ("clinics", "organisations") else "rooms"
