"""The log of Stripe events as administrators see it, and what replaying one
answers. The replay itself runs in webhooks/ (the pipeline), which the
composition root hands to the API as a ``Replayer``."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from billing.errors import BillingError, ErrorCode
from billing.pagination import Page, paginate
from billing.tokens import Caller
from models.webhooks import EventStatus, WebhookEvent


def require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "The event log is for administrators.")


async def list_webhook_events(
    caller: Caller,
    status: EventStatus | None,
    event_type: str | None,
    first: int | None,
    after: str | None,
) -> Page[WebhookEvent]:
    """Newest received first (one query for the count, one for the page)."""
    require_admin(caller)
    query = WebhookEvent.all()
    if status is not None:
        query = query.filter(status=status)
    if event_type is not None:
        query = query.filter(type=event_type)
    return await paginate(query, first, after, by="received_at")


async def stored_event(event_id: str) -> WebhookEvent:
    try:
        key = uuid.UUID(event_id)
    except ValueError:
        key = None
    row = await WebhookEvent.get_or_none(id=key) if key else None
    if row is None:
        raise BillingError(ErrorCode.NOT_FOUND, "No such webhook event.", "id")
    return row


@dataclass(frozen=True, slots=True)
class Replayed:
    """The event after a replay; ``error`` says why nothing was applied."""

    event: WebhookEvent
    error: BillingError | None = None


Replayer = Callable[[Caller, str], Awaitable[Replayed]]
