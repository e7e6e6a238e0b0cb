"""Events Stripe sends that the sandbox once skipped: ``charge.refund.updated`` with each
``refund.updated``, ``invoice_payment.paid``, and ``customer.subscription.trial_will_end``
three days before a trial ends (at once for a shorter trial or a trial ended now)."""

import time

import stripe

from tests.sandbox.billing import customer_paying_with, event_types, monthly_price
from tests.sandbox.conftest import call_helper


async def _events(client: stripe.StripeClient, type: str) -> list[stripe.Event]:
    return (await client.v1.events.list_async(params={"type": type, "limit": 100})).data


async def _trialing(client: stripe.StripeClient, **trial: object) -> stripe.Subscription:
    price = await monthly_price(client)
    customer = await customer_paying_with(client)
    return await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], **trial}
    )


async def test_a_refund_update_also_sends_charge_refund_updated(
    client: stripe.StripeClient,
) -> None:
    paid = await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    refund = await client.v1.refunds.create_async(params={"payment_intent": paid.id})
    await client.v1.refunds.update_async(refund.id, params={"metadata": {"ticket": "T-1"}})
    await call_helper(client, f"refunds/{refund.id}/fail")

    legacy = await _events(client, "charge.refund.updated")
    updated = await _events(client, "refund.updated")
    assert len(legacy) == len(updated) == 2
    for twin, event in zip(legacy, updated, strict=True):
        assert twin.data.object["object"] == "refund"
        assert twin.data.object == event.data.object
        assert twin.data.previous_attributes == event.data.previous_attributes
    assert legacy[0].data.object["status"] == "failed"
    assert legacy[1].data.previous_attributes.to_dict() == {"metadata": {"ticket": None}}


async def test_paying_an_invoice_sends_invoice_payment_paid(client: stripe.StripeClient) -> None:
    subscription = await _trialing(client)  # no trial: the first invoice is paid at once

    [event] = await _events(client, "invoice_payment.paid")
    payment = event.data.object
    assert payment["object"] == "invoice_payment"
    assert payment["invoice"] == subscription.latest_invoice
    assert payment["status"] == "paid"
    assert payment["amount_paid"] == 1000
    types = await event_types(client)
    assert types.index("invoice_payment.paid") < types.index("invoice.paid")


async def test_trial_will_end_comes_when_time_passes_three_days_before_the_end(
    client: stripe.StripeClient,
) -> None:
    subscription = await _trialing(client, trial_period_days=14)
    assert await _events(client, "customer.subscription.trial_will_end") == []

    await call_helper(client, f"subscriptions/{subscription.id}/advance")

    [notice] = await _events(client, "customer.subscription.trial_will_end")
    assert notice.data.object["status"] == "trialing"
    assert notice.data.object["trial_end"] == subscription.trial_end
    types = await event_types(client)
    last_invoice = len(types) - 1 - types[::-1].index("invoice.created")  # the first paid one
    assert types.index("customer.subscription.trial_will_end") < last_invoice


async def test_a_trial_shorter_than_three_days_is_noticed_at_once(
    client: stripe.StripeClient,
) -> None:
    subscription = await _trialing(client, trial_end=int(time.time()) + 2 * 24 * 3600)
    [notice] = await _events(client, "customer.subscription.trial_will_end")
    assert notice.data.object["id"] == subscription.id

    await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert len(await _events(client, "customer.subscription.trial_will_end")) == 1  # once


async def test_a_trial_ended_now_is_noticed_then_ended(client: stripe.StripeClient) -> None:
    subscription = await _trialing(client, trial_period_days=30)
    ended = await client.v1.subscriptions.update_async(subscription.id, params={"trial_end": "now"})
    assert ended.status == "active"
    [notice] = await _events(client, "customer.subscription.trial_will_end")
    assert notice.data.object["status"] == "trialing"


async def test_the_notice_helper_counts_as_the_notice(client: stripe.StripeClient) -> None:
    subscription = await _trialing(client, trial_period_days=14)
    await call_helper(client, f"subscriptions/{subscription.id}/trial_will_end")
    await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert len(await _events(client, "customer.subscription.trial_will_end")) == 1
