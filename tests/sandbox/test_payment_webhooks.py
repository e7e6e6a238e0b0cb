"""A payment's life as a webhook endpoint sees it: signed events, in order, today's shapes."""

import pytest
import stripe

from sandbox.process import SandboxProcess
from sandbox.versioning import API_VERSION
from tests.sandbox.conftest import Receiver, call_helper


async def test_payment_decline_retry_refund_and_dispute_are_delivered_in_order(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    intent = await client.v1.payment_intents.create_async(
        params={"amount": 1500, "currency": "usd", "customer": customer.id}
    )
    with pytest.raises(stripe.CardError):
        await call_helper(
            client, f"payment_intents/{intent.id}/confirm", payment_method="pm_card_chargeDeclined"
        )
    paid = await call_helper(
        client, f"payment_intents/{intent.id}/confirm", payment_method="pm_card_visa"
    )
    refund = await client.v1.refunds.create_async(
        params={"payment_intent": intent.id, "amount": 500}
    )
    await call_helper(client, f"charges/{paid.latest_charge}/dispute")
    await sandbox_server.drain_async()

    events = receiver.events()  # each verified against its Stripe-Signature
    assert [e.type for e in events] == [
        "customer.created",
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
        "charge.succeeded",
        "payment_intent.succeeded",
        "refund.created",
        "charge.refunded",
        "charge.dispute.created",
    ]
    assert {e.api_version for e in events} == {API_VERSION}
    by_type = {e.type: e.data.object for e in events}
    failed = by_type["payment_intent.payment_failed"]
    assert failed["status"] == "requires_payment_method"
    assert failed["last_payment_error"]["message"] == "Your card was declined."
    assert failed["last_payment_error"]["decline_code"] == "generic_decline"
    succeeded = by_type["payment_intent.succeeded"]
    assert succeeded["status"] == "succeeded"
    assert succeeded["latest_charge"] == paid.latest_charge
    assert succeeded["last_payment_error"] is None
    assert by_type["charge.succeeded"]["payment_intent"] == intent.id
    assert by_type["refund.created"]["id"] == refund.id
    assert by_type["charge.refunded"]["amount_refunded"] == 500
    assert by_type["charge.refunded"]["refunded"] is False
    assert by_type["charge.dispute.created"]["charge"] == paid.latest_charge
