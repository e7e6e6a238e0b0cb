"""Yearly subscriptions end to end: checkout sells the yearly price, and the
allowance still resets every month on the subscription's anniversary day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from billing.periods import months_after as months_later
from models.events import OutboxEvent
from models.subscriptions import Subscription
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, start_server
from tests.test_subscriptions import checkout, codes, listed, parse, stripe_get
from tests.test_usage import Clock, limits, track

USER = "user-yearly"
PRICE = "price { interval price { amount currency } stripePriceId }"


async def subscribe_yearly(api: LiveServer, sandbox: SandboxProcess, plan: str) -> dict:
    session = await checkout(api, USER, plan, interval="YEAR")
    assert session["errors"] == [], session
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", payment_method="pm_card_visa"
    )
    await sandbox.drain_async()
    (node,) = await listed(api, USER)
    return node


@pytest.fixture
async def clocked(shop: LiveServer) -> AsyncIterator[tuple[LiveServer, Clock]]:
    clock = Clock(datetime.now(UTC))
    live = await start_server(shop.settings, clock=clock)
    yield live, clock
    await live.stop()


async def test_yearly_checkout_sells_the_yearly_price_end_to_end(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe_yearly(shop, sandbox, "premium")
    body = await shop.gql(
        f"{{ subscriptions {{ edges {{ node {{ status plan {{ id }} {PRICE} }} }} }} }}",
        {},
        bearer(USER),
    )
    (listed_node,) = [edge["node"] for edge in body["data"]["subscriptions"]["edges"]]
    assert listed_node["status"] == "ACTIVE" and listed_node["plan"]["id"] == "premium"
    assert listed_node["price"]["interval"] == "YEAR"
    assert listed_node["price"]["price"] == {"amount": 9990, "currency": "usd"}
    created = await OutboxEvent.filter(type="subscription.created", user_id=USER)
    assert [e.payload["id"] for e in created] == [node["id"]]
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    price = state["items"]["data"][0]["price"]
    assert (price["recurring"]["interval"], price["unit_amount"]) == ("year", 9990)
    start, end = parse(node["currentPeriodStart"]), parse(node["currentPeriodEnd"])
    assert timedelta(days=365) <= end - start <= timedelta(days=366)
    invoices = await stripe_get(sandbox, "/v1/invoices", subscription=state["id"])
    assert [i["amount_paid"] for i in invoices["data"]] == [9990]


async def test_a_plan_without_a_yearly_price_refuses_interval_year(shop: LiveServer) -> None:
    result = await checkout(shop, USER, "enterprise", interval="YEAR")
    assert codes(result) == [("INVALID_INPUT", "interval")]
    assert result["sessionId"] is None


async def test_a_yearly_allowance_resets_every_month_on_the_anniversary(
    clocked: tuple[LiveServer, Clock], sandbox: SandboxProcess
) -> None:
    api, clock = clocked
    node = await subscribe_yearly(api, sandbox, "premium")
    start = parse(node["currentPeriodStart"])
    clock.now = start + timedelta(days=3)
    first = (await track(api, quantity=100, user=USER))["usage"]
    assert (first["used"], first["limit"]) == (100, 100)
    assert parse(first["periodStart"]) == start
    assert parse(first["resetsAt"]) == months_later(start, 1)
    assert codes(await track(api, user=USER)) == [("LIMIT_EXCEEDED", "quantity")]

    clock.now = months_later(start, 1) - timedelta(seconds=1)
    assert (await limits(api, USER))["images"]["remaining"] == 0
    clock.now = months_later(start, 1)
    second = (await limits(api, USER))["images"]
    assert (second["used"], second["limit"]) == (0, 100)
    assert parse(second["periodStart"]) == months_later(start, 1)
    assert parse(second["resetsAt"]) == months_later(start, 2)
    assert (await track(api, quantity=5, user=USER))["usage"]["used"] == 5

    clock.now = months_later(start, 11) + timedelta(days=1)  # the period's last month
    last = (await limits(api, USER))["images"]
    assert (last["used"], parse(last["resetsAt"])) == (0, parse(node["currentPeriodEnd"]))


async def test_a_31st_anniversary_resets_on_the_30th_in_a_30_day_month(
    clocked: tuple[LiveServer, Clock], sandbox: SandboxProcess
) -> None:
    api, clock = clocked
    node = await subscribe_yearly(api, sandbox, "premium")
    # As mirrored for a subscription that began on 31 January at 08:00.
    anchor = datetime(2027, 1, 31, 8, tzinfo=UTC)
    await Subscription.filter(id=node["id"]).update(
        current_period_start=anchor, current_period_end=datetime(2028, 1, 31, 8, tzinfo=UTC)
    )
    clock.now = datetime(2027, 4, 29, 12, tzinfo=UTC)
    april = (await track(api, quantity=60, user=USER))["usage"]
    assert parse(april["periodStart"]) == datetime(2027, 3, 31, 8, tzinfo=UTC)
    assert parse(april["resetsAt"]) == datetime(2027, 4, 30, 8, tzinfo=UTC)

    clock.now = datetime(2027, 4, 30, 8, tzinfo=UTC)
    may = (await limits(api, USER))["images"]
    assert (may["used"], parse(may["resetsAt"])) == (0, datetime(2027, 5, 31, 8, tzinfo=UTC))
    clock.now = datetime(2027, 2, 28, 8, tzinfo=UTC)  # February's slice ends on the 28th
    march = (await limits(api, USER))["images"]
    assert parse(march["periodStart"]) == clock.now
    assert parse(march["resetsAt"]) == datetime(2027, 3, 31, 8, tzinfo=UTC)
