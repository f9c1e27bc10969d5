"""A request that cannot be built is a caller's bug: it fails at once, unsent, never as a 'lost answer'."""

from __future__ import annotations

import pytest

from platform_client import InvalidRequest, PlatformClient, ResponseLost


@pytest.mark.parametrize("if_match", [1.0, '"1"\n'], ids=["float version", "header with a newline"])
def test_unbuildable_request_fails_at_once_without_sending(platform_server, if_match: object) -> None:
    with PlatformClient(platform_server.url, platform_server.operator_token) as client:
        org = client.organisations.create({"name": f"Invalid Request Health {if_match!r}"})
        clinic = client.clinics.create(org.id, {"name": f"Invalid Request Clinic {if_match!r}"})
        with pytest.raises(InvalidRequest) as error:
            client.clinics.update(clinic.id, {"name": "Renamed"}, if_match=if_match)  # type: ignore[arg-type]
        assert not isinstance(error.value, ResponseLost)
        assert error.value.attempts == 1 and not error.value.retry_safe
        assert client.clinics.get(clinic.id).version == clinic.version, "nothing reached the platform"
        client.organisations.delete(org.id, cascade=True)
