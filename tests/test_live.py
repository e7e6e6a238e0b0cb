"""Live updates over graphql-transport-ws with real clients (gql's websockets
transport for the streams, the websockets library where the close code
matters): each trackUsage reaches its user's subscribers, on any process;
nobody else's; bad and expired tokens are shut out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from tortoise.transactions import in_transaction

from billing.events import DomainEvent, record
from billing.live import Hub, SlowConsumer
from billing.tokens import Role
from models.events import OutboxEvent
from models.payments import Payment
from sandbox.process import SandboxProcess
from server.app import MAX_LIVE_SUBSCRIPTIONS
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    bearer,
    billgraph_env,
    make_settings,
    start_server,
    token,
)
from tests.processes import servers
from tests.test_subscriptions import subscribe
from tests.test_usage import TRACK, USER, Clock, track

USAGE = """
subscription($userId: ID) {
  usageUpdated(userId: $userId) { feature used limit remaining periodStart resetsAt }
}
"""
PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = {
    "id": "1",
    "type": "subscribe",
    "payload": {"query": "subscription { usageUpdated { used } }"},
}


def ws_url(server: LiveServer | str) -> str:
    url = server if isinstance(server, str) else server.url
    return url.replace("http://", "ws://") + "/graphql"


class Watcher:
    """A client subscribed to ``query`` (usageUpdated by default); what it
    receives lands in ``seen``."""

    def __init__(
        self, server: LiveServer, bearer: str, user_id: str | None = None, query: str = USAGE
    ) -> None:
        self.transport = WebsocketsTransport(
            url=ws_url(server),
            init_payload={"Authorization": f"Bearer {bearer}"},
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        )
        self.variables = {"userId": user_id} if user_id else {}
        self.query = query
        self.seen: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        async with Client(transport=self.transport) as session:
            request = GraphQLRequest(self.query, variable_values=self.variables)
            async for result in session.subscribe(request):
                await self.seen.put(next(iter(result.values())))

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.seen.get(), 10)


@pytest.fixture
async def live(shop: LiveServer) -> AsyncIterator[LiveServer]:
    """A server on the same database running the background work (relay, Live feed)."""
    server = await start_server(shop.settings, background=True)
    yield server
    await server.stop()


def hub_of(server: LiveServer) -> Hub:
    hub: Hub = server.server.config.app.state.hub
    return hub


async def watching(server: LiveServer, *watchers: Watcher) -> None:
    """Start the watchers and wait until the server streams to each."""
    hub = hub_of(server)
    before = len(hub.streams)
    for watcher in watchers:
        watcher.task = asyncio.create_task(watcher._run())
    for _ in range(500):
        if len(hub.streams) == before + len(watchers):
            return
        for watcher in watchers:
            if watcher.task is not None and watcher.task.done():
                watcher.task.result()
        await asyncio.sleep(0.01)
    raise AssertionError("the subscriptions did not start")


async def handed_on() -> None:
    """Wait until the relay has handed on every committed event so far (on
    SQLite it is what pushes them to the Live streams)."""
    for _ in range(1000):
        if not await OutboxEvent.filter(processed_at=None).exists():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the relay did not hand the events on")


async def stop(*watchers: Watcher) -> None:
    for watcher in watchers:
        assert watcher.task is not None
        watcher.task.cancel()
        await asyncio.gather(watcher.task, return_exceptions=True)


async def test_usage_updated_streams_each_track_usage_to_its_user_only(
    live: LiveServer,
) -> None:
    mine = Watcher(live, token(USER))
    admin = Watcher(live, token("admin", roles=(Role.ADMIN,)), user_id=USER)
    other = Watcher(live, token("someone-else"))
    await watching(live, mine, admin, other)
    try:
        first = await track(live)
        second = await track(live, quantity=2)
        assert await mine.next() == first["usage"]
        assert await mine.next() == second["usage"]
        assert [await admin.next(), await admin.next()] == [first["usage"], second["usage"]]
        refused = await track(live)  # over the limit: nothing changed, nothing pushed
        assert refused["errors"][0]["code"] == "LIMIT_EXCEEDED"
        await track(live, "models")
        assert (await mine.next())["feature"] == "models"
        assert mine.seen.empty() and other.seen.empty()
    finally:
        await stop(mine, admin, other)


async def test_a_plain_user_cannot_watch_someone_else(live: LiveServer) -> None:
    spy = Watcher(live, token(USER), user_id="victim")
    with pytest.raises(TransportQueryError) as refused:
        await spy._run()
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


async def _close_code(url: str, payload: dict[str, Any] | None) -> tuple[int | None, list[Any]]:
    """Open a socket, send connection_init (and a subscription once acked),
    and return how the server closed it and what it sent before."""
    received: list[Any] = []
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        try:
            async for message in socket:
                received.append(json.loads(message))
                if received[-1]["type"] == "connection_ack":
                    await socket.send(json.dumps(SUBSCRIBE))
        except websockets.ConnectionClosed:
            pass
        return socket.close_code, received


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwdw=="},
    ],
)
async def test_a_bad_token_is_refused_at_connection_init(
    live: LiveServer, payload: dict[str, Any] | None
) -> None:
    code, received = await asyncio.wait_for(_close_code(ws_url(live), payload), 10)
    assert code == 4403 and received == []


async def test_an_expired_token_closes_the_socket_with_4401(shop: LiveServer) -> None:
    issued = token(USER, ttl_seconds=3600)
    # The server's clock says the token has 0.3 s left.
    clock = Clock(datetime.now(UTC) + timedelta(seconds=3600 - 0.3))
    server = await start_server(shop.settings, clock=clock)
    try:
        started = asyncio.get_running_loop().time()
        code, received = await asyncio.wait_for(
            _close_code(ws_url(server), {"Authorization": f"Bearer {issued}"}), 10
        )
        assert code == 4401
        assert received[0]["type"] == "connection_ack"
        assert asyncio.get_running_loop().time() - started < 5
    finally:
        await server.stop()


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_a_change_made_through_another_process_is_pushed(
    live: LiveServer, sandbox: SandboxProcess
) -> None:
    mine = Watcher(live, token(USER))
    other = Watcher(live, token("someone-else"))
    await watching(live, mine, other)
    try:
        async with servers(1, billgraph_env(sandbox)) as [client]:
            request = {"query": TRACK, "variables": {"input": {"feature": "images"}}}
            answer = await client.post("/graphql", json=request, headers=bearer(USER))
            there = answer.json()["data"]["trackUsage"]
        assert await mine.next() == there["usage"]
        here = await track(live)
        assert await mine.next() == here["usage"]
        assert other.seen.empty()
    finally:
        await stop(mine, other)


PAYMENTS = "subscription { paymentUpdated { id status amount { amount currency } } }"
SUBSCRIPTIONS = "subscription { subscriptionUpdated { id status plan { id } } }"


async def test_payment_and_subscription_events_push_the_current_objects(
    live: LiveServer, sandbox: SandboxProcess
) -> None:
    """The wiring the payment and subscription events will use: an event naming
    the object's id pushes the object as it stands."""
    subscription = await subscribe(live, sandbox, USER, "premium")
    await handed_on()  # the checkout's own events are pushed before anyone watches
    payment = await Payment.create(
        user_id=USER, stripe_payment_intent_id="pi_live", amount=999, currency="usd",
        status="succeeded",
    )  # fmt: skip
    payments = Watcher(live, token(USER), query=PAYMENTS)
    subscriptions = Watcher(live, token(USER), query=SUBSCRIPTIONS)
    strangers = Watcher(live, token("someone-else"), query=PAYMENTS)
    await watching(live, payments, subscriptions, strangers)
    try:
        async with in_transaction():
            await record(
                [
                    DomainEvent("payment.succeeded", USER, {"id": str(payment.id)}),
                    DomainEvent("subscription.updated", USER, {"id": subscription["id"]}),
                ]
            )
        assert await payments.next() == {
            "id": str(payment.id),
            "status": "SUCCEEDED",
            "amount": {"amount": 999, "currency": "usd"},
        }
        assert await subscriptions.next() == {
            "id": subscription["id"],
            "status": subscription["status"],
            "plan": {"id": "premium"},
        }
        assert strangers.seen.empty()
    finally:
        await stop(payments, subscriptions, strangers)


async def test_a_client_that_falls_behind_is_disconnected(live: LiveServer) -> None:
    hub = hub_of(live)

    usage = {
        "feature": "images", "used": 1, "limit": 3, "remaining": 2,
        "periodStart": "2026-11-01T00:00:00+00:00", "resetsAt": "2026-12-01T00:00:00+00:00",
    }  # fmt: skip

    async def flood() -> None:
        for _ in range(500):
            if hub.streams:
                break
            await asyncio.sleep(0.01)
        # More than a stream may queue, faster than any socket can take them.
        hub.publish(DomainEvent("usage.updated", USER, usage) for _ in range(hub.max_queued + 1))

    flooding = asyncio.create_task(flood())
    code, received = await asyncio.wait_for(
        _close_code(ws_url(live), {"Authorization": f"Bearer {token(USER)}"}), 10
    )
    await flooding
    assert code == 4008
    assert len([m for m in received if m["type"] == "next"]) <= hub.max_queued
    assert hub.streams == set()


async def test_a_socket_may_hold_only_so_many_subscriptions(live: LiveServer) -> None:
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token(USER)}"}}
    async with websockets.connect(ws_url(live), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        for n in range(MAX_LIVE_SUBSCRIPTIONS + 1):
            await socket.send(json.dumps(SUBSCRIBE | {"id": str(n)}))
        refused = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert refused["id"] == str(MAX_LIVE_SUBSCRIPTIONS) and refused["type"] == "error"
    assert refused["payload"][0]["message"] == "Subscription limit reached"


# ------------------------------------------------------------------ the hub


async def test_a_slow_consumer_is_cut_off_instead_of_queueing_without_bound() -> None:
    hub = Hub(max_queued=2)
    cut: list[str] = []
    events = [DomainEvent("usage.updated", "u", {"used": n}) for n in range(3)]
    with hub.open("u", ["usage.updated"], lambda: cut.append("u")) as stream:
        hub.publish(events[:2])
        assert await anext(stream) == events[0]
        hub.publish(events[2:])  # room again: one queued
        hub.publish([DomainEvent("usage.updated", "u", {}), DomainEvent("usage.updated", "u", {})])
        assert cut == ["u"]
        with pytest.raises(SlowConsumer):
            await anext(stream)
        assert stream.queue.qsize() <= 2
    assert hub.streams == set()


async def test_web_origins_are_those_of_cors_origins(shop: LiveServer) -> None:
    settings = make_settings(
        stripe_secret_key=shop.settings.stripe_secret_key,
        stripe_api_base=shop.settings.stripe_api_base,
        cors_origins="https://app.example",
    )
    server = await start_server(settings)
    try:
        async with websockets.connect(
            ws_url(server),
            subprotocols=[PROTOCOL],  # type: ignore[list-item]
            origin="https://app.example",  # type: ignore[arg-type]
        ) as socket:
            assert socket.subprotocol == PROTOCOL
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(
                ws_url(server),
                subprotocols=[PROTOCOL],  # type: ignore[list-item]
                origin="https://evil.example",  # type: ignore[arg-type]
            ):
                pass
        assert refused.value.response.status_code == 403
    finally:
        await server.stop()
