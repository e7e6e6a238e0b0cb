"""One-time payments, their refunds and disputes: each is read from Stripe by
id before anything is written (a payment marked succeeded, a refund or a
dispute recorded), never taken from the event's payload."""

from __future__ import annotations

from billing.disputes import apply_dispute, fetch_dispute
from billing.mirroring import Newest
from billing.payments import apply_payment_intent, fetch_payment_intent
from billing.refunds import apply_refunds, fetch_charge_refunds, fetch_refund
from billing.stripe_gateway import StripeGateway
from webhooks.registry import Event, handles


async def _intent(event: Event, gateway: StripeGateway) -> Newest | None:
    # A succeeded PaymentIntent stays succeeded: Stripe must say so too.
    claimed = "succeeded" if event.type == "payment_intent.succeeded" else None
    return await fetch_payment_intent(event.object_id, event.created, claimed, gateway)


@handles(
    "payment_intent.succeeded",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    fetch=_intent,
)
async def payment_intent_changed(event: Event, intent: Newest | None) -> None:
    await apply_payment_intent(intent)


async def _refund(event: Event, gateway: StripeGateway) -> tuple[Newest, ...]:
    return await fetch_refund(event.object_id, event.created, gateway)


@handles("refund.created", "refund.updated", "refund.failed", fetch=_refund)
async def refund_changed(event: Event, refunds: tuple[Newest, ...]) -> None:
    await apply_refunds(refunds)


async def _charge_refunds(event: Event, gateway: StripeGateway) -> tuple[Newest, ...]:
    return await fetch_charge_refunds(event.object_id, event.created, gateway)


@handles("charge.refunded", fetch=_charge_refunds)
async def charge_refunded(event: Event, refunds: tuple[Newest, ...]) -> None:
    await apply_refunds(refunds)


async def _dispute(event: Event, gateway: StripeGateway) -> Newest | None:
    return await fetch_dispute(event.object_id, event.created, gateway)


@handles(
    "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed", fetch=_dispute
)
async def dispute_changed(event: Event, dispute: Newest | None) -> None:
    await apply_dispute(dispute)
