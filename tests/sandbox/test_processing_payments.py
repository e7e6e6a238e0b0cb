"""Payments that stay processing until the settle helper plays the bank: on their own and
paying a subscription's first invoice."""

import pytest
import stripe

from sandbox.process import SandboxProcess
from tests.sandbox.billing import customer_paying_with, event_types, monthly_price
from tests.sandbox.conftest import Receiver, call_helper


async def _processing(client: stripe.StripeClient) -> stripe.PaymentIntent:
    intent = await client.v1.payment_intents.create_async(
        params={"amount": 2000, "currency": "usd"}
    )
    processing = await call_helper(
        client, f"payment_intents/{intent.id}/confirm", payment_method="pm_card_processing"
    )
    assert processing.status == "processing"
    return processing


async def test_processing_then_succeeded(client: stripe.StripeClient) -> None:
    intent = await _processing(client)
    pending = await client.v1.charges.retrieve_async(str(intent.latest_charge))
    assert (pending.status, pending.paid, pending.balance_transaction) == ("pending", False, None)
    assert intent.amount_received == 0
    assert await event_types(client) == [
        "payment_intent.created",
        "charge.pending",
        "payment_intent.processing",
    ]

    settled = await call_helper(client, f"payment_intents/{intent.id}/settle")
    assert settled.status == "succeeded"
    assert settled.amount_received == 2000
    charge = await client.v1.charges.retrieve_async(str(intent.latest_charge))
    assert (charge.status, charge.paid, charge.amount_captured) == ("succeeded", True, 2000)
    assert charge.balance_transaction is not None
    assert (await event_types(client))[3:] == ["charge.succeeded", "payment_intent.succeeded"]

    with pytest.raises(stripe.InvalidRequestError) as again:
        await call_helper(client, f"payment_intents/{intent.id}/settle")
    assert again.value.code == "payment_intent_unexpected_state"


async def test_processing_then_failed(client: stripe.StripeClient) -> None:
    intent = await _processing(client)
    failed = await call_helper(client, f"payment_intents/{intent.id}/settle", success=False)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error is not None
    assert failed.last_payment_error.code == "card_declined"
    charge = await client.v1.charges.retrieve_async(str(intent.latest_charge))
    assert (charge.status, charge.failure_code) == ("failed", "card_declined")
    assert (await event_types(client))[3:] == ["charge.failed", "payment_intent.payment_failed"]


async def test_processing_first_invoice_keeps_the_subscription_incomplete(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    customer = await customer_paying_with(client, "pm_card_processing")
    price = await monthly_price(client)
    await sandbox_server.drain_async()
    receiver.requests.clear()

    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    assert subscription.status == "incomplete"
    invoice = await client.v1.invoices.retrieve_async(
        str(subscription.latest_invoice), params={"expand": ["payments"]}
    )
    assert invoice.status == "open"
    with pytest.raises(stripe.InvalidRequestError, match="processing"):
        await client.v1.invoices.pay_async(invoice.id)
    assert invoice.payments is not None
    (payment,) = invoice.payments.data
    intent = payment.payment.payment_intent

    await call_helper(client, f"payment_intents/{intent}/settle")
    await sandbox_server.drain_async()
    assert (await client.v1.subscriptions.retrieve_async(subscription.id)).status == "active"
    assert [e.type for e in receiver.events()] == [
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "charge.pending",
        "payment_intent.processing",
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice_payment.paid",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]
