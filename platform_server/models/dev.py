"""Development endpoint bodies: simulated callers and the time they wait."""

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from platform_server.models.common import InputModel

CallerCount = Annotated[int, Field(ge=1, le=10_000)]


class CallerMovement(InputModel):
    """`{"join": n}`, `{"leave": n}` or `{"advance_minutes": n}`: callers entering or leaving, or time passing."""

    join: CallerCount | None = None
    leave: CallerCount | None = None
    advance_minutes: Annotated[int, Field(ge=1, le=1440)] | None = None

    @model_validator(mode="after")
    def exactly_one_movement(self) -> "CallerMovement":
        """A movement adds callers, removes them, or lets the queue wait longer."""
        if [self.join, self.leave, self.advance_minutes].count(None) != 2:
            raise ValueError("give exactly one of join, leave or advance_minutes")
        return self


class QueueLength(BaseModel):
    """The only queue data there is: how many callers wait."""

    waiting_count: int
