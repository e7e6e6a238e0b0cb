"""One-time payments, their refunds and disputes."""

from __future__ import annotations

from billing.payments import apply_dispute_event, apply_payment_intent_event
from billing.refunds import apply_charge_refunded, apply_refund_event
from webhooks.registry import Event, handles


@handles(
    "payment_intent.succeeded",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
)
async def payment_intent_changed(event: Event) -> None:
    await apply_payment_intent_event(event.object, event.created, event.gateway)


@handles("refund.created", "refund.updated", "refund.failed")
async def refund_changed(event: Event) -> None:
    await apply_refund_event(event.object, event.created, event.gateway)


@handles("charge.refunded")
async def charge_refunded(event: Event) -> None:
    await apply_charge_refunded(event.object, event.created, event.gateway)


@handles("charge.dispute.created")
async def dispute_created(event: Event) -> None:
    await apply_dispute_event(event.object)
