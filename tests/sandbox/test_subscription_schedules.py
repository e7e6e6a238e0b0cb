"""Subscription schedules: a price change at the period's end, applied at renewal
without prorations, then released; releasing early keeps the current price."""

import stripe

from tests.sandbox.billing import event_types, latest_event_id
from tests.sandbox.conftest import call_helper
from tests.sandbox.test_plan_changes import _price, _subscribed


async def _schedule_change(
    client: stripe.StripeClient, subscription: stripe.Subscription, price: stripe.Price
) -> stripe.SubscriptionSchedule:
    schedule = await client.v1.subscription_schedules.create_async(
        params={"from_subscription": subscription.id}
    )
    (phase,) = schedule.phases
    return await client.v1.subscription_schedules.update_async(
        schedule.id,
        params={
            "end_behavior": "release",
            "proration_behavior": "none",
            "phases": [
                {
                    "items": [{"price": phase["items"][0]["price"], "quantity": 1}],
                    "start_date": phase.start_date,
                    "end_date": phase.end_date,
                },
                {
                    "items": [{"price": price.id, "quantity": 1}],
                    "duration": {"interval": "month"},
                },
            ],
        },
    )


async def test_a_scheduled_downgrade_applies_at_renewal_then_releases(
    client: stripe.StripeClient,
) -> None:
    subscription, item = await _subscribed(client, 3000)
    premium = await _price(client, "Premium", 1000)
    before = await latest_event_id(client)
    schedule = await _schedule_change(client, subscription, premium)
    assert schedule.status == "active" and schedule.subscription == subscription.id
    assert [p.start_date for p in schedule.phases] == [
        item.current_period_start,
        item.current_period_end,
    ]
    assert schedule.phases[1].end_date is not None
    assert schedule.phases[1].end_date > item.current_period_end
    assert await event_types(client, since=before) == [
        "subscription_schedule.created",
        "customer.subscription.updated",
        "subscription_schedule.updated",
    ]
    attached = await client.v1.subscriptions.retrieve_async(
        subscription.id, params={"expand": ["schedule"]}
    )
    assert isinstance(attached.schedule, stripe.SubscriptionSchedule)
    assert attached["items"].data[0].price.id == item.price.id  # not yet

    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert renewed["items"]["data"][0]["price"]["id"] == premium.id
    invoice = await client.v1.invoices.retrieve_async(renewed["latest_invoice"])
    assert [line.amount for line in invoice.lines.data] == [1000]  # no prorations
    assert renewed["schedule"] == schedule.id

    released = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert released["schedule"] is None
    assert released["items"]["data"][0]["price"]["id"] == premium.id
    gone = await client.v1.subscription_schedules.retrieve_async(schedule.id)
    assert (gone.status, gone.released_subscription) == ("released", subscription.id)


async def test_releasing_a_schedule_keeps_the_current_price(client: stripe.StripeClient) -> None:
    subscription, item = await _subscribed(client, 3000)
    premium = await _price(client, "Premium", 1000)
    schedule = await _schedule_change(client, subscription, premium)
    with_schedule = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert with_schedule.schedule == schedule.id
    try:
        await client.v1.subscription_schedules.create_async(
            params={"from_subscription": subscription.id}
        )
        raise AssertionError("a second schedule was created")
    except stripe.InvalidRequestError as refused:
        assert refused.param == "from_subscription"

    released = await client.v1.subscription_schedules.release_async(schedule.id)
    assert released.status == "released"
    renewed = await call_helper(client, f"subscriptions/{subscription.id}/advance")
    assert renewed["schedule"] is None
    assert renewed["items"]["data"][0]["price"]["id"] == item.price.id
