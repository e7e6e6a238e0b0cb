"""Subscription invoices: every payment of one shows in its owner's payment
history, a paid one as succeeded, a declined renewal as failed with its
reason.

Stripe pays a subscription invoice with a PaymentIntent of its own; the row
for it is a ``Payment`` like any one-time payment, marked with the invoice.
The invoice is read from Stripe (``payments`` expanded): an event's invoice
lacks its payments and is not trusted where money is recorded. A paid
period of a plan with ``creditsPerPeriod`` grants them (billing.credits).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from billing.changes import record_change, snapshot
from billing.credits import grant_plan_credits
from billing.mirroring import Newest, VersionMoved, changes
from billing.payments import failure_message, payment_status
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.subscriptions import apply_subscription, fetch_subscription, object_id, user_of
from models.catalog import PlanPrice
from models.payments import Payment, PaymentPurpose, PaymentStatus

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
    return _intent_of(invoice, ("paid",))


def _intent_of(
    invoice: StripeObject, statuses: tuple[str, ...]
) -> tuple[str, dict[str, Any]] | None:
    """The first PaymentIntent among the invoice's payments in ``statuses``."""
    for paid in (invoice.get("payments") or {}).get("data") or []:
        payment = paid.get("payment") or {}
        intent_id = object_id(payment.get("payment_intent"))
        if paid.get("status") in statuses and payment.get("type") == "payment_intent" and intent_id:
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
    found = paid_intent(paid.invoice)
    if found is not None:
        intent_id, payment = found
        amount = payment.get("amount_paid") or paid.invoice["amount_paid"]
        await _record_payment(paid.invoice, intent_id, amount, PaymentStatus.SUCCEEDED, None)
        await _grant_period_credits(paid.invoice)
    await apply_subscription(paid.subscription)


async def _grant_period_credits(invoice: StripeObject) -> None:
    """The plan's ``creditsPerPeriod`` for the period the invoice charged (its
    first line for a plan price that is not a proration: an upgrade's
    prorations grant nothing), expiring at that period's end; keyed by the
    invoice, so a redelivered or replayed invoice.paid grants nothing."""
    for line in (invoice.get("lines") or {}).get("data") or []:
        item = (line.get("parent") or {}).get("subscription_item_details") or {}
        details = (line.get("pricing") or {}).get("price_details") or {}
        if item.get("proration") or not line.get("amount"):
            continue
        price = await PlanPrice.get_or_none(
            stripe_price_id=object_id(details.get("price"))
        ).select_related("plan")
        if price is None or price.plan.credits_per_period <= 0:
            continue
        details_of = (invoice.get("parent") or {}).get("subscription_details") or {}
        user_id = await user_of(details_of.get("metadata"), invoice.get("customer"))
        if user_id is not None:
            await grant_plan_credits(
                user_id,
                str(invoice["id"]),
                price.plan.credits_per_period,
                datetime.fromtimestamp(int(line["period"]["end"]), UTC),
                price.plan.name,
            )
        return


@dataclass(frozen=True, slots=True)
class FailedInvoice:
    invoice: StripeObject
    intent: StripeObject | None
    subscription: Newest | None


async def fetch_failed_invoice(
    invoice_id: str, created: int, gateway: StripeGateway
) -> FailedInvoice | None:
    """Fetch step of invoice.payment_failed: the invoice, the PaymentIntent
    of the attempt (its ``last_payment_error`` says why) and the subscription."""
    invoice = await gateway.retrieve_invoice(invoice_id)
    subscription = subscription_of(invoice)
    if subscription is None:
        return None
    found = _intent_of(invoice, ("open", "paid"))
    intent = await gateway.retrieve_payment_intent(found[0]) if found is not None else None
    return FailedInvoice(
        invoice, intent, await fetch_subscription(subscription, created, gateway, skip_missing=True)
    )


async def apply_failed_invoice(failed: FailedInvoice | None) -> None:
    """Write step: the attempt joins the history as Stripe has it now (failed,
    unless a retry already succeeded), the subscription turns past_due."""
    if failed is None:
        return
    intent = failed.intent
    if intent is not None:
        status = payment_status(intent)
        message = failure_message(intent) if status == PaymentStatus.FAILED else None
        amount = int(intent.get("amount") or failed.invoice["amount_due"])
        await _record_payment(failed.invoice, str(intent["id"]), amount, status, message)
    await apply_subscription(failed.subscription)


async def _record_payment(
    invoice: StripeObject,
    intent_id: str,
    amount: int,
    status: PaymentStatus,
    message: str | None,
) -> None:
    """Upsert the Payment of a PaymentIntent of the invoice: a SUBSCRIPTION
    payment of the subscription the invoice bills."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    user_id = await user_of(details.get("metadata"), invoice.get("customer"))
    if user_id is None:
        log.info("invoice %s belongs to no known user; ignored", invoice["id"])
        return
    row = await Payment.select_for_update().get_or_none(stripe_payment_intent_id=intent_id)
    description = await _plan_name(invoice)
    if row is None:
        try:
            row = await Payment.create(
                user_id=user_id,
                stripe_payment_intent_id=intent_id,
                stripe_invoice_id=invoice["id"],
                stripe_subscription_id=subscription_of(invoice),
                purpose=PaymentPurpose.SUBSCRIPTION,
                amount=amount,
                currency=invoice["currency"],
                status=status,
                failure_message=message,
                description=description,
            )
        except IntegrityError:
            raise VersionMoved(
                f"payment of invoice {invoice['id']} was inserted meanwhile"
            ) from None
        await record_change(None, row)
        return
    moves = row.status in _BEFORE_SUCCESS
    values = {
        "stripe_invoice_id": invoice["id"],
        "stripe_subscription_id": subscription_of(invoice),
        "purpose": PaymentPurpose.SUBSCRIPTION,
        "description": row.description or description,
        "status": status if moves else row.status,
        "failure_message": message if moves else row.failure_message,
    }
    if changes(row, values):
        before = snapshot(row)
        await row.update_from_dict(values).save(update_fields=[*values, "updated_at"])
        await record_change(before, row)
