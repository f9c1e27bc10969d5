"""Small request helpers for the server tests."""

import uuid
from typing import Any

import requests

from devtools.platform import RunningPlatform, Tenant

TIMEOUT = 10


def unique(prefix: str) -> str:
    """A name no other test uses (clinic names are unique platform-wide)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def call(platform: RunningPlatform, who: Tenant | str, method: str, path: str, **kwargs: Any) -> requests.Response:
    """Send one request as a tenant (or with a raw token) to the platform."""
    token = who.token if isinstance(who, Tenant) else who
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return requests.request(method, f"{platform.url}{path}", headers=headers, timeout=TIMEOUT, **kwargs)


def created(response: requests.Response) -> dict[str, Any]:
    """Assert a 201 and return the object."""
    assert response.status_code == 201, response.text
    return dict(response.json())


def problem(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json answer with that status and code, and return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"].endswith("/" + code)
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def make_clinic(platform: RunningPlatform, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """Create a clinic with a unique name in the tenant's organisation."""
    body = {"name": unique("clinic"), **fields}
    return created(call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/clinics", json=body))


def make_waiting_area(platform: RunningPlatform, tenant: Tenant, clinic_id: str, **fields: Any) -> dict[str, Any]:
    """Create the waiting area of a clinic."""
    body = {"name": "Waiting area", **fields}
    return created(call(platform, tenant, "POST", f"/v1/clinics/{clinic_id}/waiting-area", json=body))


def make_member(platform: RunningPlatform, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """Invite a member with a unique email into the tenant's organisation."""
    body = {"email": f"{unique('person')}@example.com", "display_name": "A Person", **fields}
    return created(call(platform, tenant, "POST", f"/v1/organisations/{tenant.id}/members", json=body))
