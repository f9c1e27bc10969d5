"""Rotating the platform token by hand: the token only in secret stack config, state in PostgreSQL, no `up` between.

`pulumi refresh`, `preview` and `destroy` by hand read the token from the stack's current secret config; after
a new token is made and the old one revoked on the platform, `pulumi config set --secret` is the whole rotation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from tests.support.checkout import Runner, succeeded
from tests.support.postgres import RunningPostgres

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def organisation_token(platform: RunningPlatform, organisation_id: str) -> tuple[str, str]:
    """A new read-write token of the organisation: its id and its secret."""
    made = requests.post(f"{platform.url}/v1/organisations/{organisation_id}/tokens",
                         json={"name": "pulumi", "access": "read_write"}, headers=platform.operator_headers, timeout=10)
    made.raise_for_status()
    return made.json()["id"], made.json()["token"]


def revoke(platform: RunningPlatform, token_id: str) -> None:
    """Revoke a token on the platform."""
    requests.delete(f"{platform.url}/v1/tokens/{token_id}", headers=platform.operator_headers,
                    timeout=10).raise_for_status()


def test_a_rotated_token_set_in_secret_config_is_used_by_the_next_refresh(
    postgres: RunningPostgres, tmp_path: Path,
) -> None:
    table = "rotation"
    with running_platform(tmp_path / "platform") as platform:
        deployer = Runner.at(tmp_path / "checkout", api_url=platform.url, api_token=platform.operator_token,
                             backend_url=postgres.url(table))
        succeeded(deployer.sync("up"))
        with PlatformClient(platform.url, platform.operator_token) as client:
            organisation_id = next(client.organisations.list()).id
        by_hand = Runner(deployer.folder, {k: v for k, v in deployer.env.items() if not k.startswith("VIDEOCALL_")})

        old_id, old_token = organisation_token(platform, organisation_id)
        succeeded(by_hand.pulumi("config", "set", "--stack", "dev", "videocall:apiUrl", platform.url))
        succeeded(by_hand.pulumi("config", "set", "--stack", "dev", "--secret", "videocall:apiToken", old_token))
        succeeded(by_hand.pulumi("refresh", "--stack", "dev", "--yes", "--skip-preview"))
        succeeded(by_hand.pulumi("preview", "--stack", "dev", "--expect-no-changes"))

        _, new_token = organisation_token(platform, organisation_id)
        revoke(platform, old_id)
        stale = by_hand.pulumi("refresh", "--stack", "dev", "--yes", "--skip-preview")
        assert stale.returncode != 0, "a refresh with the revoked token succeeded"
        succeeded(by_hand.pulumi("config", "set", "--stack", "dev", "--secret", "videocall:apiToken", new_token))
        refreshed = succeeded(by_hand.pulumi("refresh", "--stack", "dev", "--yes", "--skip-preview"))
        assert "deleted" not in refreshed.stdout, refreshed.stdout
        succeeded(by_hand.pulumi("preview", "--stack", "dev", "--expect-no-changes"))

        # Deleting an organisation takes the operator token: one more rotation, then destroy by hand.
        succeeded(by_hand.pulumi("config", "set", "--stack", "dev", "--secret", "videocall:apiToken",
                                 platform.operator_token))
        succeeded(by_hand.pulumi("destroy", "--stack", "dev", "--yes", "--skip-preview"))
        with PlatformClient(platform.url, platform.operator_token) as client:
            assert list(client.organisations.list()) == []

    state = postgres.blobs(table)
    assert "videocall:apiToken" in (deployer.folder / "Pulumi.dev.yaml").read_text()
    for token in (old_token, new_token, platform.operator_token):
        assert not [key for key, blob in state.items() if token.encode() in blob], "a token reached the state"
