"""Subscriptions on prices: creation with its first invoice, trials, payment behaviours,
cancellation, default payment methods, lists, events."""

from datetime import UTC, datetime

import pytest
import stripe

from tests.sandbox.billing import (
    DAY,
    PAID_INVOICE_EVENTS,
    customer_paying_with,
    event_types,
    latest_event_id,
    monthly_price,
    one_month_after,
)
from tests.sandbox.conftest import call_helper


async def test_subscription_is_paid_and_active(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    start = await latest_event_id(client)
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "metadata": {"user_id": "u1"},
            "expand": ["latest_invoice.payments"],
        }
    )
    assert subscription.id.startswith("sub_")
    assert subscription.status == "active"
    assert subscription.metadata.to_dict() == {"user_id": "u1"}
    assert subscription.customer == customer
    assert subscription.currency == "usd"
    assert subscription.cancel_at_period_end is False
    assert subscription.trial_start is None
    raw = subscription.to_dict()
    for legacy in ("current_period_start", "current_period_end", "plan", "quantity"):
        assert legacy not in raw
    (item,) = subscription["items"].data
    assert item.price.id == price.id
    assert item.plan.id == price.id
    assert item.quantity == 1
    assert item.current_period_start == subscription.start_date
    assert item.current_period_end == one_month_after(subscription.start_date)

    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.status == "paid"
    assert invoice.billing_reason == "subscription_create"
    assert invoice.amount_due == 1000
    assert invoice.amount_paid == 1000
    assert invoice.amount_remaining == 0
    assert invoice.number is not None
    assert invoice.parent is not None
    assert invoice.parent.subscription_details is not None
    assert invoice.parent.subscription_details.subscription == subscription.id
    details_metadata = invoice.parent.subscription_details.metadata
    assert details_metadata is not None
    assert details_metadata.to_dict() == {"user_id": "u1"}
    (line,) = invoice.lines.data
    assert line.amount == 1000
    assert line.pricing is not None
    assert line.pricing.price_details is not None
    assert line.pricing.price_details.price == price.id
    assert line.period.start == item.current_period_start
    assert line.period.end == item.current_period_end
    assert line.description == "1 × Pro (at $10.00 / month)"  # noqa: RUF001
    assert invoice.payments is not None
    (payment,) = invoice.payments.data
    assert payment.status == "paid"
    assert payment.amount_paid == 1000
    intent = await client.v1.payment_intents.retrieve_async(str(payment.payment.payment_intent))
    assert intent.status == "succeeded"
    assert intent.amount == 1000
    raw_invoice = invoice.to_dict()
    for legacy in ("subscription", "charge", "payment_intent", "paid", "tax", "date"):
        assert legacy not in raw_invoice

    assert await event_types(client, since=start) == [
        "customer.subscription.created",
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
    ]
    created, updated = (
        await client.v1.events.list_async(params={"type": "customer.subscription.*"})
    ).data[::-1]
    assert created.data.object["status"] == "incomplete"
    assert updated.data.object["status"] == "active"
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes["status"] == "incomplete"


async def test_trial_has_a_free_first_invoice(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    start = await latest_event_id(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], "trial_period_days": 14}
    )
    assert subscription.status == "trialing"
    assert subscription.trial_start == subscription.start_date
    assert subscription.trial_end == subscription.start_date + 14 * DAY
    (item,) = subscription["items"].data
    assert item.current_period_start == subscription.trial_start
    assert item.current_period_end == subscription.trial_end
    invoice = await client.v1.invoices.retrieve_async(
        str(subscription.latest_invoice), params={"expand": ["payments"]}
    )
    assert invoice.status == "paid"
    assert invoice.amount_due == 0
    assert invoice.payments is not None
    assert invoice.payments.data == []
    assert invoice.lines.data[0].description == "Trial period for Pro"
    assert await event_types(client, since=start) == [
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]
    assert (await client.v1.payment_intents.list_async()).data == []


@pytest.mark.parametrize("save", ["on_subscription", "off"])
async def test_a_trials_pending_setup_intent_saves_the_default_when_asked(
    client: stripe.StripeClient, save: str
) -> None:
    """``save_default_payment_method=on_subscription``: the card the trial's SetupIntent
    saves becomes the subscription's default (customer.subscription.updated); ``off``
    leaves it unset."""
    customer = await client.v1.customers.create_async()
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer.id,
            "items": [{"price": price.id}],
            "trial_period_days": 14,
            "payment_behavior": "default_incomplete",
            "payment_settings": {"save_default_payment_method": save},
        }
    )
    assert subscription.pending_setup_intent is not None
    start = await latest_event_id(client)
    saved = await call_helper(
        client,
        f"setup_intents/{subscription.pending_setup_intent}/confirm",
        payment_method="pm_card_visa",
    )
    assert saved.status == "succeeded"
    after = await client.v1.subscriptions.retrieve_async(subscription.id)
    saving = save == "on_subscription"
    assert after.default_payment_method == (saved.payment_method if saving else None)
    updates = ["customer.subscription.updated"] if saving else []
    assert await event_types(client, since=start) == [
        "payment_method.attached",
        "setup_intent.succeeded",
        *updates,
    ]


async def test_trial_end_and_plan_items(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    plan = await client.v1.plans.create_async(
        params={"amount": 500, "currency": "usd", "interval": "year", "product": {"name": "P"}}
    )
    assert (await client.v1.prices.retrieve_async(plan.id)).unit_amount == 500
    trial_end = int(datetime.now(UTC).timestamp()) + 3 * DAY
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"plan": plan.id}], "trial_end": trial_end}
    )
    assert subscription.status == "trialing"
    assert subscription.trial_end == trial_end
    assert subscription["items"].data[0].price.recurring.interval == "year"


async def test_declined_first_payment_leaves_it_incomplete(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client, "pm_card_chargeCustomerFail")
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    assert subscription.status == "incomplete"
    invoice = await client.v1.invoices.retrieve_async(str(subscription.latest_invoice))
    assert invoice.status == "open"
    assert invoice.attempted is True
    assert invoice.attempt_count == 1
    assert invoice.amount_paid == 0
    types = await event_types(client)
    assert types[-3:] == [
        "charge.failed",
        "payment_intent.payment_failed",
        "invoice.payment_failed",
    ]
    assert "customer.subscription.updated" not in types
    # It does not renew: 23 hours on, it has expired (tests/sandbox/test_promotions.py).
    await call_helper(client, f"subscriptions/{subscription.id}/advance")
    expired = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert expired.status == "incomplete_expired"


async def test_error_if_incomplete_creates_nothing(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client, "pm_card_chargeCustomerFail")
    price = await monthly_price(client)
    with pytest.raises(stripe.CardError) as declined:
        await client.v1.subscriptions.create_async(
            params={
                "customer": customer,
                "items": [{"price": price.id}],
                "payment_behavior": "error_if_incomplete",
            }
        )
    assert declined.value.code == "card_declined"
    listed = await client.v1.subscriptions.list_async(params={"status": "all"})
    assert listed.data == []


async def test_default_incomplete_waits_for_the_client(client: stripe.StripeClient) -> None:
    customer = (await client.v1.customers.create_async(params={"email": "a@example.com"})).id
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "payment_behavior": "default_incomplete",
            "payment_settings": {"save_default_payment_method": "on_subscription"},
            "expand": ["latest_invoice.confirmation_secret"],
        }
    )
    assert subscription.status == "incomplete"
    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.status == "open"
    assert invoice.confirmation_secret is not None
    assert invoice.confirmation_secret.type == "payment_intent"
    secret = invoice.confirmation_secret.client_secret
    intent_id = secret.split("_secret_")[0]
    plain = await client.v1.invoices.retrieve_async(invoice.id)
    assert "confirmation_secret" not in plain.to_dict()

    # The app confirms with the client secret, as the mobile PaymentSheet does.
    await call_helper(client, f"payment_intents/{intent_id}/confirm", payment_method="pm_card_visa")
    active = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert active.status == "active"
    assert isinstance(active.default_payment_method, str)
    saved = await client.v1.payment_methods.retrieve_async(active.default_payment_method)
    assert saved.customer == customer
    assert (await client.v1.invoices.retrieve_async(invoice.id)).status == "paid"
    payments = await client.v1.invoice_payments.list_async(
        params={"payment": {"type": "payment_intent", "payment_intent": intent_id}}
    )
    assert [p.invoice for p in payments.data] == [invoice.id]


async def test_default_payment_method_must_belong_to_the_customer(
    client: stripe.StripeClient,
) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    loose = await client.v1.payment_methods.retrieve_async("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.subscriptions.create_async(
            params={
                "customer": customer,
                "items": [{"price": price.id}],
                "default_payment_method": loose.id,
            }
        )
    assert refused.value.param == "default_payment_method"
    assert (await client.v1.subscriptions.list_async()).data == []


@pytest.mark.parametrize(
    ("items", "param"),
    [
        ([], "items"),
        ([{"price": "price_missing"}], "items[0][price]"),
        ([{"quantity": 2}], "items[0][price]"),
    ],
)
async def test_invalid_items_are_refused(
    client: stripe.StripeClient, items: list, param: str
) -> None:
    customer = await customer_paying_with(client)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.subscriptions.create_async(params={"customer": customer, "items": items})
    assert refused.value.param == param


async def test_one_time_price_is_refused(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    once = await client.v1.prices.create_async(
        params={"product_data": {"name": "Once"}, "currency": "usd", "unit_amount": 100}
    )
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.subscriptions.create_async(
            params={"customer": customer, "items": [{"price": once.id}]}
        )
    assert refused.value.param == "items[0][price]"


async def test_cancel_at_period_end_then_the_period_ends(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    period_end = subscription["items"].data[0].current_period_end
    scheduled = await client.v1.subscriptions.update_async(
        subscription.id,
        params={
            "cancel_at_period_end": True,
            "cancellation_details": {"feedback": "too_expensive"},
        },
    )
    assert scheduled.status == "active"
    assert scheduled.cancel_at_period_end is True
    assert scheduled.cancel_at == period_end
    assert isinstance(scheduled.canceled_at, int)
    assert scheduled.cancellation_details is not None
    assert scheduled.cancellation_details.feedback == "too_expensive"
    (updated,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    previous = updated.data.previous_attributes
    assert previous is not None
    assert previous["cancel_at_period_end"] is False
    assert previous["cancel_at"] is None

    ended = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert ended.status == "canceled"
    assert ended.ended_at == period_end
    assert ended.canceled_at == scheduled.canceled_at
    (deleted,) = (
        await client.v1.events.list_async(params={"type": "customer.subscription.deleted"})
    ).data
    assert deleted.data.object["status"] == "canceled"
    assert len((await client.v1.invoices.list_async()).data) == 1  # no renewal invoice


async def test_undo_cancel_at_period_end(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], "cancel_at_period_end": True}
    )
    assert subscription.cancel_at_period_end is True
    kept = await client.v1.subscriptions.update_async(
        subscription.id, params={"cancel_at_period_end": False}
    )
    assert kept.cancel_at_period_end is False
    assert kept.cancel_at is None
    assert kept.canceled_at is None


async def test_cancel_now(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    canceled = await client.v1.subscriptions.cancel_async(
        subscription.id, params={"cancellation_details": {"comment": "moving on"}}
    )
    assert canceled.status == "canceled"
    assert isinstance(canceled.canceled_at, int)
    assert canceled.ended_at == canceled.canceled_at
    assert canceled.cancellation_details is not None
    assert canceled.cancellation_details.comment == "moving on"
    assert canceled.cancellation_details.reason == "cancellation_requested"
    (event,) = (
        await client.v1.events.list_async(params={"type": "customer.subscription.deleted"})
    ).data
    assert event.data.object["id"] == subscription.id
    assert event.data.object["status"] == "canceled"

    assert (await client.v1.subscriptions.list_async()).data == []
    listed = await client.v1.subscriptions.list_async(params={"status": "canceled"})
    assert [s.id for s in listed.data] == [subscription.id]
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.subscriptions.cancel_async(subscription.id)
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.subscriptions.update_async(
            subscription.id, params={"cancel_at_period_end": True}
        )
    renamed = await client.v1.subscriptions.update_async(
        subscription.id, params={"metadata": {"note": "gone"}}
    )
    assert renamed.metadata.to_dict() == {"note": "gone"}


async def test_update_reports_previous_metadata(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], "metadata": {"a": "1"}}
    )
    await client.v1.subscriptions.update_async(subscription.id, params={"metadata": {"a": "2"}})
    (event,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    assert event.data.object["metadata"]["a"] == "2"
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes.to_dict() == {"metadata": {"a": "1"}}


async def test_list_filters(client: stripe.StripeClient) -> None:
    first = await customer_paying_with(client)
    second = await customer_paying_with(client)
    cheap, dear = await monthly_price(client, 500), await monthly_price(client, 5000)
    a = await client.v1.subscriptions.create_async(
        params={"customer": first, "items": [{"price": cheap.id}]}
    )
    b = await client.v1.subscriptions.create_async(
        params={"customer": second, "items": [{"price": dear.id}], "trial_period_days": 7}
    )

    async def ids(**params: object) -> list[str]:
        return [s.id for s in (await client.v1.subscriptions.list_async(params=params)).data]

    assert await ids() == [b.id, a.id]
    assert await ids(customer=first) == [a.id]
    assert await ids(price=dear.id) == [b.id]
    assert await ids(status="trialing") == [b.id]
    invoices = await client.v1.invoices.list_async(params={"subscription": a.id})
    assert [i.id for i in invoices.data] == [a.latest_invoice]
    items = await client.v1.subscription_items.list_async(params={"subscription": b.id})
    assert [i.price.id for i in items.data] == [dear.id]
