"""Outgoing notifications to a real HTTP receiver on a loopback port: signed,
exactly one delivery per event and endpoint, retried with backoff for three
days with the same body, resendable, administered through GraphQL."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.transactions import in_transaction

from billing.events import DomainEvent, Relay, record
from billing.notifications import check_url
from models.events import OutboxEvent
from models.notifications import DeliveryStatus, NotificationDelivery
from notifications.dispatcher import RETRY_WINDOW, Dispatcher
from sandbox.process import SandboxProcess
from server.background import durable_subscribers
from tests.conftest import (
    ADMIN,
    IS_POSTGRES,
    ROOT,
    LiveServer,
    bearer,
    billgraph_env,
    make_settings,
)
from tests.processes import billgraph, servers
from tests.querycount import count_queries
from tests.test_usage import USER, track

ADMIN_HEADERS = bearer(ADMIN[0], roles=ADMIN[1])

CREATE = """
mutation($input: CreateNotificationEndpointInput!) {
  createNotificationEndpoint(input: $input) {
    endpoint { id url events enabled createdAt }
    secret
    errors { code message field }
  }
}
"""

DELIVERIES = """
query($endpointId: ID, $status: DeliveryStatus, $first: Int, $after: String) {
  notificationDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id eventType payload status attempts lastResponseStatus nextAttemptAt createdAt
      endpoint { id url }
    } }
  }
}
"""

RESEND = """
mutation($id: ID!) {
  resendNotification(input: {deliveryId: $id}) {
    delivery { id status attempts nextAttemptAt }
    errors { code field }
  }
}
"""


def readme_verify() -> Any:
    """The README's verification example, run against real deliveries."""
    text = (ROOT / "README.md").read_text()
    code = next(
        block.split("```", 1)[0]
        for block in text.split("```python\n")[1:]
        if "def verify(" in block
    )
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - our own README
    return namespace["verify"]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@dataclass
class Receiver:
    """The application's endpoint: records every request, answers as scripted."""

    url: str = ""
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0

    async def handle(self, request: Request) -> Response:
        self.requests.append((dict(request.headers), await request.body()))
        if self.delay:
            await asyncio.sleep(self.delay)
        return Response(status_code=self.statuses.pop(0) if self.statuses else 200)

    def bodies(self) -> list[bytes]:
        return [body for _, body in self.requests]


@asynccontextmanager
async def serving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Run ``receiver`` on a free loopback port for the duration."""
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    receiver.url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serving(Receiver()) as receiver:
        yield receiver


@pytest.fixture
async def dispatcher() -> AsyncIterator[Dispatcher]:
    dispatcher = Dispatcher()
    yield dispatcher
    await dispatcher.aclose()


async def create_endpoint(
    api: LiveServer, url: str, events: list[str] | None = None
) -> dict[str, Any]:
    variables = {"input": {"url": url, **({"events": events} if events is not None else {})}}
    body = await api.gql(CREATE, variables, ADMIN_HEADERS)
    result: dict[str, Any] = body["data"]["createNotificationEndpoint"]
    return result


async def deliver(dispatcher: Dispatcher, now: datetime | None = None) -> int:
    """What the background task does, at a time the test chooses."""
    now = now or datetime.now(UTC)
    await Relay(durable_subscribers()).run_once(now)
    return await dispatcher.run_once(now)


async def deliveries(api: LiveServer, **variables: Any) -> list[dict[str, Any]]:
    body = await api.gql(DELIVERIES, variables, ADMIN_HEADERS)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["notificationDeliveries"]["edges"]]


# ------------------------------------------------------------------ delivery


async def test_track_usage_is_delivered_once_signed_with_the_event_id(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    created = await create_endpoint(shop, receiver.url)
    assert created["errors"] == [] and created["secret"].startswith("whsec_")
    assert created["endpoint"]["events"] == [] and created["endpoint"]["enabled"] is True

    usage = (await track(shop))["usage"]
    assert await deliver(dispatcher) == 1
    assert await deliver(dispatcher) == 0  # nothing twice

    [(headers, body)] = receiver.requests
    event = await OutboxEvent.get()
    verify, secret = readme_verify(), created["secret"]
    signature = headers["billgraph-signature"]
    assert verify(secret, signature, body)
    assert sign(secret, int(signature.split(",")[0].removeprefix("t=")), body) == signature
    assert not verify("whsec_other", signature, body)
    assert not verify(secret, signature, body + b" ")
    an_hour_ago = int(datetime.now(UTC).timestamp()) - 3600
    assert not verify(secret, sign(secret, an_hour_ago, body), body)  # a replay
    assert headers["idempotency-key"] == str(event.id)
    assert headers["content-type"] == "application/json"
    sent = json.loads(body)
    assert sent == {
        "id": str(event.id),
        "type": "usage.updated",
        "userId": USER,
        "occurredAt": event.occurred_at.isoformat(),
        "data": usage,
    }
    [row] = await deliveries(shop)
    assert row["status"] == "DELIVERED" and row["attempts"] == 1
    assert row["lastResponseStatus"] == 200 and row["nextAttemptAt"] is None
    assert row["payload"].encode() == body and row["eventType"] == "usage.updated"
    assert row["endpoint"]["id"] == created["endpoint"]["id"]


async def test_a_failing_endpoint_gets_the_same_body_until_it_answers_2xx(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    await create_endpoint(shop, receiver.url)
    receiver.statuses = [500, 500, 200]
    await track(shop)
    now = datetime.now(UTC)

    await deliver(dispatcher, now)
    first = await NotificationDelivery.get()
    assert (first.status, first.attempts, first.last_response_status) == ("PENDING", 1, 500)
    assert first.next_attempt_at is not None
    assert now < first.next_attempt_at <= now + timedelta(seconds=30)  # first retry soon
    assert await deliver(dispatcher, now) == 0  # not due yet

    await deliver(dispatcher, first.next_attempt_at)
    second = await NotificationDelivery.get()
    assert (second.status, second.attempts) == ("PENDING", 2)
    assert second.next_attempt_at is not None
    await deliver(dispatcher, second.next_attempt_at)

    done = await NotificationDelivery.get()
    assert (done.status, done.attempts, done.last_response_status) == ("DELIVERED", 3, 200)
    bodies = receiver.bodies()
    assert len(bodies) == 3 and len(set(bodies)) == 1
    assert {h["idempotency-key"] for h, _ in receiver.requests} == {str(done.event_id)}


async def test_retries_back_off_for_three_days_then_fail(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    await create_endpoint(shop, receiver.url)
    receiver.statuses = [503] * 1000
    await track(shop)
    start = datetime.now(UTC)
    await deliver(dispatcher, start)
    waits: list[timedelta] = []
    previous = start
    row = await NotificationDelivery.get()
    while row.status == DeliveryStatus.PENDING:
        assert row.next_attempt_at is not None
        now = row.next_attempt_at
        waits.append(now - previous)
        previous = now
        assert await deliver(dispatcher, now) == 1
        row = await NotificationDelivery.get()
        assert row.attempts == len(waits) + 1
    assert row.status == DeliveryStatus.FAILED and row.next_attempt_at is None
    assert now - start >= RETRY_WINDOW  # retried for at least three days
    assert waits[0] <= timedelta(seconds=30)
    assert waits[5] > waits[0] * 4  # exponential, not constant
    assert len(waits) < 100
    assert len(set(receiver.bodies())) == 1


async def test_resend_sends_a_delivered_notification_again(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    await create_endpoint(shop, receiver.url)
    await track(shop)
    await deliver(dispatcher)
    [row] = await deliveries(shop)
    assert row["status"] == "DELIVERED"

    resent = (await shop.gql(RESEND, {"id": row["id"]}, ADMIN_HEADERS))["data"]
    assert resent["resendNotification"]["errors"] == []
    assert resent["resendNotification"]["delivery"]["status"] == "PENDING"
    assert await deliver(dispatcher) == 1
    [again] = await deliveries(shop)
    assert (again["status"], again["attempts"]) == ("DELIVERED", 2)
    assert len(receiver.requests) == 2 and len(set(receiver.bodies())) == 1

    endpoint_id = row["endpoint"]["id"]
    await shop.gql(
        "mutation($id: ID!) { disableNotificationEndpoint(input: {id: $id}) { errors { code } } }",
        {"id": endpoint_id},
        ADMIN_HEADERS,
    )
    disabled = (await shop.gql(RESEND, {"id": row["id"]}, ADMIN_HEADERS))["data"]
    assert disabled["resendNotification"]["errors"] == [
        {"code": "INVALID_INPUT", "field": "deliveryId"}
    ]
    missing = (await shop.gql(RESEND, {"id": "nope"}, ADMIN_HEADERS))["data"]
    assert missing["resendNotification"]["errors"] == [{"code": "NOT_FOUND", "field": "deliveryId"}]


async def test_endpoints_get_their_event_types_and_disabled_ones_nothing(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    limits = await create_endpoint(shop, receiver.url + "?limits", ["usage.limit_reached"])
    assert limits["endpoint"]["events"] == ["usage.limit_reached"]
    disabled = await create_endpoint(shop, receiver.url + "?off")
    body = await shop.gql(
        "mutation($id: ID!) { disableNotificationEndpoint(input: {id: $id}) {"
        " endpoint { enabled } errors { code } } }",
        {"id": disabled["endpoint"]["id"]},
        ADMIN_HEADERS,
    )
    assert body["data"]["disableNotificationEndpoint"] == {
        "endpoint": {"enabled": False},
        "errors": [],
    }
    for _ in range(4):
        await track(shop)  # three counted, one refused
    await deliver(dispatcher)
    assert [json.loads(b)["type"] for b in receiver.bodies()] == ["usage.limit_reached"]
    assert await NotificationDelivery.filter(endpoint_id=disabled["endpoint"]["id"]).count() == 0

    listed = await shop.gql(
        "{ notificationEndpoints { id enabled events } }", headers=ADMIN_HEADERS
    )
    assert {e["id"]: e["enabled"] for e in listed["data"]["notificationEndpoints"]} == {
        limits["endpoint"]["id"]: True,
        disabled["endpoint"]["id"]: False,
    }


async def test_a_slow_endpoint_does_not_hold_up_another(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    async with serving(Receiver(delay=2.0)) as slow:
        await create_endpoint(shop, slow.url)
        fast = await create_endpoint(shop, receiver.url)
        for n in range(dispatcher.per_endpoint + 2):
            await track(shop, user=f"user-{n}")
        await Relay(durable_subscribers()).run_once(datetime.now(UTC))
        for _ in range(100):  # what the background loop does, until the fast one is done
            await dispatcher.pump(lambda: datetime.now(UTC))
            fast_done = await NotificationDelivery.filter(
                endpoint_id=fast["endpoint"]["id"], status="DELIVERED"
            ).count()
            if fast_done == dispatcher.per_endpoint + 2:
                break
            await asyncio.sleep(0.02)
        assert fast_done == len(receiver.requests) == dispatcher.per_endpoint + 2
        # The slow endpoint holds only its share of the slots, and is still answering.
        assert len(slow.requests) == dispatcher.per_endpoint
        assert await NotificationDelivery.filter(status="DELIVERED").count() == fast_done
        await dispatcher.aclose()


# ------------------------------------------------------------------ admin


async def test_notifications_are_for_administrators(shop: LiveServer, receiver: Receiver) -> None:
    body = await shop.gql(CREATE, {"input": {"url": receiver.url}}, bearer(USER))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await shop.gql(DELIVERIES, {}, bearer(USER))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await shop.gql("{ notificationEndpoints { id } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://example.com/hook", None, "url"),
        ("not a url", None, "url"),
        ("https://user:pw@example.com/hook", None, "url"),
        ("http://example.com:99999/", None, "url"),
        ("https://example.com/hook", ["payment.exploded"], "events"),
    ],
)
async def test_bad_endpoints_are_refused_with_the_field(
    shop: LiveServer, url: str, events: list[str] | None, field: str
) -> None:
    result = await create_endpoint(shop, url, events)
    assert result["endpoint"] is None and result["secret"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID_INPUT", field)]


async def test_live_mode_wants_https_and_public_addresses() -> None:
    live = make_settings(stripe_secret_key="sk_live_" + "x" * 24)
    assert live.stripe_mode == "live"
    for url in ("http://example.com/hook", "https://127.0.0.1/hook", "https://10.1.2.3/x",
                "https://[::1]/x", "https://localhost/x", "https://169.254.169.254/x",
                "https://[::ffff:127.0.0.1]/x"):  # fmt: skip
        with pytest.raises(Exception, match=r"https|loopback|private|resolve") as refused:
            await check_url(url, live)
        assert getattr(refused.value, "field", None) == "url"
    assert await check_url("https://93.184.215.14/hook", live) == "https://93.184.215.14/hook"
    allowed = make_settings(
        stripe_secret_key="sk_live_" + "x" * 24, notification_allow_private=True
    )
    assert await check_url("https://127.0.0.1/hook", allowed) == "https://127.0.0.1/hook"
    # Outside live mode (sandbox, test keys) a local receiver is fine.
    assert await check_url("http://127.0.0.1:9/hook", make_settings()) == "http://127.0.0.1:9/hook"


async def test_the_secret_is_never_logged(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    # Everything at INFO, billgraph's own loggers at DEBUG. (Tortoise's DEBUG
    # trace echoes every SQL parameter, so it is for local debugging only.)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="billgraph")
    receiver.statuses = [500]
    created = await create_endpoint(shop, receiver.url)
    await track(shop)
    await deliver(dispatcher)
    assert caplog.records
    assert created["secret"] not in caplog.text


async def test_delivery_pages_cost_two_queries(
    shop: LiveServer, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    first = await create_endpoint(shop, receiver.url)
    await create_endpoint(shop, receiver.url + "?2")
    for n in range(3):
        await track(shop, user=f"user-{n}")
    await deliver(dispatcher)
    with count_queries() as statements:
        page = await shop.gql(DELIVERIES, {"first": 4}, ADMIN_HEADERS)
    connection = page["data"]["notificationDeliveries"]
    assert connection["totalCount"] == 6 and connection["pageInfo"]["hasNextPage"] is True
    assert len(statements) == 2  # count + page with endpoints joined
    rest = await shop.gql(
        DELIVERIES, {"first": 4, "after": connection["pageInfo"]["endCursor"]}, ADMIN_HEADERS
    )
    ids = [e["node"]["id"] for e in connection["edges"]]
    ids += [e["node"]["id"] for e in rest["data"]["notificationDeliveries"]["edges"]]
    assert len(set(ids)) == 6
    only = await deliveries(shop, endpointId=first["endpoint"]["id"], status="DELIVERED")
    assert len(only) == 3
    bad = await shop.gql(DELIVERIES, {"endpointId": "x"}, ADMIN_HEADERS)
    assert bad["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "endpointId"}


# ------------------------------------------- several processes, one database


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_two_server_processes_send_each_of_200_events_exactly_once(
    shop: LiveServer, sandbox: SandboxProcess, receiver: Receiver
) -> None:
    await create_endpoint(shop, receiver.url)
    async with servers(2, billgraph_env(sandbox)):
        for batch in range(20):
            async with in_transaction():
                await record(
                    DomainEvent("usage.updated", f"user-{batch}", {"n": n}) for n in range(10)
                )
        for _ in range(600):
            if await NotificationDelivery.filter(status="DELIVERED").count() == 200:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # room for a duplicate to show up
    keys = Counter(h["idempotency-key"] for h, _ in receiver.requests)
    assert len(keys) == 200 and set(keys.values()) == {1}
    assert await NotificationDelivery.filter(status="DELIVERED", attempts=1).count() == 200


async def test_the_notifications_worker_command_delivers(
    shop: LiveServer, receiver: Receiver
) -> None:
    await create_endpoint(shop, receiver.url)
    await track(shop)
    with billgraph(["notifications", "run"], env=billgraph_env()) as [worker]:
        for _ in range(600):
            if receiver.requests or worker.poll() is not None:
                break
            await asyncio.sleep(0.05)
        assert worker.poll() is None  # still running: a worker, not a one-shot
    assert worker.returncode == 0  # SIGTERM: a clean stop
    assert len(receiver.requests) == 1
    assert (await NotificationDelivery.get()).status == DeliveryStatus.DELIVERED
