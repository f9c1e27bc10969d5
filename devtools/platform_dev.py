"""Reference-server development endpoints (operator token): simulated callers, invitations, fault injection.

    dev = Dev.of(client)            # a PlatformClient authenticated as the operator
    dev.join_callers(area.id, 3)
    dev.set_faults({"error_rate": 0.2})
"""

from __future__ import annotations

from typing import Any

from platform_client import PlatformClient
from platform_client.endpoint import api_path
from platform_client.models import Member, Output, WireModel
from platform_client.transport import Transport, parse_reply


class WaitingCount(Output):
    """The number of callers queued in a waiting area now (the answer of the simulated callers endpoint)."""

    waiting_count: int


class Faults(WireModel):
    """Reference-server fault injection; the same shape is read and written."""

    error_rate: float = 0.0
    latency_ms: int = 0
    rate_limit_per_minute: int | None = None
    drop_rate: float = 0.0
    seed: int | None = None


class Dev:
    """`/v1/dev/*`, which only the reference server has and which is never itself faulted.

    Calls go through the client's transport, so they have its retries and typed errors.
    """

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @classmethod
    def of(cls, client: PlatformClient) -> Dev:
        """The development endpoints of the platform `client` talks to, with its token."""
        return cls(client._transport)

    def join_callers(self, waiting_area_id: str, count: int) -> int:
        """Queue `count` simulated callers; the new waiting count."""
        return self._callers(waiting_area_id, {"join": count})

    def leave_callers(self, waiting_area_id: str, count: int) -> int:
        """Take `count` simulated callers out of the queue; the new waiting count."""
        return self._callers(waiting_area_id, {"leave": count})

    def accept_invitation(self, member_id: str) -> Member:
        """Accept a member's pending invitation as if they had clicked the link."""
        reply = self._transport.request("POST", api_path("dev", "members", member_id, "accept-invitation"))
        return parse_reply(Member, reply)

    def faults(self) -> Faults:
        """The fault injection in force."""
        return parse_reply(Faults, self._transport.request("GET", "/dev/faults"))

    def set_faults(self, faults: Faults | dict[str, Any]) -> Faults:
        """Replace the fault injection (fields not given are off)."""
        body = Faults.model_validate(faults).model_dump(mode="json")
        return parse_reply(Faults, self._transport.request("PUT", "/dev/faults", json=body))

    def clear_faults(self) -> Faults:
        """Turn every fault off."""
        return self.set_faults(Faults())

    def _callers(self, waiting_area_id: str, change: dict[str, int]) -> int:
        reply = self._transport.request("POST", api_path("dev", "waiting-areas", waiting_area_id, "callers"), json=change)
        return parse_reply(WaitingCount, reply).waiting_count
