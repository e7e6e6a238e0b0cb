"""Recovery after an outage or a bug: replay stored events (all, or one an
administrator picks), or fetch the ones never received from Stripe's event
list (kept 30 days).

Both go through the same store-then-apply path as live deliveries, so running
either twice applies nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from billing.audit import AuditNote
from billing.errors import BillingError, ErrorCode
from billing.event_log import Replayed, require_admin, stored_event
from billing.stripe_gateway import StripeGateway
from billing.subscriptions import user_of
from billing.tokens import Caller
from models.webhooks import EventStatus, WebhookEvent
from webhooks.pipeline import DONE, apply, ingest

Progress = Callable[[str], None]


async def replay(
    gateway: StripeGateway,
    *,
    failed_only: bool = False,
    since: datetime | None = None,
    event_id: str | None = None,
    progress: Progress = print,
) -> Counter[str]:
    """Re-apply stored events that are not done (received or failed)."""
    statuses = [EventStatus.FAILED] if failed_only else [EventStatus.FAILED, EventStatus.RECEIVED]
    query = WebhookEvent.filter(status__in=statuses)
    if since is not None:
        query = query.filter(created__gte=int(since.timestamp()))
    if event_id is not None:
        query = query.filter(stripe_event_id=event_id)
    summary: Counter[str] = Counter()
    for row in await query.order_by("created", "received_at"):
        outcome = await apply(row, gateway)
        summary[outcome.status.value] += 1
        progress(f"{row.stripe_event_id} {row.type}: {outcome.status.value}")
    return summary


async def reconcile(
    gateway: StripeGateway, *, since: datetime, progress: Progress = print
) -> Counter[str]:
    """Apply every event Stripe sent since ``since`` that we never stored."""
    missing: list[dict[str, object]] = []
    summary: Counter[str] = Counter()
    async for event in gateway.list_events(int(since.timestamp())):
        if await WebhookEvent.exists(stripe_event_id=event["id"]):
            summary["already stored"] += 1
        else:
            missing.append(event)
    # Stripe lists newest first; apply in the order things happened.
    for event in sorted(missing, key=lambda e: (int(str(e["created"])), str(e["id"]))):
        outcome = await ingest(event, gateway)
        summary[outcome.status.value] += 1
        progress(f"{event['id']} {event['type']}: {outcome.status.value}")
    return summary


async def replay_event(caller: Caller, event_id: str, gateway: StripeGateway) -> Replayed:
    """An administrator re-applies one stored event through the pipeline; one
    already processed (or ignored) is left as it is. The log names the user
    the event's object belongs to, when it is one of ours."""
    require_admin(caller)
    row = await stored_event(event_id)
    if row.status not in DONE:
        about: dict[str, Any] = row.payload["data"]["object"]  # type: ignore[index]
        note = AuditNote(
            caller,
            "replayWebhookEvent",
            await user_of(about.get("metadata"), about.get("customer")),
            {"id": str(row.id), "stripeEventId": row.stripe_event_id, "type": row.type},
        )
        outcome = await apply(row, gateway, note)
        row = await WebhookEvent.get(id=row.id)
        if outcome.status is not EventStatus.FAILED:
            return Replayed(row)
        message = f"The event failed again ({row.last_error}); fix the cause, then replay it."
    else:
        message = (
            f"Event {row.stripe_event_id} is already {row.status.value}: replaying it does nothing."
        )
    return Replayed(row, BillingError(ErrorCode.INVALID_INPUT, message, "id"))
