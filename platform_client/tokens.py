"""Organisation tokens: made and revoked by the operator; a token's secret is shown once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from platform_client.endpoint import DEFAULT_PAGE_SIZE, api_path, paginate
from platform_client.idempotency import fresh_key, idempotency_key
from platform_client.models import CreatedToken, Token, TokenCreate, payload
from platform_client.transport import Transport, parse_reply


class Tokens:
    """`/v1/organisations/{org}/tokens` and `/v1/tokens/{id}` (operator token)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def create(
        self, organisation_id: str, new: TokenCreate | dict[str, Any], *, idempotency_scope: str | None = None
    ) -> CreatedToken:
        """A new token of the organisation; its secret (`.token`, redacted in reprs) is never shown again."""
        target = api_path("organisations", organisation_id, "tokens")
        body = payload(TokenCreate, new, partial=False)
        key = idempotency_key(idempotency_scope, f"POST {target}", body) if idempotency_scope else fresh_key()
        return parse_reply(CreatedToken, self._transport.request("POST", target, json=body, idempotency_key=key))

    def list(self, organisation_id: str, *, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Token]:
        """Every token of the organisation, without secrets."""
        return paginate(self._transport, api_path("organisations", organisation_id, "tokens"), Token, page_size=page_size)

    def revoke(self, token_id: str) -> None:
        """Revoke the token; it stops working at once."""
        self._transport.request("DELETE", api_path("tokens", token_id))
