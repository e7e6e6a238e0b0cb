"""Checkout Sessions: today's shape, the hosted page, completion by the test helper in
subscription and payment mode (events in order), declines, expiry, lists."""

import httpx
import pytest
import stripe

from sandbox.process import SandboxProcess
from tests.sandbox.billing import PAID_INVOICE_EVENTS, event_types, latest_event_id, monthly_price
from tests.sandbox.conftest import call_helper


async def _session(
    client: stripe.StripeClient, price: str, **params: object
) -> stripe.checkout.Session:
    return await client.v1.checkout.sessions.create_async(
        params={
            "mode": "subscription",
            "line_items": [{"price": price, "quantity": 1}],
            "success_url": "https://app.example.com/ok?session={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://app.example.com/cancel",
            **params,
        }
    )


async def test_session_has_todays_shape(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    price = await monthly_price(client)
    session = await _session(
        client,
        price.id,
        customer=customer.id,
        client_reference_id="user-1",
        metadata={"user_id": "u1"},
        subscription_data={"metadata": {"plan": "pro"}},
        allow_promotion_codes=True,
    )
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.mode == "subscription"
    assert session.status == "open"
    assert session.payment_status == "unpaid"
    assert session.customer == customer.id
    assert session.client_reference_id == "user-1"
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"user_id": "u1"}
    assert session.allow_promotion_codes is True
    assert session.amount_total == 1000
    assert session.currency == "usd"
    assert session.subscription is None
    assert session.success_url == "https://app.example.com/ok?session={CHECKOUT_SESSION_ID}"
    assert session.expires_at > session.created
    assert session.url is not None
    assert session.url.startswith(sandbox_server.url)
    assert "line_items" not in session.to_dict()
    expanded = await client.v1.checkout.sessions.retrieve_async(
        session.id, params={"expand": ["line_items.data.price.product"]}
    )
    assert expanded.line_items is not None
    (line,) = expanded.line_items.data
    assert line.quantity == 1
    assert line.amount_total == 1000
    assert line.price is not None
    assert isinstance(line.price.product, stripe.Product)
    listed = await client.v1.checkout.sessions.line_items.list_async(session.id)
    assert [item.id for item in listed.data] == [line.id]
    assert await event_types(client) == [
        "customer.created",
        "product.created",
        "price.created",
    ]  # creating a session emits nothing, as on Stripe

    async with httpx.AsyncClient() as browser:
        page = await browser.get(session.url)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "$10.00" in page.text
    assert "pm_card_visa" in page.text


async def test_complete_a_subscription_session(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    price = await monthly_price(client)
    session = await _session(
        client,
        price.id,
        customer=customer.id,
        subscription_data={"metadata": {"user_id": "u1"}},
    )
    start = await latest_event_id(client)
    completed = await call_helper(client, f"checkout/sessions/{session.id}/complete")
    assert completed.status == "complete"
    assert completed.payment_status == "paid"
    assert completed.customer == customer.id
    assert completed.customer_details.email == "a@example.com"
    assert isinstance(completed.subscription, str)

    subscription = await client.v1.subscriptions.retrieve_async(
        completed.subscription, params={"expand": ["latest_invoice"]}
    )
    assert subscription.status == "active"
    assert subscription.metadata.to_dict() == {"user_id": "u1"}
    assert subscription["items"].data[0].price.id == price.id
    assert isinstance(subscription.default_payment_method, str)
    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert completed.invoice == invoice.id
    assert invoice.status == "paid"
    assert invoice.parent is not None
    assert invoice.parent.subscription_details is not None
    assert invoice.parent.subscription_details.metadata is not None
    assert invoice.parent.subscription_details.metadata.to_dict() == {"user_id": "u1"}

    assert await event_types(client, since=start) == [
        "payment_method.attached",
        "customer.subscription.created",
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
        "checkout.session.completed",
    ]
    (event,) = (
        await client.v1.events.list_async(params={"type": "checkout.session.completed"})
    ).data
    assert event.data.object["subscription"] == subscription.id
    assert event.data.object["client_reference_id"] is None
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"checkout/sessions/{session.id}/complete")


async def test_complete_with_a_trial_creates_the_customer(client: stripe.StripeClient) -> None:
    price = await monthly_price(client)
    session = await _session(
        client,
        price.id,
        customer_email="new@example.com",
        subscription_data={"trial_period_days": 14},
    )
    assert session.amount_total == 0
    completed = await call_helper(
        client,
        f"checkout/sessions/{session.id}/complete",
        payment_method="pm_card_chargeCustomerFail",  # saved fine; fails when charged
    )
    assert completed.payment_status == "no_payment_required"
    customer = await client.v1.customers.retrieve_async(completed.customer)
    assert customer.email == "new@example.com"
    subscription = await client.v1.subscriptions.retrieve_async(completed.subscription)
    assert subscription.status == "trialing"
    assert subscription.customer == customer.id
    # The trial ends on a card that no longer pays.
    overdue = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert overdue.status == "past_due"


async def test_declined_card_leaves_the_session_open(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    price = await monthly_price(client)
    session = await _session(client, price.id, customer=customer.id)
    start = await latest_event_id(client)
    with pytest.raises(stripe.CardError) as declined:
        await call_helper(
            client,
            f"checkout/sessions/{session.id}/complete",
            payment_method="pm_card_chargeDeclined",
        )
    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    assert (await client.v1.checkout.sessions.retrieve_async(session.id)).status == "open"
    assert (await client.v1.subscriptions.list_async(params={"status": "all"})).data == []
    assert await event_types(client, since=start) == []
    # Another card does it.
    completed = await call_helper(client, f"checkout/sessions/{session.id}/complete")
    assert completed.status == "complete"


async def test_payment_mode(client: stripe.StripeClient) -> None:
    price = await client.v1.prices.create_async(
        params={"product_data": {"name": "Credits"}, "currency": "eur", "unit_amount": 500}
    )
    session = await client.v1.checkout.sessions.create_async(
        params={
            "mode": "payment",
            "line_items": [{"price": price.id, "quantity": 3}],
            "success_url": "https://app.example.com/ok",
            "payment_intent_data": {"metadata": {"pack": "3"}},
        }
    )
    assert session.amount_total == 1500
    assert session.payment_intent is None
    start = await latest_event_id(client)
    completed = await call_helper(client, f"checkout/sessions/{session.id}/complete")
    assert completed.payment_status == "paid"
    assert completed.customer is None  # a guest payment
    intent = await client.v1.payment_intents.retrieve_async(completed.payment_intent)
    assert intent.status == "succeeded"
    assert intent.amount == 1500
    assert intent.currency == "eur"
    assert intent.metadata.to_dict() == {"pack": "3"}
    assert await event_types(client, since=start) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]


async def test_the_page_pays_and_redirects(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    price = await monthly_price(client)
    session = await _session(client, price.id, customer=customer.id)
    assert session.url is not None
    async with httpx.AsyncClient() as browser:
        declined = await browser.post(
            session.url, data={"payment_method": "pm_card_chargeDeclined"}
        )
        assert declined.status_code == 402
        assert "Your card was declined." in declined.text
        paid = await browser.post(session.url, data={"payment_method": "pm_card_visa"})
    assert paid.status_code == 303
    assert paid.headers["Location"] == f"https://app.example.com/ok?session={session.id}"
    assert (await client.v1.checkout.sessions.retrieve_async(session.id)).status == "complete"


async def test_expire(client: stripe.StripeClient) -> None:
    price = await monthly_price(client)
    session = await _session(client, price.id)
    expired = await client.v1.checkout.sessions.expire_async(session.id)
    assert expired.status == "expired"
    assert expired.url is None
    (event,) = (await client.v1.events.list_async(params={"type": "checkout.session.expired"})).data
    assert event.data.object["id"] == session.id
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.checkout.sessions.expire_async(session.id)
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"checkout/sessions/{session.id}/complete")


async def test_list_by_customer(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    price = await monthly_price(client)
    mine = await _session(client, price.id, customer=customer.id)
    await _session(client, price.id)
    listed = await client.v1.checkout.sessions.list_async(params={"customer": customer.id})
    assert [s.id for s in listed.data] == [mine.id]
    completed = await client.v1.checkout.sessions.list_async(params={"status": "complete"})
    assert completed.data == []


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"mode": "subscription"}, "line_items"),
        ({"mode": "setup", "line_items": [{"price": "{price}", "quantity": 1}]}, "mode"),
        (
            {"mode": "payment", "line_items": [{"price": "{price}", "quantity": 1}]},
            "line_items[0][price]",
        ),
        ({"mode": "subscription", "line_items": [{"price": "{price}"}]}, "line_items[0][quantity]"),
    ],
)
async def test_invalid_sessions_are_refused(
    client: stripe.StripeClient, params: dict, param: str
) -> None:
    price = await monthly_price(client)
    for line in params.get("line_items", []):
        line["price"] = price.id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.checkout.sessions.create_async(params=params)
    assert refused.value.param == param
    assert (await client.v1.checkout.sessions.list_async()).data == []
