"""Organisation token bodies and shapes."""

from typing import Literal

from platform_server.models.common import InputModel, Labels, Name, ObjectOut


class TokenCreate(InputModel):
    """POST /v1/organisations/{org_id}/tokens."""

    name: Name
    access: Literal["read_write", "read_only"]
    labels: Labels = {}


class Token(ObjectOut):
    """A token as listed: never with its secret."""

    name: str
    access: Literal["read_write", "read_only"]
    organisation_id: str


class NewToken(Token):
    """A token just created: the only time its secret is shown."""

    token: str
