"""Chaos mode: delivery as Stripe promises it, late, out of order, twice, retried."""

import json
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator

import httpx
import pytest
import stripe
from aiohttp import web

from sandbox.process import SandboxError, SandboxProcess
from tests.sandbox.conftest import WEBHOOK_SECRET, Receiver


@pytest.fixture
async def chaos(sandbox_server: SandboxProcess) -> AsyncIterator[SandboxProcess]:
    """The sandbox, back to in-order delivery after the test."""
    yield sandbox_server
    await sandbox_server.chaos_async(enabled=False)


async def _products(client: stripe.StripeClient, count: int) -> list[str]:
    return [
        (await client.v1.products.create_async(params={"name": f"P{n}"})).id for n in range(count)
    ]


def _delivered_ids(receiver: Receiver) -> list[str]:
    return [json.loads(body)["id"] for _, body in receiver.requests]


async def test_every_event_arrives_twice_when_duplicate_is_certain(
    client: stripe.StripeClient, chaos: SandboxProcess, receiver: Receiver
) -> None:
    await chaos.chaos_async(duplicate=1, delay=0.02, seed=7)
    await _products(client, 5)
    await chaos.drain_async()

    listed = (await client.v1.events.list_async(params={"limit": 100})).data
    assert Counter(_delivered_ids(receiver)) == {e.id: 2 for e in listed}
    assert all(e.pending_webhooks == 0 for e in listed)  # counted once, not twice


async def test_later_events_overtake_earlier_ones(
    client: stripe.StripeClient, chaos: SandboxProcess, receiver: Receiver
) -> None:
    await chaos.chaos_async(duplicate=0, delay=0.3, seed=11)
    await _products(client, 12)
    await chaos.drain_async()  # waits for the slowest delivery, no sleeping in the test

    listed = (await client.v1.events.list_async(params={"limit": 100})).data
    created_order = [e.id for e in reversed(listed)]
    arrived = _delivered_ids(receiver)
    assert sorted(arrived) == sorted(created_order)
    assert arrived != created_order


@pytest.fixture
async def flaky(sandbox_server: SandboxProcess) -> AsyncIterator[dict[str, list[float]]]:
    """An endpoint that answers 500 to an event's first two attempts, 200 after; it
    records when each attempt arrived, by event id."""
    attempts: dict[str, list[float]] = defaultdict(list)

    async def answer(request: web.Request) -> web.Response:
        arrived = attempts[json.loads(await request.read())["id"]]
        arrived.append(time.monotonic())
        return web.Response(status=500 if len(arrived) <= 2 else 200)

    app = web.Application()
    app.router.add_post("/hook", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    await sandbox_server.configure_webhook_async(url, WEBHOOK_SECRET)
    yield attempts
    await sandbox_server.remove_webhook_async()
    await runner.cleanup()


async def test_a_refused_delivery_is_retried_with_growing_backoff(
    client: stripe.StripeClient, chaos: SandboxProcess, flaky: dict[str, list[float]]
) -> None:
    await chaos.chaos_async(duplicate=0, delay=0, retries=3, backoff=0.1, seed=1)
    await _products(client, 1)
    await chaos.drain_async()

    [event] = (await client.v1.events.list_async()).data
    first, second, third = flaky[event.id]
    assert second - first >= 0.1 and third - second >= 0.2
    assert event.pending_webhooks == 0


async def test_retries_end_and_the_event_stays_pending(
    client: stripe.StripeClient, chaos: SandboxProcess, flaky: dict[str, list[float]]
) -> None:
    await chaos.chaos_async(duplicate=0, delay=0, retries=1, backoff=0.01, seed=1)
    await _products(client, 1)
    await chaos.drain_async()

    [event] = (await client.v1.events.list_async()).data
    assert len(flaky[event.id]) == 2
    assert event.pending_webhooks == 1


async def test_a_reset_drops_deliveries_still_waiting(
    client: stripe.StripeClient, chaos: SandboxProcess, receiver: Receiver
) -> None:
    await chaos.chaos_async(delay=30, seed=3)
    await _products(client, 3)
    await chaos.reset_async()
    started = time.monotonic()
    await chaos.drain_async()
    assert time.monotonic() - started < 5
    assert receiver.requests == []


async def test_settings_are_checked_and_chaos_can_be_ended(chaos: SandboxProcess) -> None:
    with pytest.raises(SandboxError) as refused:
        await chaos.chaos_async(duplicate=2)
    assert (refused.value.status, refused.value.error["param"]) == (400, "duplicate")

    assert await chaos.chaos_async(delay=0.5, seed=4) == {
        "enabled": True,
        "duplicate": 0.3,
        "delay": 0.5,
        "retries": 6,
        "backoff": 0.05,
        "seed": 4,
    }
    assert (await chaos.chaos_async(enabled=False)) == {"enabled": False}
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{chaos.url}/_config/chaos")).json() == {"enabled": False}
