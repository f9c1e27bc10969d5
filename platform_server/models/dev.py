"""Development endpoint bodies: simulated callers."""

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from platform_server.models.common import InputModel

CallerCount = Annotated[int, Field(ge=1, le=10_000)]


class CallerMovement(InputModel):
    """`{"join": n}` or `{"leave": n}`: callers entering or leaving a waiting area's queue."""

    join: CallerCount | None = None
    leave: CallerCount | None = None

    @model_validator(mode="after")
    def exactly_one_of_join_or_leave(self) -> "CallerMovement":
        """A movement either adds or removes callers."""
        if (self.join is None) == (self.leave is None):
            raise ValueError("give exactly one of join or leave")
        return self


class QueueLength(BaseModel):
    """The only queue data there is: how many callers wait."""

    waiting_count: int
