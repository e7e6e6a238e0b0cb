"""Store, then apply: the one path every Stripe event takes.

The endpoint, ``webhooks replay`` and ``webhooks reconcile`` all go through
``ingest``/``apply``. The event row's unique Stripe id makes delivery
exactly-once; the handler and the "processed" mark commit in one
transaction, so a failure leaves no partial change and the event can be
applied again later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

import webhooks.handlers  # noqa: F401  (every path that applies events needs them registered)
from billing.api_version import readable
from billing.errors import BillingError
from billing.stripe_gateway import API_VERSION, StripeGateway
from models.webhooks import EventStatus, WebhookEvent
from webhooks.registry import Event, registry

log = logging.getLogger("billgraph.webhooks")

DONE = (EventStatus.PROCESSED, EventStatus.IGNORED)


class MalformedEvent(ValueError):
    """The body is not a Stripe event."""


@dataclass(frozen=True, slots=True)
class Outcome:
    status: EventStatus
    duplicate: bool = False
    error: str | None = None


# Any Unix time a datetime can hold (year 9999): a larger one would overflow
# the BIGINT column and every conversion after it.
MAX_CREATED = 253_402_300_799
# Stripe's events nest about 10 levels; one nested near the interpreter's
# recursion limit would parse, then fail to be stored (a 500, retried forever).
MAX_NESTING = 64


def _text(value: object, max_length: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_length


def _nesting_within(value: object, limit: int) -> bool:
    """No recursion: the point is to refuse what recursion can't handle."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth >= limit:
                return False
            pending.extend((child, depth + 1) for child in item)
    return True


def _fields(event: dict[str, Any]) -> dict[str, Any]:
    """The columns of the event row; an event that would not fit them is malformed."""
    data = event.get("data")
    created = event.get("created")
    api_version = event.get("api_version")
    checks = {
        "object": event.get("object") == "event",
        "data.object": isinstance(data, dict) and isinstance(data.get("object"), dict),
        "id": _text(event.get("id"), 255),
        "type": _text(event.get("type"), 100),
        "api_version": api_version is None or _text(api_version, 64),
        "created": type(created) is int and 0 <= created <= MAX_CREATED,
        f"nesting (at most {MAX_NESTING} levels)": _nesting_within(event, MAX_NESTING),
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise MalformedEvent(f"not a Stripe event: invalid {', '.join(wrong)}")
    return {
        "stripe_event_id": event["id"],
        "type": event["type"],
        "api_version": api_version,
        "created": created,
        "livemode": event.get("livemode") is True,
        "payload": event,
    }


async def store(event: dict[str, Any]) -> tuple[WebhookEvent, bool]:
    """Insert the event; on a duplicate return the stored row (and False)."""
    fields = _fields(event)
    try:
        return await WebhookEvent.create(**fields), True
    except IntegrityError:
        return await WebhookEvent.get(stripe_event_id=fields["stripe_event_id"]), False


async def ingest(event: dict[str, Any], gateway: StripeGateway) -> Outcome:
    row, inserted = await store(event)
    if not inserted and row.status in DONE:
        return Outcome(row.status, duplicate=True)
    return await apply(row, gateway)


def _describe(exc: Exception) -> str:
    if isinstance(exc, BillingError):
        return f"{exc.code.value}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"[:1000]


async def apply(row: WebhookEvent, gateway: StripeGateway) -> Outcome:
    """Run the event's handler once; record a failure for Stripe's retry."""
    handler = registry.get(row.type)
    now = datetime.now(UTC)
    if handler is None:
        await WebhookEvent.filter(id=row.id, status__not_in=DONE).update(
            status=EventStatus.IGNORED, processed_at=now
        )
        return Outcome(EventStatus.IGNORED)
    try:
        async with in_transaction():
            locked = await WebhookEvent.select_for_update().get(id=row.id)
            if locked.status in DONE:
                return Outcome(locked.status, duplicate=True)
            if locked.api_version and not readable(locked.api_version):
                raise ValueError(
                    f"event API version {locked.api_version} is not {API_VERSION}: "
                    "set the webhook endpoint's API version in Stripe, then replay"
                )
            payload = locked.payload
            data: dict[str, Any] = payload["data"]  # type: ignore[assignment]
            event = Event(
                id=locked.stripe_event_id,
                type=locked.type,
                created=locked.created,
                object=data["object"],
                previous_attributes=data.get("previous_attributes"),
                gateway=gateway,
            )
            await handler(event)
            await WebhookEvent.filter(id=row.id).update(
                status=EventStatus.PROCESSED,
                attempts=F("attempts") + 1,
                last_error=None,
                processed_at=now,
            )
        for followup in registry.followups(row.type):  # committed: Stripe calls allowed
            await followup(event)
    except Exception as exc:
        error = _describe(exc)
        log.exception("webhook %s (%s) failed: %s", row.stripe_event_id, row.type, error)
        await WebhookEvent.filter(id=row.id).update(
            status=EventStatus.FAILED, attempts=F("attempts") + 1, last_error=error
        )
        return Outcome(EventStatus.FAILED, error=error)
    return Outcome(EventStatus.PROCESSED)
