"""Store, then apply: the one path every Stripe event takes.

The endpoint, ``webhooks replay`` and ``webhooks reconcile`` all go through
``ingest``/``apply``. The event row's unique Stripe id makes delivery
exactly-once; the handler and the "processed" mark commit in one
transaction (for an event with follow-ups, the mark waits for them), so a
failure leaves no partial change and the event can be applied again later.
Stripe is asked before the transaction opens (see webhooks.registry), never
while it is open.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

import webhooks.handlers  # noqa: F401  (every path that applies events needs them registered)
from billing.api_version import readable
from billing.audit import AuditNote
from billing.errors import BillingError
from billing.mirroring import EventContradicted, VersionMoved
from billing.stripe_gateway import API_VERSION, StripeGateway, StripeObjectMissing
from models.webhooks import EventStatus, WebhookEvent
from webhooks import store
from webhooks.registry import Event, Handler, registry

log = logging.getLogger("billgraph.webhooks")

DONE = (EventStatus.PROCESSED, EventStatus.IGNORED)
# Events refused because Stripe doesn't confirm them: one line, no traceback.
_REFUSED = (StripeObjectMissing, EventContradicted)


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


async def ingest(event: dict[str, Any], gateway: StripeGateway) -> Outcome:
    """Store the event and apply it. A type without a handler is stored as
    ignored in its one INSERT; a duplicate reads only the stored status unless
    it must be applied again (a failed or interrupted delivery)."""
    fields = _fields(event)
    if registry.get(fields["type"]) is None:
        fields.update(status=EventStatus.IGNORED, processed_at=datetime.now(UTC))
    row, stored = await store.insert(fields)
    if stored in DONE:
        return Outcome(EventStatus(stored), duplicate=True)
    if stored is not None:
        row = await WebhookEvent.get(stripe_event_id=fields["stripe_event_id"])
        return await apply(row, gateway)
    if row.status is EventStatus.IGNORED:
        return Outcome(EventStatus.IGNORED)
    return await apply(row, gateway)


def _describe(exc: Exception) -> str:
    if isinstance(exc, BillingError):
        return f"{exc.code.value}: {exc.message}"
    if isinstance(exc, _REFUSED):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"[:1000]


def _event(row: WebhookEvent) -> Event:
    data: dict[str, Any] = row.payload["data"]  # type: ignore[assignment]
    return Event(
        id=row.stripe_event_id,
        type=row.type,
        created=row.created,
        object=data["object"],
        previous_attributes=data.get("previous_attributes"),
    )


async def _fetch_then_write(
    row: WebhookEvent, handler: Handler, gateway: StripeGateway, done: _Done | None
) -> Outcome:
    """Fetch from Stripe, then lock and write in one transaction (with the
    processed mark, ``done``, unless follow-ups must run first). When a
    mirrored row moved in between, once more."""
    event = _event(row)
    try:
        return await _write(row, handler, event, await handler.fetch(event, gateway), done)
    except VersionMoved:
        log.info("webhook %s: the object moved while fetching; again", row.stripe_event_id)
        return await _write(row, handler, event, await handler.fetch(event, gateway), done)


async def _write(
    row: WebhookEvent, handler: Handler, event: Event, fetched: object, done: _Done | None
) -> Outcome:
    async with in_transaction():
        if done is None:  # follow-ups run first: only lock, the mark comes after them
            claimed = (await WebhookEvent.select_for_update().get(id=row.id)).status not in DONE
        else:  # one UPDATE locks, checks and marks it processed with the writes
            claimed = await store.claim(row.id)
        if not claimed:
            stored: Any = (
                await WebhookEvent.filter(id=row.id).first().values_list("status", flat=True)
            )
            return Outcome(EventStatus(stored), duplicate=True)
        await handler.apply(event, fetched)
        if done is not None and done.audit is not None:
            await done.audit.record()
    return Outcome(EventStatus.PROCESSED)


@dataclass(frozen=True, slots=True)
class _Done:
    """The processed mark, and the administrator's replay it answers (``audit``),
    written in one transaction: the log never claims a replay that failed."""

    audit: AuditNote | None

    async def mark(self, row: WebhookEvent) -> None:
        if self.audit is not None:
            await self.audit.record()
        await WebhookEvent.filter(id=row.id).update(
            status=EventStatus.PROCESSED,
            attempts=F("attempts") + 1,
            last_error=None,
            processed_at=datetime.now(UTC),
        )


async def _fail(row: WebhookEvent, exc: Exception) -> Outcome:
    error = _describe(exc)
    if isinstance(exc, _REFUSED):
        log.warning("webhook %s (%s) failed: %s", row.stripe_event_id, row.type, error)
    else:
        log.exception("webhook %s (%s) failed: %s", row.stripe_event_id, row.type, error)
    await WebhookEvent.filter(id=row.id).update(
        status=EventStatus.FAILED,
        attempts=F("attempts") + 1,
        last_error=error,
    )
    return Outcome(EventStatus.FAILED, error=error)


async def apply(
    row: WebhookEvent, gateway: StripeGateway, audit: AuditNote | None = None
) -> Outcome:
    """Run the event's handler once; record a failure for Stripe's retry.
    ``audit``: an administrator's replay, logged with the processed mark.
    An event with follow-ups is marked processed only once they ran, so a
    failed follow-up (or a crash before it) leaves the event to retry."""
    handler = registry.get(row.type)
    if handler is None:
        await WebhookEvent.filter(id=row.id, status__not_in=DONE).update(
            status=EventStatus.IGNORED, processed_at=datetime.now(UTC)
        )
        return Outcome(EventStatus.IGNORED)
    try:
        if row.api_version and not readable(row.api_version):
            raise ValueError(
                f"event API version {row.api_version} is not {API_VERSION}: "
                "set the webhook endpoint's API version in Stripe, then replay"
            )
        followups = registry.followups(row.type)
        done = _Done(audit)
        outcome = await _fetch_then_write(row, handler, gateway, None if followups else done)
    except Exception as exc:
        return await _fail(row, exc)
    if outcome.duplicate or not followups:
        return outcome
    try:
        for followup in followups:  # committed: Stripe calls allowed
            await followup(_event(row), gateway)
        async with in_transaction():
            await done.mark(row)
    except Exception as exc:
        # Committed, but what must follow did not happen: Stripe's retry runs
        # the handler (idempotent) and its follow-ups again.
        return await _fail(row, exc)
    return outcome
