"""Subscription invoices: a paid one shows in its owner's payment history.

Stripe pays a subscription invoice with a PaymentIntent of its own; the row
for it is a ``Payment`` like any one-time payment, marked with the invoice.
The invoice is read from Stripe (``payments`` expanded): an event's invoice
lacks its payments and is not trusted where money is recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from billing.mirroring import Newest, VersionMoved, changes
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.subscriptions import apply_subscription, fetch_subscription, object_id, user_of
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


async def _plan_name(invoice: StripeObject) -> str | None:
    for line in (invoice.get("lines") or {}).get("data") or []:
        details = (line.get("pricing") or {}).get("price_details") or {}
        row = await PlanPrice.get_or_none(
            stripe_price_id=object_id(details.get("price"))
        ).select_related("plan")
        if row is not None:
            return row.plan.name
    return None


def paid_intent(invoice: StripeObject) -> tuple[str, dict[str, Any]] | None:
    """The PaymentIntent that paid the invoice and its invoice payment. None
    for an invoice paid without one: nothing to pay (a trial), or paid out
    of band (no ``payment_intent``)."""
    for paid in (invoice.get("payments") or {}).get("data") or []:
        payment = paid.get("payment") or {}
        intent_id = object_id(payment.get("payment_intent"))
        if paid.get("status") == "paid" and payment.get("type") == "payment_intent" and intent_id:
            return intent_id, paid
    return None


@dataclass(frozen=True, slots=True)
class PaidInvoice:
    invoice: StripeObject
    subscription: Newest | None


async def fetch_paid_invoice(
    invoice_id: str, created: int, gateway: StripeGateway
) -> PaidInvoice | None:
    """Fetch step of invoice.paid: the invoice as Stripe has it, with its
    payments (an includable field events don't carry), and its subscription."""
    invoice = await gateway.retrieve_invoice(invoice_id)
    subscription = subscription_of(invoice)
    if subscription is None or invoice.get("status") != "paid":
        return None
    return PaidInvoice(invoice, await fetch_subscription(subscription, created, gateway))


async def apply_paid_invoice(paid: PaidInvoice | None) -> None:
    """Write step: the payment joins the history, the subscription (renewed,
    or recovered from past_due) is mirrored."""
    if paid is None:
        return
    await _record_payment(paid.invoice)
    await apply_subscription(paid.subscription)


async def _record_payment(invoice: StripeObject) -> None:
    """Upsert the Payment of the PaymentIntent that paid the invoice."""
    found = paid_intent(invoice)
    if found is None:
        return
    intent_id, paid = found
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    user_id = await user_of(details.get("metadata"), invoice.get("customer"))
    if user_id is None:
        log.info("invoice %s belongs to no known user; ignored", invoice["id"])
        return
    row = await Payment.select_for_update().get_or_none(stripe_payment_intent_id=intent_id)
    description = await _plan_name(invoice)
    if row is None:
        try:
            await Payment.create(
                user_id=user_id,
                stripe_payment_intent_id=intent_id,
                stripe_invoice_id=invoice["id"],
                amount=paid.get("amount_paid") or invoice["amount_paid"],
                currency=paid.get("currency") or invoice["currency"],
                status=PaymentStatus.SUCCEEDED,
                description=description,
            )
        except IntegrityError:
            raise VersionMoved(
                f"payment of invoice {invoice['id']} was inserted meanwhile"
            ) from None
        return
    values = {
        "stripe_invoice_id": invoice["id"],
        "description": row.description or description,
        "status": PaymentStatus.SUCCEEDED if row.status in _BEFORE_SUCCESS else row.status,
    }
    if changes(row, values):
        await row.update_from_dict(values).save(update_fields=[*values, "updated_at"])
