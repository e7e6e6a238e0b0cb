"""GET /v1/events: Stripe's event shape, newest first, created ranges, types, cursors."""

import asyncio
import time

import pytest
import stripe

from sandbox.process import SandboxProcess
from sandbox.versioning import API_VERSION


async def _products(client: stripe.StripeClient, count: int) -> list[str]:
    return [
        (await client.v1.products.create_async(params={"name": f"P{n}"})).id for n in range(count)
    ]


async def test_event_shape(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(
        params={"name": "Pro"}, options={"idempotency_key": "create-pro"}
    )
    (event,) = (await client.v1.events.list_async()).data
    assert event.id.startswith("evt_")
    assert event.object == "event"
    assert event.type == "product.created"
    assert event.api_version == API_VERSION
    assert event.livemode is False
    assert event.pending_webhooks == 0
    assert isinstance(event.created, int)
    assert event.request is not None
    assert event.request.idempotency_key == "create-pro"
    assert str(event.request.id).startswith("req_")
    assert event.data.object["id"] == product.id
    fetched = await client.v1.events.retrieve_async(event.id)
    assert fetched.to_dict() == event.to_dict()


async def test_walking_pages_has_no_gaps_or_repeats(client: stripe.StripeClient) -> None:
    ids = await _products(client, 7)
    everything = (await client.v1.events.list_async(params={"limit": 100})).data
    assert [e.data.object["id"] for e in everything] == ids[::-1]
    assert all(e.type == "product.created" for e in everything)

    seen: list[str] = []
    has_more_flags: list[bool] = []
    cursor = None
    while True:
        params: dict = {"limit": 3}
        if cursor:
            params["starting_after"] = cursor
        page = await client.v1.events.list_async(params=params)
        seen += [e.id for e in page.data]
        has_more_flags.append(page.has_more)
        if not page.has_more:
            break
        cursor = page.data[-1].id
    assert seen == [e.id for e in everything]
    assert has_more_flags == [True, True, False]

    backwards = await client.v1.events.list_async(params={"limit": 3, "ending_before": seen[4]})
    assert [e.id for e in backwards.data] == seen[1:4]
    assert backwards.has_more is True


async def test_created_range_filters(client: stripe.StripeClient) -> None:
    await _products(client, 2)
    # The next events must fall in a later second than these two.
    await asyncio.sleep(1.05 - time.time() % 1)
    later = await _products(client, 3)
    events = (await client.v1.events.list_async(params={"limit": 100})).data
    cutoff = events[2].created  # when the first of the later products was created
    newest = events[0].created
    assert events[3].created < cutoff

    async def objects(created: dict) -> list[str]:
        found = await client.v1.events.list_async(params={"created": created, "limit": 100})
        return [e.data.object["id"] for e in found.data]

    assert await objects({"gte": cutoff}) == later[::-1]
    assert await objects({"gt": cutoff - 1}) == later[::-1]
    assert len(await objects({"lt": cutoff})) == 2
    assert len(await objects({"lte": newest})) == 5
    assert await objects({"gt": newest}) == []


async def test_type_and_types_filters(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(params={"name": "Pro"})
    await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 1}
    )
    await client.v1.products.update_async(product.id, params={"name": "Pro+"})

    async def types(**params: object) -> list[str]:
        return [e.type for e in (await client.v1.events.list_async(params=params)).data]

    assert await types(type="price.created") == ["price.created"]
    assert await types(type="product.*") == ["product.updated", "product.created"]
    assert await types(types=["price.created", "product.updated"]) == [
        "product.updated",
        "price.created",
    ]
    with pytest.raises(stripe.InvalidRequestError):
        await types(type="price.created", types=["product.created"])


async def test_reset_forgets_events(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    await _products(client, 1)
    assert len((await client.v1.events.list_async()).data) == 1
    await sandbox_server.reset_async()
    assert (await client.v1.events.list_async()).data == []


async def test_limit_above_100_is_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.events.list_async(params={"limit": 101})
    assert refused.value.param == "limit"
