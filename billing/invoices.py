"""Subscription invoices: a paid one shows in its owner's payment history.

Stripe pays a subscription invoice with a PaymentIntent of its own; the row
for it is a ``Payment`` like any one-time payment, marked with the invoice.
"""

from __future__ import annotations

import logging
from typing import Any

from billing.stripe_gateway import StripeGateway, StripeObject
from billing.subscriptions import object_id, user_of
from models.catalog import PlanPrice
from models.payments import Payment, PaymentStatus

log = logging.getLogger(__name__)

# States a PaymentIntent passes before it succeeds; a later state (refunded,
# disputed ...) already written by a newer event must stay.
_BEFORE_SUCCESS = (
    PaymentStatus.REQUIRES_PAYMENT_METHOD,
    PaymentStatus.REQUIRES_CONFIRMATION,
    PaymentStatus.REQUIRES_ACTION,
    PaymentStatus.PROCESSING,
    PaymentStatus.FAILED,
)


def subscription_of(invoice: StripeObject) -> str | None:
    """The subscription an invoice bills (API 2025+: under ``parent``)."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return object_id(details.get("subscription"))


async def _payments(invoice: StripeObject, gateway: StripeGateway) -> list[dict[str, Any]]:
    listed = invoice.get("payments")
    if listed is None:  # includable: an event may come without it
        return await gateway.invoice_payments(invoice["id"])
    return list(listed.get("data") or [])


async def _plan_name(invoice: StripeObject) -> str | None:
    for line in (invoice.get("lines") or {}).get("data") or []:
        details = (line.get("pricing") or {}).get("price_details") or {}
        row = await PlanPrice.get_or_none(
            stripe_price_id=object_id(details.get("price"))
        ).select_related("plan")
        if row is not None:
            return row.plan.name
    return None


def paid_invoice_payment(payments: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The invoice payment made by a PaymentIntent that paid (none for a trial)."""
    return next(
        (
            p
            for p in payments
            if p.get("status") == "paid"
            and (p.get("payment") or {}).get("type") == "payment_intent"
        ),
        None,
    )


async def record_invoice_payment(invoice: StripeObject, gateway: StripeGateway) -> None:
    """invoice.paid of a subscription invoice: upsert the Payment of the
    PaymentIntent that paid it (trial invoices cost nothing and have none)."""
    paid = paid_invoice_payment(await _payments(invoice, gateway))
    if paid is None:
        return
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    user_id = await user_of(details.get("metadata"), invoice.get("customer"))
    if user_id is None:
        log.info("invoice %s belongs to no known user; ignored", invoice["id"])
        return
    intent_id = object_id(paid["payment"]["payment_intent"])
    row = await Payment.select_for_update().get_or_none(stripe_payment_intent_id=intent_id)
    description = await _plan_name(invoice)
    if row is None:
        await Payment.create(
            user_id=user_id,
            stripe_payment_intent_id=intent_id,
            stripe_invoice_id=invoice["id"],
            amount=paid.get("amount_paid") or invoice["amount_paid"],
            currency=paid.get("currency") or invoice["currency"],
            status=PaymentStatus.SUCCEEDED,
            description=description,
        )
        return
    row.stripe_invoice_id = invoice["id"]
    row.description = row.description or description
    if row.status in _BEFORE_SUCCESS:
        row.status = PaymentStatus.SUCCEEDED
    await row.save(update_fields=["stripe_invoice_id", "description", "status", "updated_at"])
