"""Organisation token bodies and shapes."""

from typing import Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from platform_server.models.common import InputModel, Labels, Name, ObjectId, ObjectOut

Access = Literal["read_write", "read_only", "member"]


class TokenCreate(InputModel):
    """POST /v1/organisations/{org_id}/tokens."""

    name: Name
    access: Access
    member_id: ObjectId | None = None
    """For `access: member`: the member whose roles and permissions the token acts with."""
    labels: Labels = {}

    @model_validator(mode="after")
    def member_tokens_name_their_member(self) -> "TokenCreate":
        """A member token names one member; other tokens name none."""
        if (self.access == "member") != (self.member_id is not None):
            raise PydanticCustomError("validation_failed", "member_id is given exactly when access is 'member'")
        return self


class Token(ObjectOut):
    """A token as listed: never with its secret."""

    name: str
    access: Access
    organisation_id: str
    member_id: str | None = None


class NewToken(Token):
    """A token just created: the only time its secret is shown."""

    token: str
