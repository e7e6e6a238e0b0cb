"""The webhook pipeline, end to end over HTTP with real signatures."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from billing.catalog import lookup_key, sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import API_VERSION, StripeGateway
from models.catalog import Plan, PlanPrice
from models.webhooks import EventStatus, WebhookEvent
from tests.conftest import (
    DATABASE_URL,
    IS_POSTGRES,
    WEBHOOK_SECRET,
    LiveServer,
    billgraph_env,
    make_settings,
    start_server,
)
from tests.processes import servers
from tests.querycount import count_queries
from webhooks import store
from webhooks.pipeline import _fields
from webhooks.recovery import reconcile, replay
from webhooks.registry import Event, Handler, registry
from webhooks.signature import sign


def event(type_: str, obj: dict[str, Any], created: int | None = None, **extra: Any) -> dict:
    return {
        "id": f"evt_test_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "api_version": API_VERSION,
        "created": created or int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
        "data": {"object": obj, **extra},
    }


async def deliver(
    server: LiveServer | httpx.AsyncClient,
    payload: dict | bytes,
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    signed_body: bytes | None = None,
    header: str | None = None,
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signature = header if header is not None else sign(signed_body or body, secret, timestamp)
    client = server if isinstance(server, httpx.AsyncClient) else server.client
    return await client.post(
        "/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
    )


@pytest.fixture
async def hooks(db, sandbox) -> AsyncIterator[LiveServer]:
    """The API, with the sandbox's own webhook delivery switched off: these
    tests deliver (real, signed) events themselves, in the order they choose."""
    live = await start_server(make_settings(sandbox))
    yield live
    await live.stop()


@pytest.fixture
def recorded() -> Iterator[list[str]]:
    """A handler for an event type billgraph doesn't handle, counting calls."""
    calls: list[str] = []

    async def record(event: Event, fetched: None) -> None:
        calls.append(event.id)

    registry.add("balance.available", Handler(record))
    yield calls
    registry.remove("balance.available")


async def test_a_price_of_no_billgraph_plan_is_processed_and_not_mirrored(
    hooks: LiveServer,
) -> None:
    """The read step's LEFT JOIN finds no plan row: nothing to mirror."""
    price = {"id": "price_elsewhere", "object": "price", "active": True, "currency": "usd"}
    price |= {"unit_amount": 500, "product": "prod_elsewhere", "metadata": {}}
    for metadata in ({}, {"billgraph_plan": "no-such-plan"}):
        payload = event("price.created", {**price, "metadata": metadata})
        assert (await deliver(hooks, payload)).json()["status"] == "processed"
    assert not await PlanPrice.filter(stripe_price_id="price_elsewhere").exists()


async def test_a_duplicate_the_insert_did_not_see_reads_its_status(db) -> None:
    """On PostgreSQL the insert returns no row when the first delivery
    committed after its snapshot (a race); the status read after it runs
    alone, with its one parameter (it used the insert's "$3": a 500)."""
    payload = event("customer.created", {"id": "cus_race", "object": "customer"})
    assert (await store.insert(_fields(payload)))[1] is None
    connection = WebhookEvent._meta.db
    statement = store.statements(connection)["status"]
    _count, rows = await connection.execute_query(statement, [payload["id"]])
    assert [row["status"] for row in rows] == [EventStatus.RECEIVED.value]


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_two_server_processes_apply_each_of_racing_deliveries_once(db, sandbox) -> None:
    """10 price events, each delivered 4 times at once across two processes:
    one delivery of each applies it (the ON CONFLICT insert, then the claim
    UPDATE under its row lock), the other 3 answer duplicate. With them, a
    second event about each new price: whichever mirrors it second finds
    the row there (fetched again, not failed)."""
    await Plan.create(key="racing", name="Racing", stripe_product_id="prod_racing")
    now = int(time.time())
    payloads = [
        event(
            kind,
            {
                "id": f"price_racing_{n}",
                "object": "price",
                "active": True,
                "currency": "usd",
                "unit_amount": 100 + n + (kind == "price.updated"),
                "product": "prod_racing",
                "recurring": {"interval": "month", "interval_count": 1},
                "metadata": {"billgraph_plan": "racing"},
            },
            now + (kind == "price.updated"),
        )
        for n in range(10)
        for kind in ("price.created", "price.updated")
    ]
    async with servers(2, billgraph_env(sandbox)) as clients:
        answers = await asyncio.gather(
            *(deliver(clients[n % 2], p) for p in payloads for n in range(4))
        )
    assert [a.status_code for a in answers] == [200] * 80
    for n in range(20):
        mine = [a.json() for a in answers[4 * n : 4 * n + 4]]
        assert sorted(a["duplicate"] for a in mine) == [False, True, True, True], mine
        assert {a["status"] for a in mine} == {"processed"}
    rows = await WebhookEvent.filter(type__startswith="price.").values_list("status", "attempts")
    assert sorted(rows) == [(EventStatus.PROCESSED, 1)] * 20
    prices = await PlanPrice.filter(plan_id="racing").values_list("amount", "stripe_version")
    assert sorted(prices) == [(101 + n, now + 1) for n in range(10)]  # the newer event's


# ----------------------------------------------------------------- signatures


@pytest.fixture
async def frozen(db, sandbox) -> AsyncIterator[tuple[LiveServer, int]]:
    """The API on a clock stopped an hour before the real time: signatures are
    checked against it (the injectable clock), never against the wall clock."""
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    live = await start_server(make_settings(sandbox), clock=lambda: at)
    yield live, int(at.timestamp())
    await live.stop()


@pytest.mark.parametrize(
    "case", ["tampered", "wrong secret", "no v1", "301 s old", "301 s ahead", "no header"]
)
async def test_bad_signatures_are_refused_and_nothing_is_stored(
    frozen: tuple[LiveServer, int], case: str
) -> None:
    hooks, now = frozen
    payload = event("balance.available", {"id": "bal", "object": "balance"}, created=now)
    body = json.dumps(payload).encode()
    kwargs: dict[str, Any] = {
        "tampered": {"signed_body": body.replace(b"balance", b"BALANCE"), "timestamp": now},
        "wrong secret": {"secret": "whsec_someone_else", "timestamp": now},
        "no v1": {"header": f"t={now},v0=abcdef"},
        "301 s old": {"timestamp": now - 301},
        "301 s ahead": {"timestamp": now + 301},
        "no header": {"header": ""},
    }[case]
    response = await deliver(hooks, body, **kwargs)
    assert response.status_code == 400
    assert response.json()["error"]
    assert await WebhookEvent.all().count() == 0


@pytest.mark.parametrize("shift", [-300, 0, 300])
async def test_signatures_within_300_s_of_our_clock_are_accepted(
    frozen: tuple[LiveServer, int], shift: int
) -> None:
    hooks, now = frozen
    payload = event("balance.available", {"id": "bal", "object": "balance"}, created=now)
    response = await deliver(hooks, payload, timestamp=now + shift)
    assert response.status_code == 200, response.text
    assert await WebhookEvent.filter(stripe_event_id=payload["id"]).exists()


async def test_reserialised_body_signed_as_sent_is_accepted(hooks: LiveServer) -> None:
    payload = event("balance.available", {"id": "bal", "object": "balance"})
    body = json.dumps(payload, indent=7, separators=(" ,", " :  ")).encode()
    response = await deliver(hooks, body)
    assert response.status_code == 200
    assert await WebhookEvent.filter(stripe_event_id=payload["id"]).exists()


async def test_either_rotated_secret_is_accepted(db, sandbox) -> None:
    live = await start_server(
        make_settings(sandbox, stripe_webhook_secret="whsec_old_one,whsec_new_one")
    )
    try:
        first = await deliver(live, event("balance.available", {"id": "b"}), secret="whsec_new_one")
        second = await deliver(
            live, event("balance.available", {"id": "b"}), secret="whsec_old_one"
        )
        third = await deliver(live, event("balance.available", {"id": "b"}), secret="whsec_other")
    finally:
        await live.stop()
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 400)


async def test_no_secret_configured_answers_500_so_stripe_retries(db, sandbox) -> None:
    live = await start_server(make_settings(sandbox, stripe_webhook_secret=""))
    try:
        response = await deliver(live, event("balance.available", {"id": "b"}))
    finally:
        await live.stop()
    assert response.status_code == 500
    assert await WebhookEvent.all().count() == 0


async def test_oversized_and_malformed_bodies(hooks: LiveServer) -> None:
    huge = await deliver(hooks, b"{" + b" " * (1024 * 1024 + 1) + b"}")
    not_json = await deliver(hooks, b"{not json")
    not_event = await deliver(hooks, b'{"hello": "world"}')
    assert huge.status_code == 413
    assert not_json.status_code == 400
    assert not_event.status_code == 400
    assert await WebhookEvent.all().count() == 0


# ------------------------------------------------------------- exactly once


async def test_unknown_type_is_stored_as_ignored(hooks: LiveServer) -> None:
    payload = event("account.updated", {"id": "acct_1", "object": "account"})
    response = await deliver(hooks, payload)
    assert response.status_code == 200
    row = await WebhookEvent.get(stripe_event_id=payload["id"])
    assert row.status == EventStatus.IGNORED and row.payload == payload


async def test_an_unknown_type_takes_one_statement_and_its_duplicate_one_without_error(
    hooks: LiveServer,
) -> None:
    """PostgreSQL: the INSERT that answers a duplicate with the stored status
    (one statement); SQLite: the INSERT that skips it, then the status."""
    payload = event("account.updated", {"id": "acct_2", "object": "account"})
    with count_queries() as first:
        assert (await deliver(hooks, payload)).json()["status"] == "ignored"
    with count_queries() as again:
        answer = (await deliver(hooks, payload)).json()
    assert (answer["status"], answer["duplicate"]) == ("ignored", True)
    insert = ["WITH"] if IS_POSTGRES else ["INSERT"]
    assert [q.split()[0] for q in first] == insert, first
    assert [q.split()[0] for q in again] == (insert if IS_POSTGRES else [*insert, "SELECT"]), again
    assert all("ON CONFLICT" in q for q in first + again[:1])  # no failed INSERT, no exception
    assert "PAYLOAD" not in again[-1].split("FROM")[-2]  # the status only, not the JSON


async def test_a_handled_price_event_claims_its_row_in_one_update(hooks: LiveServer) -> None:
    """Lock + processed mark are one UPDATE; a price absent when the event was
    read is inserted unless it appeared meanwhile (one statement, no savepoint,
    no second read)."""
    await Plan.create(key="pinned", name="Pinned", stripe_product_id="prod_pinned")
    price = {
        "id": "price_pinned",
        "object": "price",
        "active": True,
        "currency": "usd",
        "unit_amount": 900,
        "product": "prod_pinned",
        "recurring": {"interval": "month", "interval_count": 1},
        "metadata": {},
    }
    with count_queries() as statements:
        answer = (await deliver(hooks, event("price.created", price))).json()
    assert answer["status"] == "processed"

    def table(q: str) -> str:
        if q.startswith("SELECT"):
            return q.split(" FROM ")[-1].split()[0]
        return q.split()[2 if q.startswith("INSERT") else 1]

    kinds = [(q.split()[0], table(q)) for q in statements]
    assert kinds == [
        ("WITH", '"NEW"') if IS_POSTGRES else ("INSERT", '"WEBHOOK_EVENT"'),
        ("SELECT", '"PLAN"'),  # the price's plan by its product (no metadata)
        ("SELECT", '"PLAN"'),  # fetch step: the plan exists, with the price's row as it is
        ("UPDATE", '"WEBHOOK_EVENT"'),  # the transaction: claim (lock + processed)
        ("INSERT", '"PLAN_PRICE"'),
    ], statements
    assert "LEFT JOIN" in statements[2]
    assert "NOT IN" in statements[3] and "ON CONFLICT" in statements[4]
    mirrored = await PlanPrice.get(stripe_price_id="price_pinned")
    assert (mirrored.plan_id, mirrored.amount) == ("pinned", 900)


async def test_sequential_duplicates_apply_once(hooks: LiveServer, recorded) -> None:
    payload = event("balance.available", {"id": "bal"})
    answers = [await deliver(hooks, payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["duplicate"] for a in answers] == [False, True, True]
    assert recorded == [payload["id"]]
    row = await WebhookEvent.get(stripe_event_id=payload["id"])
    assert (row.status, row.attempts) == (EventStatus.PROCESSED, 1)


@pytest.mark.skipif(not IS_POSTGRES, reason="SQLite serialises writers; the race needs PostgreSQL")
async def test_concurrent_duplicates_apply_once(hooks: LiveServer, recorded) -> None:
    payload = event("balance.available", {"id": "bal"})
    body = json.dumps(payload).encode()
    clients = [httpx.AsyncClient(base_url=hooks.url) for _ in range(5)]
    try:
        answers = await asyncio.gather(
            *(
                client.post(
                    "/webhooks/stripe",
                    content=body,
                    headers={"Stripe-Signature": sign(body, WEBHOOK_SECRET)},
                )
                for client in clients
            )
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    assert all(a.status_code == 200 for a in answers)
    assert sorted(a.json()["duplicate"] for a in answers) == [False, True, True, True, True]
    assert recorded == [payload["id"]]
    assert await WebhookEvent.filter(stripe_event_id=payload["id"]).count() == 1


async def test_failing_handler_rolls_back_and_stripe_retry_succeeds(hooks: LiveServer) -> None:
    await Plan.create(key="free", name="Free")
    fault = {"on": True}

    async def rename_then_fail(event: Event, fetched: None) -> None:
        await Plan.filter(key="free").update(name="half-written")
        if fault["on"]:
            raise RuntimeError("database hiccup")

    registry.add("balance.available", Handler(rename_then_fail))
    try:
        payload = event("balance.available", {"id": "bal"})
        failed = await deliver(hooks, payload)
        row = await WebhookEvent.get(stripe_event_id=payload["id"])
        plan_after_failure = await Plan.get(key="free")
        fault["on"] = False
        retried = await deliver(hooks, payload)
    finally:
        registry.remove("balance.available")
    assert failed.status_code == 500
    assert plan_after_failure.name == "Free"  # nothing half-written
    assert row.status == EventStatus.FAILED and row.attempts == 1
    assert "database hiccup" in (row.last_error or "")
    assert retried.status_code == 200
    await row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (EventStatus.PROCESSED, 2, None)
    assert (await Plan.get(key="free")).name == "half-written"


async def test_after_commit_follow_ups_run_after_the_commit_and_are_retried_on_failure(
    hooks: LiveServer, sandbox
) -> None:
    """What an event leads to in Stripe (e.g. cancel a duplicate subscription)
    runs once the handler's transaction committed; if it fails, the event
    fails so that Stripe's retry runs the handler and the follow-up again."""
    await Plan.create(key="free", name="Free")
    seen: list[str] = []
    fault = {"on": True}

    async def rename(event: Event, fetched: None) -> None:
        await Plan.filter(key="free").update(name="renamed")

    async def follow_up(event: Event, gateway: StripeGateway) -> None:
        seen.append((await Plan.get(key="free")).name)
        await gateway.list_refunds("ch_none")  # the test gateway refuses this inside a transaction
        if fault["on"]:
            raise RuntimeError("Stripe hiccup")

    registry.add("balance.available", Handler(rename))
    registry.after_commit("balance.available")(follow_up)
    try:
        payload = event("balance.available", {"id": "bal"})
        failed = await deliver(hooks, payload)
        row = await WebhookEvent.get(stripe_event_id=payload["id"])
        fault["on"] = False
        retried = await deliver(hooks, payload)
    finally:
        registry.remove("balance.available")
    assert failed.status_code == 500
    assert row.status == EventStatus.FAILED and "Stripe hiccup" in (row.last_error or "")
    assert seen == ["renamed", "renamed"]  # the write was committed before the follow-up ran
    assert retried.status_code == 200
    await row.refresh_from_db()
    assert (row.status, row.attempts) == (EventStatus.PROCESSED, 2)


async def test_registry_refuses_unknown_event_names() -> None:
    with pytest.raises(ValueError, match="not a Stripe event type"):
        registry.handles("price.updatd")


# ---------------------------------------------------------------- ordering


async def _synced(sandbox) -> tuple[StripeGateway, PlanPrice]:
    gateway = StripeGateway(make_settings(sandbox))
    await sync_catalog(load_catalog(None), gateway)
    return gateway, await PlanPrice.get(lookup_key=lookup_key("premium", "month"))


async def test_older_price_event_never_overwrites_newer(hooks: LiveServer, sandbox) -> None:
    gateway, row = await _synced(sandbox)
    archived = await gateway.update_price(row.stripe_price_id, {"active": False})
    t = int(time.time())
    newer = event("price.updated", archived, t + 10, previous_attributes={"active": True})
    older = event("price.updated", {**archived, "active": True}, t + 5)

    assert (await deliver(hooks, newer)).status_code == 200
    assert (await deliver(hooks, older)).status_code == 200

    await row.refresh_from_db()
    assert row.active is False and row.stripe_version == t + 10
    body = await hooks.gql("{ plans { id prices { interval } } }")
    premium = next(p for p in body["data"]["plans"] if p["id"] == "premium")
    assert premium["prices"] == [{"interval": "YEAR"}]  # the archived monthly price is gone


async def test_same_second_events_end_in_stripes_current_state(hooks: LiveServer, sandbox) -> None:
    gateway, row = await _synced(sandbox)
    current = await gateway.update_price(row.stripe_price_id, {"active": False})
    t = int(time.time())
    await deliver(hooks, event("price.updated", current, t))  # version t
    # Two updates in one second, with contradicting payloads; Stripe holds inactive.
    await deliver(hooks, event("price.updated", {**current, "active": True}, t + 1))
    await deliver(hooks, event("price.updated", {**current, "active": False}, t + 1))
    await deliver(hooks, event("price.updated", {**current, "active": True}, t + 1))
    await row.refresh_from_db()
    assert row.active is False


async def test_older_product_event_never_overwrites_newer(hooks: LiveServer, sandbox) -> None:
    gateway, _ = await _synced(sandbox)
    renamed = await gateway.update_product("billgraph_pro", {"name": "Pro 2027"})
    t = int(time.time())
    await deliver(hooks, event("product.updated", renamed, t + 10))
    await deliver(hooks, event("product.updated", {**renamed, "name": "Pro (old)"}, t + 5))
    body = await hooks.gql("{ plans { id name } }")
    assert {"id": "pro", "name": "Pro 2027"} in body["data"]["plans"]


async def test_update_for_an_object_stripe_no_longer_has_is_skipped(
    hooks: LiveServer, sandbox
) -> None:
    _, row = await _synced(sandbox)
    await sandbox.reset_async()  # Stripe forgets the price; our mirror still has it
    stale = {"id": row.stripe_price_id, "object": "price", "active": False, "currency": "usd"}
    payload = event("price.updated", {**stale, "metadata": {"billgraph_plan": "premium"}})
    response = await deliver(hooks, payload)
    assert response.status_code == 200
    assert (await WebhookEvent.get(stripe_event_id=payload["id"])).status == EventStatus.PROCESSED
    await row.refresh_from_db()
    assert row.active is True


# ---------------------------------------------------------------- recovery


async def test_replay_failed_applies_an_event_that_failed(hooks: LiveServer, sandbox) -> None:
    gateway, row = await _synced(sandbox)
    await gateway.update_price(row.stripe_price_id, {"active": False})
    # Stripe is unreachable while the event arrives: the re-fetch fails.
    down = await start_server(
        make_settings(sandbox, stripe_api_base="http://127.0.0.1:9", stripe_secret_key="sk_test_x")
    )
    try:
        payload = event("price.updated", {"id": row.stripe_price_id, "object": "price"})
        assert (await deliver(down, payload)).status_code == 500
    finally:
        await down.stop()
    stored = await WebhookEvent.get(stripe_event_id=payload["id"])
    assert stored.status == EventStatus.FAILED and "STRIPE_UNAVAILABLE" in stored.last_error

    lines: list[str] = []
    first = await replay(gateway, failed_only=True, progress=lines.append)
    second = await replay(gateway, failed_only=True, progress=lines.append)

    assert first == {"processed": 1} and second == {}
    assert lines == [f"{payload['id']} price.updated: processed"]
    await row.refresh_from_db()
    assert row.active is False


async def test_reconcile_applies_events_missed_while_down(db, sandbox) -> None:
    gateway, row = await _synced(sandbox)
    # The endpoint is down: the sandbox emits events nobody receives.
    await gateway.update_price(row.stripe_price_id, {"active": False})
    await gateway.update_product("billgraph_pro", {"name": "Pro renamed in the dashboard"})
    assert await WebhookEvent.all().count() == 0

    since = datetime.now(UTC) - timedelta(hours=1)
    first = await reconcile(gateway, since=since, progress=lambda _: None)
    second = await reconcile(gateway, since=since, progress=lambda _: None)

    assert first["processed"] >= 2 and first["failed"] == 0
    assert second["processed"] == 0 and second["already stored"] == sum(first.values())
    await row.refresh_from_db()
    assert row.active is False
    assert (await Plan.get(key="pro")).name == "Pro renamed in the dashboard"


async def test_cli_reconcile_prints_progress_and_is_safe_to_repeat(db, sandbox) -> None:
    gateway, row = await _synced(sandbox)
    await gateway.update_price(row.stripe_price_id, {"active": False})
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": DATABASE_URL,
        "STRIPE_SECRET_KEY": sandbox.secret_key,
        "STRIPE_API_BASE": sandbox.url,
    }
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    command = [sys.executable, "-m", "server", "webhooks", "reconcile", "--since", since]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    first = await asyncio.to_thread(run)
    second = await asyncio.to_thread(run)

    assert first.returncode == 0, first.stderr
    assert "price.updated: processed" in first.stdout
    assert first.stdout.strip().splitlines()[-1].startswith("reconcile: ")
    assert second.returncode == 0, second.stderr
    assert "processed" not in second.stdout and "already stored" in second.stdout
    await row.refresh_from_db()
    assert row.active is False
