"""What every log line of a request carries: its id, operation and user.

One mutable record per request in a context variable: the HTTP middleware
creates it, the GraphQL layer fills in the caller and the operations as it
learns them, and the log formatter reads it, from whichever task logs.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(slots=True)
class RequestFields:
    request_id: str
    operation: str | None = None
    user_id: str | None = None

    def add_operation(self, name: str) -> None:
        self.operation = name if self.operation is None else f"{self.operation},{name}"


CURRENT: ContextVar[RequestFields | None] = ContextVar("billgraph_request", default=None)
