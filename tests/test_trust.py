"""A correctly signed event is only as trustworthy as the webhook secret.

Each event here is forged by someone holding the secret: signed as Stripe
signs, but about an object Stripe doesn't have, or claiming a state Stripe
doesn't agree with. Where money or access depends on it, billgraph reads
the object from Stripe: nothing is granted, and the event is recorded as
failed with the reason.
"""

from __future__ import annotations

from typing import Any

from models.catalog import PlanPrice
from models.payments import Dispute, Payment, PaymentStatus, Refund
from models.subscriptions import Subscription
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, stripe_get
from tests.test_payments import confirm, create
from tests.test_subscriptions import plan_of
from tests.test_webhooks import deliver, event


async def refused(server: LiveServer, forged: dict[str, Any]) -> str:
    """Deliver ``forged``: a 500 (so a real event would be retried), the event
    FAILED; its recorded reason."""
    answer = await deliver(server, forged)
    assert answer.status_code == 500, answer.text
    row = await WebhookEvent.get(stripe_event_id=forged["id"])
    assert row.status == EventStatus.FAILED
    return row.last_error or ""


async def test_a_forged_success_of_a_real_payment_changes_nothing(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop)
    intent_id = created["payment"]["stripePaymentIntentId"]
    intent = await stripe_get(sandbox, f"/v1/payment_intents/{intent_id}")
    assert intent["status"] == "requires_payment_method"

    claim = {**intent, "status": "succeeded", "amount_received": intent["amount"]}
    reason = await refused(shop, event("payment_intent.succeeded", claim))

    assert reason == (
        f"payment_intent {intent_id} is requires_payment_method in Stripe, not succeeded"
    )
    payment = await Payment.get(stripe_payment_intent_id=intent_id)
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT_METHOD


async def test_a_forged_payment_stripe_does_not_know_is_refused(shop: LiveServer) -> None:
    forged = {"id": "pi_forged", "object": "payment_intent", "status": "succeeded"}
    reason = await refused(shop, event("payment_intent.succeeded", forged))
    assert reason == "payment_intent pi_forged not found in Stripe"


async def test_a_forged_subscription_grants_no_plan(shop: LiveServer, sandbox) -> None:
    row = await PlanPrice.get(plan_id="premium", interval="month", active=True)
    premium = await stripe_get(sandbox, f"/v1/prices/{row.stripe_price_id}")
    forged = {
        "id": "sub_forged",
        "object": "subscription",
        "status": "active",
        "customer": "cus_forged",
        "metadata": {"user_id": "mallory"},
        "cancel_at_period_end": False,
        "items": {
            "data": [
                {"price": premium, "current_period_start": 1, "current_period_end": 4102444800}
            ]
        },
    }
    for kind in ("customer.subscription.created", "customer.subscription.updated"):
        reason = await refused(shop, event(kind, forged))
        assert reason == "subscription sub_forged not found in Stripe"
    assert not await Subscription.exists()
    assert await plan_of("mallory") == "free"


async def test_forged_refunds_disputes_and_invoices_record_nothing(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop)
    intent_id = created["payment"]["stripePaymentIntentId"]
    await confirm(sandbox, intent_id, "pm_card_visa")
    about_ours = {"payment_intent": intent_id, "amount": 2500, "currency": "usd"}
    forged = {
        "refund.created": {"id": "re_forged", "object": "refund", **about_ours},
        "charge.dispute.created": {"id": "dp_forged", "object": "dispute", **about_ours},
        "invoice.paid": {
            "id": "in_forged",
            "object": "invoice",
            "status": "paid",
            "parent": {"subscription_details": {"subscription": "sub_x", "metadata": {}}},
            "payments": {
                "data": [
                    {
                        "status": "paid",
                        "amount_paid": 100,
                        "payment": {"type": "payment_intent", "payment_intent": "pi_forged"},
                    }
                ]
            },
        },
    }
    for kind, obj in forged.items():
        reason = await refused(shop, event(kind, obj))
        assert reason == f"{obj['object']} {obj['id']} not found in Stripe"
    payment = await Payment.get(stripe_payment_intent_id=intent_id)
    assert (payment.status, payment.amount_refunded, payment.disputed) == (
        PaymentStatus.SUCCEEDED,
        0,
        False,
    )
    assert not await Refund.exists()
    assert not await Dispute.exists()
    assert await Payment.all().count() == 1  # no payment made up for the invoice
