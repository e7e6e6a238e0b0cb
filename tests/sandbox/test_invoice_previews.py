"""Invoice previews of subscription updates: the same figures as the update itself,
and nothing changed or emitted by previewing."""

from typing import Any

import stripe

from tests.sandbox.billing import event_types, latest_event_id
from tests.sandbox.test_plan_changes import _change, _midpoint, _price, _subscribed


async def _preview(
    client: stripe.StripeClient,
    subscription: stripe.Subscription,
    item: stripe.SubscriptionItem,
    price: stripe.Price,
    **details: Any,
) -> stripe.Invoice:
    return await client.v1.invoices.create_preview_async(
        params={
            "customer": str(subscription.customer),
            "subscription": subscription.id,
            "subscription_details": {"items": [{"id": item.id, "price": price.id}], **details},
        }
    )


def _figures(invoice: stripe.Invoice) -> tuple[int, list[tuple[int, bool]]]:
    lines = [
        (line.amount, bool(line.parent and line.parent.subscription_item_details.proration))
        for line in invoice.lines.data
    ]
    return invoice.amount_due, lines


async def test_an_always_invoice_preview_is_what_the_update_invoices(
    client: stripe.StripeClient,
) -> None:
    subscription, item = await _subscribed(client, 999)
    pro = await _price(client, "Pro", 2999)
    before = await latest_event_id(client)
    at = _midpoint(item) + 7  # not a round share: the cents must round the same way

    preview = await _preview(
        client, subscription, item, pro, proration_behavior="always_invoice", proration_date=at
    )
    assert preview.id is not None and preview.id.startswith("upcoming_in_")
    assert await event_types(client, since=before) == []
    listed = await client.v1.invoices.list_async(params={"subscription": subscription.id})
    assert len(listed.data) == 1  # only the first invoice
    pending = await client.v1.invoice_items.list_async(params={"pending": True})
    assert pending.data == []

    changed = await client.v1.subscriptions.update_async(
        subscription.id,
        params={
            "items": [{"id": item.id, "price": pro.id}],
            "proration_date": at,
            "proration_behavior": "always_invoice",
            "payment_behavior": "error_if_incomplete",
        },
    )
    invoice = await client.v1.invoices.retrieve_async(str(changed.latest_invoice))
    assert invoice.status == "paid"
    assert _figures(preview) == _figures(invoice)
    credit, charge = (line.amount for line in preview.lines.data)
    assert credit < 0 < charge and preview.amount_due == credit + charge


async def test_a_new_interval_preview_is_what_the_update_invoices(
    client: stripe.StripeClient,
) -> None:
    subscription, item = await _subscribed(client, 999)
    yearly = await _price(client, "Premium yearly", 9990, interval="year")
    at = _midpoint(item)
    preview = await _preview(client, subscription, item, yearly, proration_date=at)
    changed = await _change(client, subscription, item, yearly)
    invoice = await client.v1.invoices.retrieve_async(str(changed.latest_invoice))
    assert invoice.billing_reason == "subscription_update"
    assert _figures(preview) == _figures(invoice) == (9990 - 500, [(-500, True), (9990, False)])


async def test_a_preview_without_changes_is_the_next_renewal(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client, 1000)
    pro = await _price(client, "Pro", 3000)
    await _change(client, subscription, item, pro)  # prorations pending for the renewal
    renewal = await client.v1.invoices.create_preview_async(
        params={"subscription": subscription.id}
    )
    assert _figures(renewal) == (4000, [(-500, True), (1500, True), (3000, False)])
    assert renewal.next_payment_attempt == item.current_period_end
