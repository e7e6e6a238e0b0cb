"""Event type -> handler.

Names are checked against the event types of the pinned Stripe API version
when a handler is registered, so a typo fails at import, not silently in
production when the event never matches.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from billing.stripe_gateway import EVENT_TYPES, StripeGateway


@dataclass(frozen=True, slots=True)
class Event:
    """What a handler gets: the event's identity and its object."""

    id: str
    type: str
    created: int
    object: dict[str, Any]
    previous_attributes: dict[str, Any] | None
    gateway: StripeGateway

    @property
    def object_id(self) -> str:
        return str(self.object["id"])


Handler = Callable[[Event], Awaitable[None]]


class UnknownEventType(ValueError):
    pass


class Registry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._after_commit: dict[str, list[Handler]] = {}

    def handles(self, *event_types: str) -> Callable[[Handler], Handler]:
        for event_type in event_types:
            self._check(event_type)

        def register(handler: Handler) -> Handler:
            for event_type in event_types:
                self.add(event_type, handler)
            return handler

        return register

    def after_commit(self, *event_types: str) -> Callable[[Handler], Handler]:
        """Register a follow-up that runs once the event's handler committed:
        the place for the Stripe calls an event leads to, which must never run
        inside its transaction. It must be idempotent: a failure fails the
        event, and Stripe's retry runs handler and follow-ups again."""
        for event_type in event_types:
            self._check(event_type)

        def register(hook: Handler) -> Handler:
            for event_type in event_types:
                self._after_commit.setdefault(event_type, []).append(hook)
            return hook

        return register

    def followups(self, event_type: str) -> tuple[Handler, ...]:
        return tuple(self._after_commit.get(event_type, ()))

    @staticmethod
    def _check(event_type: str) -> None:
        if event_type not in EVENT_TYPES:
            raise UnknownEventType(f"{event_type!r} is not a Stripe event type")

    def add(self, event_type: str, handler: Handler) -> None:
        self._check(event_type)
        if event_type in self._handlers:
            raise ValueError(f"{event_type!r} already has a handler")
        self._handlers[event_type] = handler

    def remove(self, event_type: str) -> None:
        self._handlers.pop(event_type, None)

    def get(self, event_type: str) -> Handler | None:
        return self._handlers.get(event_type)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._handlers)


registry = Registry()
handles = registry.handles
after_commit = registry.after_commit
