"""A subscription's life as a webhook endpoint sees it: checkout, a paid renewal and a
declined one, signed, in order, in today's shapes."""

import stripe

from sandbox.process import SandboxProcess
from tests.sandbox.billing import PAID_INVOICE_EVENTS, monthly_price
from tests.sandbox.conftest import Receiver, call_helper


async def test_checkout_and_renewals_are_delivered(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    price = await monthly_price(client)
    session = await client.v1.checkout.sessions.create_async(
        params={
            "mode": "subscription",
            "line_items": [{"price": price.id, "quantity": 1}],
            "customer_email": "a@example.com",
            "client_reference_id": "user-1",
            "success_url": "https://app.example.com/ok",
            "subscription_data": {"metadata": {"user_id": "user-1"}},
        }
    )
    completed = await call_helper(client, f"checkout/sessions/{session.id}/complete")
    subscription_id = completed.subscription
    await call_helper(client, f"subscriptions/{subscription_id}/advance")
    failing = await client.v1.payment_methods.attach_async(
        "pm_card_chargeCustomerFail", params={"customer": completed.customer}
    )
    await client.v1.subscriptions.update_async(
        subscription_id, params={"default_payment_method": failing.id}
    )
    await call_helper(client, f"subscriptions/{subscription_id}/advance")
    await sandbox_server.drain_async()

    events = receiver.events()  # each verified against its Stripe-Signature
    types = [e.type for e in events]
    assert types[:2] == ["product.created", "price.created"]
    checkout = types[
        types.index("customer.created") : types.index("checkout.session.completed") + 1
    ]
    assert checkout == [
        "customer.created",
        "payment_method.attached",
        "customer.subscription.created",
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
        "checkout.session.completed",
    ]
    completed_event = events[types.index("checkout.session.completed")].data.object
    assert completed_event["client_reference_id"] == "user-1"
    assert completed_event["subscription"] == subscription_id
    assert completed_event["status"] == "complete"

    paid = [e.data.object for e in events if e.type == "invoice.paid"]
    assert [i["billing_reason"] for i in paid] == ["subscription_create", "subscription_cycle"]
    renewal = paid[1]
    assert renewal["parent"]["subscription_details"]["subscription"] == subscription_id
    assert renewal["parent"]["subscription_details"]["metadata"]["user_id"] == "user-1"
    assert renewal["lines"]["data"][0]["pricing"]["price_details"]["price"] == price.id
    assert renewal["amount_paid"] == 1000
    assert "payments" not in renewal  # includable: only when expanded, never in events

    (declined,) = [e.data.object for e in events if e.type == "invoice.payment_failed"]
    assert declined["status"] == "open"
    assert declined["amount_remaining"] == 1000
    updates = [e for e in events if e.type == "customer.subscription.updated"]
    renewed, changed_card, overdue = updates[1:]
    renewed_items = renewed.data.object["items"]["data"]
    old_items = renewed.data.previous_attributes["items"]["data"]
    assert renewed_items[0]["current_period_start"] == old_items[0]["current_period_end"]
    assert changed_card.data.previous_attributes["default_payment_method"] is not None
    assert overdue.data.object["status"] == "past_due"
    assert overdue.data.previous_attributes["status"] == "active"
    assert types[-1] == "customer.subscription.updated"
