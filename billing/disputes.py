"""Disputes: a payer contesting a payment with their bank.

Mirrored from ``charge.dispute.*`` with the dispute's state read from Stripe
by id. While a dispute is open, or once it is lost, the payment is
``disputed`` and cannot be refunded (the dispute decides what is returned);
a won dispute, or an inquiry closed without a chargeback, clears it. The
dispute row keeps what was contested, how it ended and when we learnt it. A lost dispute of a
credit pack takes its credits back (billing.credits).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from billing.changes import record_change, snapshot
from billing.credits import dispute_lost
from billing.mirroring import Newest, changes, ensure_unchanged, stamped
from billing.stripe_gateway import StripeGateway
from models.payments import DISPUTE_CLEARED, DISPUTE_CLOSED, Dispute, DisputeStatus, Payment


async def fetch_dispute(dispute_id: str, created: int, gateway: StripeGateway) -> Newest | None:
    """Fetch step: Stripe's dispute, if it is about one of our payments."""
    state = await gateway.retrieve_dispute(dispute_id)
    payment = await Payment.get_or_none(stripe_payment_intent_id=state.get("payment_intent"))
    if payment is None:
        return None
    row = await Dispute.get_or_none(stripe_dispute_id=dispute_id)
    return stamped(row, state, event_created=created, guard=payment)


async def apply_dispute(newest: Newest | None) -> None:
    """Write step, under the payment's lock."""
    if newest is None:
        return
    state = newest.state
    payment = await Payment.select_for_update().get_or_none(
        stripe_payment_intent_id=state["payment_intent"]
    )
    if payment is None:
        ensure_unchanged(payment, newest.seen)  # it existed when fetched: moved
        return
    status = DisputeStatus(state["status"])
    row = await Dispute.get_or_none(stripe_dispute_id=state["id"])
    closed_at = None
    if status in DISPUTE_CLOSED:
        decided = row.closed_at if row is not None else None
        closed_at = decided or datetime.fromtimestamp(newest.version, UTC)
    values: dict[str, Any] = {
        "amount": int(state["amount"]),
        "currency": str(state["currency"]),
        "status": status,
        "reason": str(state.get("reason") or "general"),
        "opened_at": datetime.fromtimestamp(int(state["created"]), UTC),
        "closed_at": closed_at,
        "stripe_version": newest.version,
    }
    disputed = status not in DISPUTE_CLEARED
    if (row is not None and not changes(row, values)) and payment.disputed == disputed:
        return
    ensure_unchanged(payment, newest.seen)
    if row is None:
        await Dispute.create(payment=payment, stripe_dispute_id=state["id"], **values)
    else:
        await row.update_from_dict(values).save()
    if status is DisputeStatus.LOST:
        await dispute_lost(payment)
    before = snapshot(payment)
    payment.disputed = disputed
    await payment.save(update_fields=["disputed", "updated_at"])
    await record_change(before, payment)
