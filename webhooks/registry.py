"""Event type -> handler.

A handler is two steps, so that Stripe is never called inside a transaction:
``fetch`` asks Stripe for what the event needs (no database writes, no
transaction) and returns immutable data; ``apply`` writes it, inside the
transaction that also marks the event processed, without calling Stripe.
Stripe calls that must follow the committed write (e.g. cancelling a
duplicate subscription) are follow-ups registered with ``after_commit``:
they run once the transaction committed, and a failure marks the event
failed so that Stripe's retry runs the (idempotent) handler and follow-ups
again.

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

    @property
    def object_id(self) -> str:
        return str(self.object["id"])


Fetch = Callable[[Event, StripeGateway], Awaitable[Any]]
Apply = Callable[[Event, Any], Awaitable[None]]
FollowUp = Callable[[Event, StripeGateway], Awaitable[None]]


async def fetch_nothing(event: Event, gateway: StripeGateway) -> None:
    """The fetch step of a handler that needs nothing from Stripe."""


@dataclass(frozen=True, slots=True)
class Handler:
    apply: Apply
    fetch: Fetch = fetch_nothing


class UnknownEventType(ValueError):
    pass


class Registry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._after_commit: dict[str, list[FollowUp]] = {}

    def handles(self, *event_types: str, fetch: Fetch = fetch_nothing) -> Callable[[Apply], Apply]:
        """Decorates the apply step; ``fetch`` is the handler's Stripe step."""
        for event_type in event_types:
            self._check(event_type)

        def register(apply: Apply) -> Apply:
            for event_type in event_types:
                self.add(event_type, Handler(apply, fetch))
            return apply

        return register

    def after_commit(self, *event_types: str) -> Callable[[FollowUp], FollowUp]:
        """Register a follow-up that runs once the event's handler committed:
        the place for the Stripe calls an event leads to. It must be
        idempotent: a failure fails the event, and Stripe's retry runs the
        handler and its follow-ups again."""
        for event_type in event_types:
            self._check(event_type)

        def register(hook: FollowUp) -> FollowUp:
            for event_type in event_types:
                self._after_commit.setdefault(event_type, []).append(hook)
            return hook

        return register

    def followups(self, event_type: str) -> tuple[FollowUp, ...]:
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
        self._after_commit.pop(event_type, None)

    def get(self, event_type: str) -> Handler | None:
        return self._handlers.get(event_type)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._handlers)


registry = Registry()
handles = registry.handles
after_commit = registry.after_commit
