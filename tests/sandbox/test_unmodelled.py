"""Today's fields the sandbox does not model are answered as Stripe answers them where
their feature is unused, and localstripe's fields that today's objects lack are gone."""

import stripe

from tests.sandbox.billing import customer_paying_with, monthly_price


async def test_unmodelled_fields_are_present_and_legacy_ones_gone(
    client: stripe.StripeClient,
) -> None:
    customer_id = await customer_paying_with(client)
    customer = (await client.v1.customers.retrieve_async(customer_id)).to_dict()
    assert customer["customer_account"] is None
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer_id, "items": [{"price": price.id}]}
    )
    raw = subscription.to_dict()
    assert raw["billing_schedules"] == []
    (item,) = raw["items"]["data"]
    assert (item["current_trial"], item["billed_until"]) == (None, None)
    assert "livemode" not in item
    intent = await client.v1.payment_intents.create_async(
        params={"amount": 1000, "currency": "usd", "customer": customer_id}
    )
    assert intent.to_dict()["allowed_payment_method_types"] is None
    # Seen the same way in events.
    (event,) = (
        await client.v1.events.list_async(params={"type": "payment_intent.created", "limit": 1})
    ).data
    assert event.data.object["allowed_payment_method_types"] is None
