"""localstripe's objects answered in the pinned version's shapes, in responses and events."""

import stripe


async def _paying_customer(client: stripe.StripeClient) -> tuple[str, str]:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    method = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer.id}
    )
    await client.v1.customers.update_async(
        customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return customer.id, method.id


async def test_subscription_period_lives_on_items(client: stripe.StripeClient) -> None:
    customer, _ = await _paying_customer(client)
    plan = await client.v1.plans.create_async(
        params={"amount": 1000, "currency": "usd", "interval": "month", "product": {"name": "X"}}
    )
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"plan": plan.id}], "expand": ["latest_invoice"]}
    )
    raw = subscription.to_dict()
    assert "current_period_start" not in raw
    assert "current_period_end" not in raw
    (item,) = subscription["items"].data
    assert item.subscription == subscription.id
    assert item.current_period_start == subscription.start_date
    assert item.current_period_end > item.current_period_start

    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert "subscription" not in invoice.to_dict()
    assert invoice.parent is not None
    assert invoice.parent.subscription_details is not None
    assert invoice.parent.subscription_details.subscription == subscription.id

    (event,) = (
        await client.v1.events.list_async(params={"type": "customer.subscription.created"})
    ).data
    assert "current_period_end" not in event.data.object
    assert "current_period_end" in event.data.object["items"]["data"][0]


async def test_payment_intent_names_its_latest_charge(client: stripe.StripeClient) -> None:
    customer, method = await _paying_customer(client)
    intent = await client.v1.payment_intents.create_async(
        params={
            "amount": 1000,
            "currency": "usd",
            "customer": customer,
            "payment_method": method,
            "confirm": True,
        }
    )
    assert isinstance(intent.latest_charge, str)
    assert intent.latest_charge.startswith("ch_")
    assert "charges" not in intent.to_dict()
    expanded = await client.v1.payment_intents.retrieve_async(
        intent.id, params={"expand": ["latest_charge"]}
    )
    assert isinstance(expanded.latest_charge, stripe.Charge)
    assert expanded.latest_charge.id == intent.latest_charge
    (event,) = (await client.v1.events.list_async(params={"type": "payment_intent.succeeded"})).data
    assert event.data.object["latest_charge"] == intent.latest_charge
