"""The advance helper: renewals paid and declined, trials ending, and retrying an invoice."""

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


async def _subscribe(
    client: stripe.StripeClient, customer: str, **params: object
) -> stripe.Subscription:
    price = await monthly_price(client)
    return await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], **params}
    )


async def test_renewal_is_invoiced_and_paid(client: stripe.StripeClient) -> None:
    subscription = await _subscribe(client, await customer_paying_with(client))
    (item,) = subscription["items"].data
    start = await latest_event_id(client)

    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert renewed.status == "active"
    (new_item,) = renewed["items"].data
    assert new_item.current_period_start == item.current_period_end
    assert new_item.current_period_end == one_month_after(item.current_period_end)
    invoice = await client.v1.invoices.retrieve_async(renewed.latest_invoice)
    assert invoice.id != subscription.latest_invoice
    assert invoice.billing_reason == "subscription_cycle"
    assert invoice.status == "paid"
    assert invoice.amount_paid == 1000
    assert (invoice.period_start, invoice.period_end) == (
        item.current_period_start,
        item.current_period_end,
    )
    assert invoice.lines.data[0].period.start == new_item.current_period_start

    assert await event_types(client, since=start) == [
        *PAID_INVOICE_EVENTS,
        "customer.subscription.updated",
    ]
    (updated,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    previous = updated.data.previous_attributes
    assert previous is not None
    assert previous["latest_invoice"] == subscription.latest_invoice
    (old_item,) = previous["items"]["data"]
    assert old_item["current_period_start"] == item.current_period_start
    assert old_item["current_period_end"] == item.current_period_end
    assert "status" not in previous
    assert updated.data.object["items"]["data"][0]["current_period_start"] == (
        item.current_period_end
    )


async def test_declined_renewal_makes_it_past_due_until_paid(
    client: stripe.StripeClient,
) -> None:
    customer = await customer_paying_with(client)
    subscription = await _subscribe(client, customer)
    failing = await client.v1.payment_methods.attach_async(
        "pm_card_chargeCustomerFail", params={"customer": customer}
    )
    await client.v1.subscriptions.update_async(
        subscription.id, params={"default_payment_method": failing.id}
    )
    start = await latest_event_id(client)

    overdue = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert overdue.status == "past_due"
    invoice = await client.v1.invoices.retrieve_async(overdue.latest_invoice)
    assert invoice.status == "open"
    assert invoice.amount_remaining == 1000
    assert await event_types(client, since=start) == [
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
        "invoice.payment_failed",
        "customer.subscription.updated",
    ]
    (failed,) = (await client.v1.events.list_async(params={"type": "invoice.payment_failed"})).data
    assert failed.data.object["status"] == "open"
    assert failed.data.object["attempt_count"] == 1
    (updated,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    assert updated.data.object["status"] == "past_due"
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes["status"] == "active"

    # The customer fixes their card; the invoice is paid again and the subscription recovers.
    with pytest.raises(stripe.CardError):
        await client.v1.invoices.pay_async(invoice.id)
    good = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer}
    )
    paid = await client.v1.invoices.pay_async(
        invoice.id, params={"payment_method": good.id, "expand": ["payments"]}
    )
    assert paid.status == "paid"
    assert paid.attempt_count == 3
    assert paid.payments is not None
    assert [p.status for p in paid.payments.data] == ["paid"]
    assert (await client.v1.subscriptions.retrieve_async(subscription.id)).status == "active"
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.invoices.pay_async(invoice.id)


async def test_trial_ends_with_the_first_paid_invoice(client: stripe.StripeClient) -> None:
    subscription = await _subscribe(
        client, await customer_paying_with(client), trial_period_days=14
    )
    trial_end = subscription.trial_end
    assert trial_end is not None
    await call_helper(client, f"subscriptions/{subscription.id}/trial_will_end")
    (notice,) = (
        await client.v1.events.list_async(params={"type": "customer.subscription.trial_will_end"})
    ).data
    assert notice.data.object["trial_end"] == trial_end
    start = await latest_event_id(client)

    active = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert active.status == "active"
    assert active.trial_end == trial_end
    (item,) = active["items"].data
    assert item.current_period_start == trial_end
    assert item.current_period_end == one_month_after(trial_end)
    invoice = await client.v1.invoices.retrieve_async(active.latest_invoice)
    assert invoice.status == "paid"
    assert invoice.amount_paid == 1000
    assert (await event_types(client, since=start))[-1] == "customer.subscription.updated"
    (updated,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes["status"] == "trialing"
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"subscriptions/{subscription.id}/trial_will_end")


async def test_trial_ending_on_a_failing_card_is_past_due(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client, "pm_card_chargeCustomerFail")
    subscription = await _subscribe(client, customer, trial_period_days=7)
    assert subscription.status == "trialing"
    overdue = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert overdue.status == "past_due"
    invoice = await client.v1.invoices.retrieve_async(overdue.latest_invoice)
    assert invoice.status == "open"


async def test_trial_end_now_bills_at_once(client: stripe.StripeClient) -> None:
    subscription = await _subscribe(
        client, await customer_paying_with(client), trial_period_days=30
    )
    ended = await client.v1.subscriptions.update_async(subscription.id, params={"trial_end": "now"})
    assert ended.status == "active"
    assert ended.trial_end is not None
    assert ended.trial_end < subscription.start_date + 30 * DAY
    invoice = await client.v1.invoices.retrieve_async(str(ended.latest_invoice))
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid"


async def test_ended_subscriptions_do_not_advance(client: stripe.StripeClient) -> None:
    subscription = await _subscribe(client, await customer_paying_with(client))
    await client.v1.subscriptions.cancel_async(subscription.id)
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert len((await client.v1.invoices.list_async()).data) == 1


async def _overdue_invoice(client: stripe.StripeClient) -> tuple[stripe.Subscription, str]:
    """A subscription whose renewal was declined, and its open invoice."""
    customer = await customer_paying_with(client)
    subscription = await _subscribe(client, customer)
    failing = await client.v1.payment_methods.attach_async(
        "pm_card_chargeCustomerFail", params={"customer": customer}
    )
    await client.v1.subscriptions.update_async(
        subscription.id, params={"default_payment_method": failing.id}
    )
    overdue = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    return subscription, str(overdue.latest_invoice)


async def test_payments_are_includable_only(client: stripe.StripeClient) -> None:
    """As on Stripe: an invoice's ``payments`` appear only with ``expand[]=payments``."""
    _, invoice_id = await _overdue_invoice(client)
    plain = await client.v1.invoices.retrieve_async(invoice_id)
    assert "payments" not in plain
    expanded = await client.v1.invoices.retrieve_async(invoice_id, params={"expand": ["payments"]})
    (payment,) = expanded.payments.data
    assert payment.status == "open" and payment.payment.type == "payment_intent"
    for event in (await client.v1.events.list_async(params={"type": "invoice.*"})).data:
        assert "payments" not in event.data.object


async def test_an_invoice_paid_out_of_band(client: stripe.StripeClient) -> None:
    subscription, invoice_id = await _overdue_invoice(client)
    start = await latest_event_id(client)
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.invoices.pay_async(
            invoice_id, params={"paid_out_of_band": True, "payment_method": "pm_card_visa"}
        )

    paid = await client.v1.invoices.pay_async(
        invoice_id, params={"paid_out_of_band": True, "expand": ["payments"]}
    )
    assert paid.status == "paid"
    assert paid.amount_paid == paid.amount_paid_off_stripe == 1000
    assert [p.status for p in paid.payments.data] == ["canceled"]  # no PaymentIntent paid it
    intent = await client.v1.payment_intents.retrieve_async(
        paid.payments.data[0].payment.payment_intent
    )
    assert intent.status == "canceled"
    assert (await client.v1.subscriptions.retrieve_async(subscription.id)).status == "active"
    types = await event_types(client, since=start)
    assert "invoice.paid" in types and "charge.succeeded" not in types
