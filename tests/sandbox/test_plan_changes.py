"""Plan changes on existing subscriptions: a new price on an item, prorated as pending
invoice items, invoiced at once or not at all; interval changes; credits; refusals."""

from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from dateutil.relativedelta import relativedelta

from sandbox.process import SandboxProcess
from tests.sandbox.billing import (
    PAID_INVOICE_EVENTS,
    customer_paying_with,
    event_types,
    latest_event_id,
)
from tests.sandbox.conftest import Receiver, call_helper


async def _price(
    client: stripe.StripeClient, name: str, amount: int, interval: str = "month"
) -> stripe.Price:
    return await client.v1.prices.create_async(
        params={
            "product_data": {"name": name},
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": interval},
        }
    )


async def _subscribed(
    client: stripe.StripeClient, amount: int = 1000, card: str = "pm_card_visa", **params: Any
) -> tuple[stripe.Subscription, stripe.SubscriptionItem]:
    customer = await customer_paying_with(client, card)
    price = await _price(client, "Premium", amount)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], **params}
    )
    (item,) = subscription["items"].data
    return subscription, item


def _midpoint(item: stripe.SubscriptionItem) -> int:
    """Half of the period left: prorations of round amounts come out exact."""
    return (item.current_period_start + item.current_period_end) // 2


async def _change(
    client: stripe.StripeClient,
    subscription: stripe.Subscription,
    item: stripe.SubscriptionItem,
    price: stripe.Price,
    **params: Any,
) -> stripe.Subscription:
    return await client.v1.subscriptions.update_async(
        subscription.id,
        params={
            "items": [{"id": item.id, "price": price.id}],
            "proration_date": _midpoint(item),
            **params,
        },
    )


async def _last_update(client: stripe.StripeClient) -> stripe.Event:
    (event,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    return event


async def test_upgrade_prorates_into_the_next_renewal(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    pro = await _price(client, "Pro", 3000)
    start = await latest_event_id(client)

    upgraded = await _change(client, subscription, item, pro)
    (new_item,) = upgraded["items"].data
    assert new_item.id == item.id
    assert new_item.price.id == pro.id
    assert new_item.plan.id == pro.id
    assert (new_item.current_period_start, new_item.current_period_end) == (
        item.current_period_start,
        item.current_period_end,
    )
    assert upgraded.billing_cycle_anchor == subscription.billing_cycle_anchor
    assert upgraded.latest_invoice == subscription.latest_invoice
    assert await event_types(client, since=start) == [
        "invoiceitem.created",
        "invoiceitem.created",
        "customer.subscription.updated",
    ]
    updated = await _last_update(client)
    assert updated.data.object["items"]["data"][0]["price"]["id"] == pro.id
    previous = updated.data.previous_attributes
    assert previous is not None
    (old_item,) = previous["items"]["data"]
    assert old_item["price"]["id"] == subscription["items"].data[0].price.id
    assert old_item["plan"]["id"] == old_item["price"]["id"]
    assert set(previous.to_dict()) == {"items"}

    pending = await client.v1.invoice_items.list_async(
        params={"customer": str(subscription.customer), "pending": True}
    )
    credit, charge = reversed(pending.data)
    assert (credit.amount, charge.amount) == (-500, 1500)
    assert credit.description is not None and credit.description.startswith(
        "Unused time on Premium after "
    )
    assert charge.description is not None and charge.description.startswith(
        "Remaining time on Pro after "
    )
    assert credit.proration and charge.proration
    assert credit.invoice is None
    assert credit.pricing is not None and credit.pricing.price_details is not None
    assert credit.pricing.price_details.price == item.price.id
    assert credit.parent is not None and credit.parent.subscription_details is not None
    assert credit.parent.subscription_details.subscription_item == item.id
    assert (credit.period.start, credit.period.end) == (_midpoint(item), item.current_period_end)

    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    invoice = await client.v1.invoices.retrieve_async(renewed.latest_invoice)
    assert invoice.billing_reason == "subscription_cycle"
    assert invoice.amount_paid == 3000 - 500 + 1500
    lines = invoice.lines.data
    assert [line.amount for line in lines] == [-500, 1500, 3000]
    assert [line.parent.subscription_item_details.proration for line in lines] == [
        True,
        True,
        False,
    ]
    assert lines[0].parent.subscription_item_details.invoice_item == credit.id
    assert lines[2].pricing.price_details.price == pro.id
    assert (await client.v1.invoice_items.retrieve_async(credit.id)).invoice == invoice.id
    still_pending = await client.v1.invoice_items.list_async(params={"pending": True})
    assert still_pending.data == []

    # Only the new price from now on.
    again = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert (await client.v1.invoices.retrieve_async(again.latest_invoice)).amount_paid == 3000


async def test_always_invoice_charges_the_proration_now(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    subscription, item = await _subscribed(client)
    pro = await _price(client, "Pro", 3000)
    await sandbox_server.drain_async()
    receiver.requests.clear()

    upgraded = await _change(client, subscription, item, pro, proration_behavior="always_invoice")
    await sandbox_server.drain_async()

    assert upgraded.status == "active"
    assert upgraded.latest_invoice != subscription.latest_invoice
    invoice = await client.v1.invoices.retrieve_async(str(upgraded.latest_invoice))
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid"
    assert invoice.amount_paid == 1000
    assert [line.amount for line in invoice.lines.data] == [-500, 1500]

    events = receiver.events()  # each verified against its signature
    assert [e.type for e in events] == [
        "invoiceitem.created",
        "invoiceitem.created",
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
    ]
    paid = events[-3].data.object
    assert paid["id"] == invoice.id
    assert paid["parent"]["subscription_details"]["subscription"] == subscription.id
    updated = events[-1].data
    assert updated.object["items"]["data"][0]["price"]["id"] == pro.id
    assert updated.object["latest_invoice"] == invoice.id
    assert updated.previous_attributes["items"]["data"][0]["price"]["id"] == item.price.id
    assert updated.previous_attributes["latest_invoice"] == subscription.latest_invoice

    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    renewal = await client.v1.invoices.retrieve_async(renewed.latest_invoice)
    assert [line.amount for line in renewal.lines.data] == [3000]


async def test_no_proration_changes_the_price_only(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    pro = await _price(client, "Pro", 3000)
    start = await latest_event_id(client)

    await _change(client, subscription, item, pro, proration_behavior="none")
    assert await event_types(client, since=start) == ["customer.subscription.updated"]
    assert (await client.v1.invoice_items.list_async()).data == []
    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert (await client.v1.invoices.retrieve_async(renewed.latest_invoice)).amount_paid == 3000


async def test_quantity_and_item_metadata_change(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    changed = await client.v1.subscriptions.update_async(
        subscription.id,
        params={
            "items": [{"id": item.id, "quantity": 3, "metadata": {"seat": "x"}}],
            "proration_behavior": "always_invoice",
            "proration_date": _midpoint(item),
        },
    )
    (new_item,) = changed["items"].data
    assert (new_item.quantity, new_item.price.id) == (3, item.price.id)
    assert new_item.metadata.to_dict() == {"seat": "x"}
    invoice = await client.v1.invoices.retrieve_async(str(changed.latest_invoice))
    assert [line.amount for line in invoice.lines.data] == [-500, 1500]
    assert invoice.lines.data[1].description.startswith("Remaining time on 3 × Premium")  # noqa: RUF001


async def test_downgrade_credit_pays_the_next_invoices(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client, amount=3000)
    basic = await _price(client, "Basic", 1000)

    downgraded = await _change(
        client, subscription, item, basic, proration_behavior="always_invoice"
    )
    credit_note = await client.v1.invoices.retrieve_async(str(downgraded.latest_invoice))
    assert credit_note.total == -1000
    assert (credit_note.amount_due, credit_note.amount_paid) == (0, 0)
    assert credit_note.status == "paid"
    assert credit_note.ending_balance == -1000
    customer = str(subscription.customer)
    assert (await client.v1.customers.retrieve_async(customer)).balance == -1000

    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    renewal = await client.v1.invoices.retrieve_async(renewed.latest_invoice)
    assert (renewal.total, renewal.starting_balance, renewal.amount_due) == (1000, -1000, 0)
    assert renewal.status == "paid"
    assert renewal.ending_balance == 0
    assert (await client.v1.customers.retrieve_async(customer)).balance == 0


async def test_interval_change_starts_a_new_period(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    yearly = await _price(client, "Pro yearly", 30000, interval="year")
    start = await latest_event_id(client)

    changed = await _change(client, subscription, item, yearly)
    (new_item,) = changed["items"].data
    anchor = changed.billing_cycle_anchor
    assert anchor >= item.current_period_start
    assert new_item.current_period_start == anchor
    year_later = datetime.fromtimestamp(anchor, UTC) + relativedelta(years=1)
    assert new_item.current_period_end == int(year_later.timestamp())
    invoice = await client.v1.invoices.retrieve_async(str(changed.latest_invoice))
    assert invoice.billing_reason == "subscription_update"
    assert [line.amount for line in invoice.lines.data] == [-500, 30000]
    assert invoice.amount_paid == 29500
    assert await event_types(client, since=start) == [
        "invoiceitem.created",
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
    ]
    previous = (await _last_update(client)).data.previous_attributes
    assert previous is not None
    (old_item,) = previous["items"]["data"]
    assert old_item["current_period_end"] == item.current_period_end
    assert old_item["price"]["recurring"]["interval"] == "month"


async def test_interval_change_after_renewals_starts_at_the_current_period(
    client: stripe.StripeClient,
) -> None:
    subscription, _ = await _subscribed(client)
    await call_helper(client, f"subscriptions/{subscription.id}/advance")
    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    (item,) = renewed["items"].data
    yearly = await _price(client, "Pro yearly", 30000, interval="year")

    # The sandbox's clock is ahead of the wall clock after advancing: at the period's start.
    changed = await client.v1.subscriptions.update_async(
        subscription.id, params={"items": [{"id": item.id, "price": yearly.id}]}
    )
    assert changed.billing_cycle_anchor == item.current_period_start
    (new_item,) = changed["items"].data
    assert new_item.current_period_start == item.current_period_start
    invoice = await client.v1.invoices.retrieve_async(str(changed.latest_invoice))
    assert [line.amount for line in invoice.lines.data] == [-1000, 30000]


async def test_declined_upgrade(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    pro = await _price(client, "Pro", 3000)
    failing = await client.v1.payment_methods.attach_async(
        "pm_card_chargeCustomerFail", params={"customer": str(subscription.customer)}
    )
    await client.v1.subscriptions.update_async(
        subscription.id, params={"default_payment_method": failing.id}
    )
    start = await latest_event_id(client)

    # error_if_incomplete refuses the change as a whole.
    with pytest.raises(stripe.CardError):
        await _change(
            client,
            subscription,
            item,
            pro,
            proration_behavior="always_invoice",
            payment_behavior="error_if_incomplete",
        )
    assert await event_types(client, since=start) == []

    # The default applies it and leaves the invoice open, the subscription past due.
    overdue = await _change(client, subscription, item, pro, proration_behavior="always_invoice")
    assert overdue.status == "past_due"
    assert overdue["items"].data[0].price.id == pro.id
    invoice = await client.v1.invoices.retrieve_async(str(overdue.latest_invoice))
    assert (invoice.status, invoice.amount_remaining) == ("open", 1000)
    assert (await event_types(client, since=start))[-2:] == [
        "invoice.payment_failed",
        "customer.subscription.updated",
    ]


async def test_change_in_a_trial_is_not_prorated(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client, trial_period_days=14)
    pro = await _price(client, "Pro", 3000)
    changed = await client.v1.subscriptions.update_async(
        subscription.id,
        params={
            "items": [{"id": item.id, "price": pro.id}],
            "proration_behavior": "always_invoice",
        },
    )
    assert changed.status == "trialing"
    assert changed.latest_invoice == subscription.latest_invoice
    assert (await client.v1.invoice_items.list_async()).data == []
    active = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert (await client.v1.invoices.retrieve_async(active.latest_invoice)).amount_paid == 3000


@pytest.mark.parametrize(
    ("item_params", "param", "code"),
    [
        ({"id": "si_missing", "price": "PRO"}, "items[0][id]", "resource_missing"),
        ({"id": "ITEM", "price": "price_missing"}, "items[0][price]", "resource_missing"),
        ({"price": "PRO"}, "items[0][id]", "parameter_missing"),
        ({"id": "ITEM", "price": "EUR"}, "items", None),
        ({"id": "ITEM", "price": "ONCE"}, "items[0][price]", None),
        ({"id": "ITEM", "deleted": "true"}, "items[0][deleted]", "parameter_unknown"),
    ],
)
async def test_invalid_item_changes_are_refused(
    client: stripe.StripeClient, item_params: dict[str, str], param: str, code: str | None
) -> None:
    subscription, item = await _subscribed(client)
    ids = {
        "ITEM": item.id,
        "PRO": (await _price(client, "Pro", 3000)).id,
        "EUR": (
            await client.v1.prices.create_async(
                params={
                    "product_data": {"name": "Euro"},
                    "currency": "eur",
                    "unit_amount": 900,
                    "recurring": {"interval": "month"},
                }
            )
        ).id,
        "ONCE": (
            await client.v1.prices.create_async(
                params={"product_data": {"name": "Once"}, "currency": "usd", "unit_amount": 900}
            )
        ).id,
    }
    start = await latest_event_id(client)
    spec = {key: ids.get(value, value) for key, value in item_params.items()}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.subscriptions.update_async(subscription.id, params={"items": [spec]})
    assert refused.value.http_status == 400
    assert refused.value.param == param
    assert refused.value.code == code
    assert await event_types(client, since=start) == []
    kept = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert kept["items"].data[0].price.id == item.price.id


async def test_refused_states_and_dates(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client)
    pro = await _price(client, "Pro", 3000)
    with pytest.raises(stripe.InvalidRequestError) as outside:
        await client.v1.subscriptions.update_async(
            subscription.id,
            params={
                "items": [{"id": item.id, "price": pro.id}],
                "proration_date": item.current_period_end + 1,
            },
        )
    assert outside.value.param == "proration_date"

    incomplete, incomplete_item = await _subscribed(
        client, card="pm_card_chargeCustomerFail", payment_behavior="default_incomplete"
    )
    assert incomplete.status == "incomplete"
    with pytest.raises(stripe.InvalidRequestError, match="incomplete"):
        await _change(client, incomplete, incomplete_item, pro)

    await client.v1.subscriptions.cancel_async(subscription.id)
    with pytest.raises(stripe.InvalidRequestError, match="canceled"):
        await _change(client, subscription, item, pro)
