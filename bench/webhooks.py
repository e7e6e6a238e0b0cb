"""Verified Stripe webhook events ingested per second, as a ratio to raw Starlette.

    make bench-webhooks            (= .venv/bin/python -m bench.webhooks)
    .venv/bin/python -m bench.webhooks --rounds 1 --duration 2 --no-postgres   (quick look)

One run (``bench.harness.run_bench``) starts, on free 127.0.0.1 ports, a fake
Stripe (every PaymentIntent has succeeded), then one uvicorn process (one
worker, uvloop + httptools when installed, log level warning) per target:

- raw starlette: one POST route that reads the body and answers 200 JSON;
- raw sqlite / raw postgres: the same work as billgraph on the driver, with
  billgraph's SQL text (see ``raw_db_app``); raw postgres, insert only: the
  signature and the event row alone, whatever the event;
- billgraph sqlite: a fresh migrated SQLite database in a temp dir;
- billgraph postgres (and the same without the outbox): a throwaway
  PostgreSQL from tests.pgcluster, when one can start here (otherwise the
  report says why it was skipped).

billgraph is the real ``create_app(settings)`` with STRIPE_WEBHOOK_SECRET set
and a dummy sk_test_ key whose STRIPE_API_BASE is the fake Stripe. For each
measurement a separate load process (asyncio protocol, hand-written
keep-alive HTTP/1.1 so the client stays cheap, N connections with one request
in flight each) sends Stripe-shaped events signed with the configured secret
(webhooks.signature.sign). Every scenario runs against every target with the
same bytes:

- unique:  an event type with no handler (customer.created, or
           balance.available should customer.created get one), a new event
           id each time: stored, then marked "ignored";
- repeat:  one such event delivered again and again: the duplicate path
           (the insert loses on the unique id, the stored outcome is read);
- handled: price.created for a new price of a plan seeded before the run, a
           new event id each time: the catalog handler mirrors the price
           (no Stripe fetch: the price is not in the mirror yet);
- payment: payment_intent.succeeded for one of the payments seeded as
           processing: the intent read from the fake Stripe, the payment
           marked succeeded, payment.succeeded written to the outbox.

Rounds repeat the whole matrix; ratios are taken within a round and the
report shows medians. Afterwards the databases are queried: stored events
must equal the unique event ids sent, outcomes must match, and every
response must have been 2xx. The report goes to bench/results/webhooks.txt
and stdout; the exit status is 1 if a check failed. Traffic goes only to
127.0.0.1, every phase is bounded in time and count, and every process
started here is stopped before exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import re
import sys
import time
from collections import Counter
from typing import Any

from bench.harness import (
    ROOT,
    Bench,
    Children,
    Server,
    Target,
    bench_main,
    billgraph_settings,
    check,
    cost_us,
    measure,
    median,
    rss_check,
    scenario_table,
    serve_on_free_port,
)

RESULTS = ROOT / "bench" / "results" / "webhooks.txt"
WEBHOOK_SECRET = "whsec_bench_" + "0123456789abcdef" * 2
PATH = "/webhooks/stripe"
PLAN_KEY = "bench"
PRODUCT_ID = "prod_billgraphbench"
SCENARIOS = ("unique", "repeat", "handled", "payment")
PAYMENTS = 20_000  # seeded per database: each payment event succeeds a new one
INSERT_ONLY = "raw postgres, insert only"
SCENARIO_TITLES = {
    "unique": "unique events (@TYPE@, no handler: stored as ignored)",
    "repeat": "the same @TYPE@ event repeated (duplicate path)",
    "handled": "unique price.created events (handler mirrors the price)",
    "payment": "unique payment_intent.succeeded for a known payment (Stripe read, payment "
    "marked succeeded, payment.succeeded to the outbox)",
}


# --------------------------------------------------------------------- servers


def raw_app() -> Any:
    """The baseline: one POST route that reads the body and answers 200 JSON."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def webhook(request: Request) -> Response:
        await request.body()
        return JSONResponse({"received": True})

    return Starlette(routes=[Route(PATH, webhook, methods=["POST"])])


def raw_statements(database_url: str) -> dict[str, Any]:
    """billgraph's own SQL text on this dialect, from the code it runs: the
    event INSERT (``webhooks.store``, as one ON CONFLICT statement there; the
    raw route sends the executor's plain INSERT and takes the unique error as a
    duplicate), the claim UPDATE of ``webhooks.store``, the price's ``INSERT
    ... ON CONFLICT DO NOTHING`` and the payment's read, locked read and UPDATE
    (``models.sql``), the outbox INSERT (with its NOTIFY on PostgreSQL:
    ``billing.events``)."""
    from tortoise import Tortoise

    from billing.events import insert_events, notify_events
    from models.catalog import PlanPrice
    from models.database import tortoise_config
    from models.payments import Payment
    from models.sql import insert_statement, select_by, update_by_pk
    from models.webhooks import WebhookEvent
    from webhooks import store

    async def extract() -> dict[str, Any]:
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            connection = Tortoise.get_connection("default")
            postgres = connection.capabilities.dialect == "postgres"
            found: dict[str, Any] = {
                "claim": store.statements(connection)["claim"],
                "price": insert_statement(PlanPrice, "stripe_price_id", '"id"'),
                "outbox": (notify_events(1) if postgres else insert_events(1)).text,
            }
            for name, lock in (("payment", False), ("locked", postgres)):
                found[name] = select_by(Payment, "stripe_payment_intent_id", lock).text
            written = ("status", "failure_message", "stripe_version", "updated_at")
            found["succeed"] = update_by_pk(Payment, written).text
            executor = connection.executor_class(model=WebhookEvent, db=connection)
            found["event"] = (executor.insert_query, list(executor.regular_columns))
            return found
        finally:
            await Tortoise.close_connections()

    return asyncio.run(extract())


def raw_db_app(database_url: str, stripe_port: int, insert_only: bool = False) -> Any:
    """The baseline with the database, doing billgraph's work on the driver with
    billgraph's SQL text: verify the signature (billgraph's own function), insert
    the event row; for price.created, read the plan with the price's row (one
    LEFT JOIN), then in one transaction claim the event and insert the price
    unless it appeared meanwhile; for
    payment_intent.succeeded, read the intent from Stripe (plain httpx, keep-alive),
    read the payment, then in one transaction claim the event, lock the payment,
    mark it succeeded, write the outbox event and its NOTIFY. ``insert_only``:
    every event only verified and inserted (the baseline before the handled
    scenarios got their own)."""
    import uuid
    from datetime import UTC, datetime

    import httpx
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    import billing.stripe_gateway  # noqa: F401  (httpx as billgraph runs it: the sniffio note)
    from bench.usage import RawDatabase
    from billing.events import CHANNEL
    from webhooks.signature import SignatureError, verify

    sql = raw_statements(database_url)
    database = RawDatabase(database_url)
    postgres = database.postgres
    secrets_ = (WEBHOOK_SECRET,)
    stripe = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{stripe_port}",
        headers={"Authorization": "Bearer sk_test_raw", "Stripe-Version": "bench"},
    )

    def key() -> Any:
        return uuid.uuid4() if postgres else str(uuid.uuid4())

    async def insert(execute: Any, statement: tuple[str, list[str]], values: dict) -> None:
        text, columns = statement
        await execute(text, *(values[c] for c in columns))

    async def transaction(execute: Any, event_key: Any, work: Any) -> bool:
        """BEGIN, claim the event (billgraph's UPDATE), ``work``, COMMIT."""
        async with database.lock if not postgres else contextlib.nullcontext():
            await execute("BEGIN")
            try:
                now = database.stamp(datetime.now(UTC))
                claimed = await execute(sql["claim"], "processed", now, event_key)
                if claimed:
                    await work()
            except BaseException:
                await execute("ROLLBACK")
                raise
            await execute("COMMIT")
        return bool(claimed)

    async def price(fetch: Any, execute: Any, event: dict, event_key: Any) -> None:
        state = event["data"]["object"]
        plan = state["metadata"]["billgraph_plan"]
        found = await fetch(
            'SELECT "plan_price".* FROM "plan" LEFT JOIN "plan_price" '
            'ON "plan_price"."stripe_price_id"=? WHERE "plan"."key"=?',
            state["id"],
            plan,
        )
        if not found or found[0]["id"] is not None:  # no plan; an update (not sent here)
            return

        async def mirror() -> None:
            now = database.stamp(datetime.now(UTC))
            values = {
                "id": key(),
                "created_at": now,
                "updated_at": now,
                "stripe_version": event["created"],
                "type": "recurring",
                "interval": state["recurring"]["interval"],
                "interval_count": state["recurring"]["interval_count"],
                "amount": state["unit_amount"],
                "currency": state["currency"],
                "active": state["active"],
                "stripe_price_id": state["id"],
                "lookup_key": state["lookup_key"],
                "plan_id": plan,
            }
            if not (await fetch(sql["price"][0], *(values[c] for c in sql["price"][1]))):
                raise RuntimeError("the price appeared meanwhile (not in this benchmark)")

        await transaction(execute, event_key, mirror)

    async def payment(fetch: Any, execute: Any, event: dict, event_key: Any) -> None:
        intent_id = event["data"]["object"]["id"]
        intent = (await stripe.get(f"/v1/payment_intents/{intent_id}")).json()
        if intent["status"] != "succeeded":
            raise ValueError("Stripe does not confirm the payment")
        if not await fetch(sql["payment"], intent_id):
            return

        async def succeed() -> None:
            row = (await fetch(sql["locked"], intent_id))[0]
            now = database.stamp(datetime.now(UTC))
            await execute(sql["succeed"], "succeeded", None, event["created"], now, row["id"])
            outbox_id = key()
            payload = {
                "payment": {
                    "id": str(row["id"]),
                    "status": "SUCCEEDED",
                    "amount": {"amount": row["amount"], "currency": row["currency"]},
                }
            }
            values = [outbox_id, "payment.succeeded", row["user_id"], now, json.dumps(payload)]
            notify = [[CHANNEL], [str(outbox_id)]] if postgres else []
            await execute(sql["outbox"], *values, *notify)

        await transaction(execute, event_key, succeed)

    handlers = {} if insert_only else {"price.created": price, "payment_intent.succeeded": payment}

    async def webhook(request: Request) -> Response:
        body = await request.body()
        try:
            verify(body, request.headers.get("stripe-signature"), secrets_)
        except SignatureError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        event = json.loads(body)
        handler = handlers.get(event["type"])
        values = {
            "id": key(),
            "stripe_event_id": event["id"],
            "type": event["type"],
            "api_version": event.get("api_version"),
            "created": event["created"],
            "livemode": bool(event.get("livemode")),
            "payload": json.dumps(event),
            "status": "received" if handler else "ignored",
            "attempts": 0,
            "last_error": None,
            "received_at": database.stamp(datetime.now(UTC)),
            "processed_at": None,
        }
        async with database.session() as (fetch, execute):
            try:
                await insert(execute, sql["event"], values)
            except Exception as exc:  # the unique event id: asyncpg's or sqlite3's error
                if "unique" not in str(exc).lower():
                    raise
                return JSONResponse({"received": True, "status": "ignored", "duplicate": True})
            if handler is not None:
                await handler(fetch, execute, event, values["id"])
        status = "processed" if handler else "ignored"
        return JSONResponse({"received": True, "status": status, "duplicate": False})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await database.open()
        yield
        await stripe.aclose()

    return Starlette(routes=[Route(PATH, webhook, methods=["POST"])], lifespan=lifespan)


def fake_stripe_app() -> Any:
    """Stripe for the payment scenario: every PaymentIntent has succeeded."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def intent(request: Request) -> Response:
        return JSONResponse(_intent(int(time.time()) - 5, request.path_params["id"]))

    return Starlette(routes=[Route("/v1/payment_intents/{id}", intent)])


def without_outbox() -> None:
    """The "without" side of the outbox's cost (this bench's server child only):
    every module's ``record`` writes nothing."""
    import billing.events

    real = billing.events.record

    async def record_nothing(events: Any) -> None:
        return None

    for module in list(sys.modules.values()):
        if getattr(module, "record", None) is real:
            module.record = record_nothing  # type: ignore[attr-defined]


def serve_child(kind: str, database_url: str, stripe_port: int) -> None:
    """Run one target in this process; print its port once the socket is bound."""
    if kind == "raw":
        app = raw_app()
    elif kind in ("rawdb", "rawinsert"):
        app = raw_db_app(database_url, stripe_port, insert_only=kind == "rawinsert")
    elif kind == "stripe":
        app = fake_stripe_app()
    else:
        from server.app import create_app

        settings = billgraph_settings(
            database_url, stripe_port, stripe_webhook_secret=WEBHOOK_SECRET
        )
        if kind == "nooutbox":
            import webhooks.handlers  # noqa: F401  (imports every module that records)

            without_outbox()
        app = create_app(settings, background=kind != "nooutbox")
    serve_on_free_port(app)


def prepare_child(database_url: str) -> None:
    """Migrate the fresh database and seed the plan the price events belong to."""
    from tortoise import Tortoise

    from models.catalog import Plan
    from models.database import tortoise_config
    from models.payments import Payment, PaymentStatus
    from server.migrations import upgrade

    async def prepare() -> None:
        await upgrade(database_url)
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            await Plan.create(key=PLAN_KEY, name="Bench plan", stripe_product_id=PRODUCT_ID)
            for start in range(0, PAYMENTS, 1000):
                await Payment.bulk_create(
                    [
                        Payment(
                            user_id=f"user-{n % 64}",
                            stripe_payment_intent_id=intent_id(n),
                            amount=1500,
                            currency="usd",
                            status=PaymentStatus.PROCESSING,
                        )
                        for n in range(start, min(PAYMENTS, start + 1000))
                    ]
                )
        finally:
            await Tortoise.close_connections()

    asyncio.run(prepare())


def count_child(database_url: str) -> None:
    """Print what the database holds after the run, as JSON."""
    from tortoise import Tortoise

    from models.database import tortoise_config

    async def count() -> dict[str, Any]:
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            connection = Tortoise.get_connection("default")
            rows = await connection.execute_query_dict(
                "SELECT status, type, COUNT(*) AS n FROM webhook_event GROUP BY status, type"
            )
            prices = await connection.execute_query_dict(
                "SELECT COUNT(*) AS n FROM plan_price WHERE plan_id = 'bench'"
            )
            outbox = await connection.execute_query_dict(
                "SELECT COUNT(*) AS n FROM outbox_event WHERE type = 'payment.succeeded'"
            )
            succeeded = await connection.execute_query_dict(
                "SELECT COUNT(*) AS n FROM payment WHERE status = 'succeeded'"
            )
            distinct = await connection.execute_query_dict(
                "SELECT COUNT(DISTINCT stripe_event_id) AS n FROM webhook_event"
            )
        finally:
            await Tortoise.close_connections()
        return {
            "events": {f"{r['type']} {r['status']}": int(r["n"]) for r in rows},
            "distinct_ids": int(distinct[0]["n"]),
            "plan_prices": int(prices[0]["n"]),
            "payments_succeeded": int(succeeded[0]["n"]),
            "outbox_payment_events": int(outbox[0]["n"]),
        }

    print(json.dumps(asyncio.run(count())))


# ----------------------------------------------------------------- load client


def _stripe_event(event_type: str, obj: dict[str, Any], created: int) -> dict[str, Any]:
    from billing.stripe_gateway import API_VERSION

    return {
        "id": "~~EVENT_ID~~",
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_" + "R" * 14, "idempotency_key": "~~EVENT_ID~~"},
        "type": event_type,
    }


def _customer(created: int) -> dict[str, Any]:
    return {
        "id": "cus_" + "C" * 14,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": "jenny.rosen@example.com",
        "invoice_prefix": "0A1B2C3D",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {"billgraph_user": "user-12345"},
        "name": "Jenny Rosen",
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def _price(created: int) -> dict[str, Any]:
    return {
        "id": "~~PRICE_ID~~",
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": "usd",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {"billgraph_plan": PLAN_KEY},
        "nickname": "Bench (monthly)",
        "product": PRODUCT_ID,
        "recurring": {
            "aggregate_usage": None,
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": 1900,
        "unit_amount_decimal": "1900",
    }


def intent_id(n: int) -> str:
    return f"pi_bench{n:020d}"


def _intent(created: int, pid: str = "~~INTENT_ID~~") -> dict[str, Any]:
    return {
        "id": pid,
        "object": "payment_intent",
        "amount": 1500,
        "amount_received": 1500,
        "capture_method": "automatic",
        "client_secret": None,
        "confirmation_method": "automatic",
        "created": created,
        "currency": "usd",
        "customer": "cus_" + "C" * 14,
        "description": None,
        "last_payment_error": None,
        "latest_charge": "ch_" + "H" * 24,
        "livemode": False,
        "metadata": {},
        "payment_method": "pm_" + "M" * 24,
        "payment_method_types": ["card"],
        "status": "succeeded",
    }


def _balance(created: int) -> dict[str, Any]:
    funds = [{"amount": 120_000, "currency": "usd", "source_types": {"card": 120_000}}]
    return {
        "object": "balance",
        "available": funds,
        "connect_reserved": [{"amount": 0, "currency": "usd"}],
        "instant_available": funds,
        "livemode": False,
        "pending": [{"amount": 4_200, "currency": "usd", "source_types": {"card": 4_200}}],
        "refund_and_dispute_prefunding": {"available": [], "pending": []},
    }


# Event types with no handler, most realistic first (the first unhandled one is used).
UNHANDLED = {"customer.created": _customer, "balance.available": _balance}


class Bodies:
    """Request bodies for a scenario: a JSON template with fixed-width ids
    spliced in, so every body has the same size and costs the client little."""

    def __init__(self, scenario: str, event_type: str, tag: str, offset: int = 0) -> None:
        created = int(time.time()) - 5
        self.offset = offset
        if scenario == "handled":
            event = _stripe_event("price.created", _price(created), created)
        elif scenario == "payment":
            event = _stripe_event("payment_intent.succeeded", _intent(created), created)
        else:
            event = _stripe_event(event_type, UNHANDLED[event_type](created), created)
        text = json.dumps(event, separators=(", ", ": "))
        self.tag = tag
        # Even items are literal JSON, odd items the names of the ids to splice in.
        self.parts = [part.encode() for part in re.split(r"~~(\w+)~~", text)]
        self.repeated: bytes | None = None
        if scenario == "repeat":
            self.repeated = self.body(0)

    def ids(self, n: int) -> tuple[bytes, bytes]:
        # Stripe-like widths: evt_ + 24, price_ + 24.
        suffix = f"{self.tag}{n:016d}".encode()
        return b"evt_" + suffix, b"price_" + suffix

    def body(self, n: int) -> bytes:
        if self.repeated is not None:
            return self.repeated
        event_id, price_id = self.ids(n)
        values = {
            b"EVENT_ID": event_id,
            b"PRICE_ID": price_id,
            b"INTENT_ID": intent_id(self.offset + n).encode(),
        }
        return b"".join(values[p] if i % 2 else p for i, p in enumerate(self.parts))


class Load:
    """Shared by all connections of one load process: what to send, what came back."""

    def __init__(self, args: argparse.Namespace) -> None:
        from webhooks.signature import sign

        self.sign = sign
        self.bodies = Bodies(args.scenario, args.event_type, args.tag, args.offset)
        self.prefix = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n"
            "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
        ).encode()
        now = time.perf_counter()
        self.warmup_end = now + args.warmup
        self.measure_end = now + args.warmup + args.duration
        self.max_requests = args.max_requests
        self.issued = 0
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.answers: Counter[bytes] = Counter()
        self.errors: Counter[str] = Counter()

    def next_request(self) -> bytes | None:
        if self.issued >= self.max_requests or time.perf_counter() >= self.measure_end:
            return None
        body = self.bodies.body(self.issued)
        self.issued += 1
        signature = self.sign(body, WEBHOOK_SECRET).encode()
        return b"%sStripe-Signature: %s\r\nContent-Length: %d\r\n\r\n%s" % (
            self.prefix,
            signature,
            len(body),
            body,
        )

    def record(self, status: int, answer: bytes, start: float, done: float) -> None:
        self.statuses[status] += 1
        self.answers[answer[:200]] += 1
        if self.warmup_end <= done <= self.measure_end:
            self.latencies.append(done - start)


# ---------------------------------------------------------------- orchestrator


async def _load(args: argparse.Namespace) -> dict[str, Any]:
    load = Load(args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {
        **result,
        "sent": load.issued,
        "unique_ids": min(1, load.issued) if args.scenario == "repeat" else load.issued,
        "body_bytes": len(load.bodies.body(0)),
        "statuses": {str(k): v for k, v in load.statuses.items()},
        "answers": {k.decode(errors="replace"): v for k, v in load.answers.items()},
    }


def _load_args(target: Target, scenario: str, args: argparse.Namespace) -> list[str]:
    """The unhandled type to send, and for payment events the first seeded
    payment this target has not succeeded yet."""
    offset = sum(int(r["sent"]) for r in target.runs["payment"])
    if scenario == "payment" and target.kind in BILLGRAPH and offset >= PAYMENTS:
        raise SystemExit(f"bench: more payment events than the {PAYMENTS} seeded payments")
    return [f"--event-type={_unhandled_type()}", f"--offset={offset}"]


@functools.cache
def _unhandled_type() -> str:
    import webhooks.handlers  # noqa: F401  (registers the handlers)
    from webhooks.registry import registry

    if registry.get("price.created") is None:
        raise SystemExit("bench: price.created has no handler any more; update the benchmark")
    for event_type in UNHANDLED:
        if registry.get(event_type) is None:
            return event_type
    raise SystemExit(f"bench: all of {list(UNHANDLED)} have handlers; add an unhandled type")


def _verify(
    target: Target, counts: dict[str, Any], event_type: str, failures: list[str]
) -> list[str]:
    def sent(scenario: str) -> int:
        return sum(int(r["unique_ids"]) for r in target.runs[scenario])

    events = counts["events"]
    expected = {
        f"{event_type} ignored": sent("unique") + sent("repeat"),
        "price.created processed": sent("handled"),
        "payment_intent.succeeded processed": sent("payment"),
    }
    expected = {outcome: n for outcome, n in expected.items() if n}  # scenarios that ran
    total = sum(expected.values())
    return [
        check(
            f"{target.name}: stored events = unique event ids sent",
            counts["distinct_ids"] == total and sum(events.values()) == total,
            f"{sum(events.values()):,} rows, {counts['distinct_ids']:,} distinct ids, "
            f"{total:,} unique ids sent",
            failures,
        ),
        check(
            f"{target.name}: stored outcomes",
            events == expected,
            f"{json.dumps(events, sort_keys=True)} (expected "
            f"{json.dumps(expected, sort_keys=True)})",
            failures,
        ),
        check(
            f"{target.name}: prices mirrored by the handler",
            counts["plan_prices"] == sent("handled"),
            f"{counts['plan_prices']:,} plan_price rows for {sent('handled'):,} price events",
            failures,
        ),
        check(
            f"{target.name}: payments succeeded by the handler",
            counts["payments_succeeded"] == sent("payment"),
            f"{counts['payments_succeeded']:,} succeeded payments for {sent('payment'):,} events",
            failures,
        ),
        check(
            f"{target.name}: payment.succeeded events in the outbox",
            counts["outbox_payment_events"]
            == (0 if target.name.endswith("no outbox") else sent("payment")),
            f"{counts['outbox_payment_events']:,}",
            failures,
        ),
    ]


def _ran(targets: list[Target]) -> list[str]:
    return [scenario for scenario in SCENARIOS if targets[0].runs[scenario]]


def _insert_only(targets: list[Target]) -> list[str]:
    """billgraph against the raw route that only verifies and inserts the event
    row, whatever its type: the figure before the handled scenarios had a
    baseline doing their work (kept so that nothing looks better than it is)."""
    by_name = {t.name: t for t in targets}
    billgraph, raw = by_name.get("billgraph postgres"), by_name.get(INSERT_ONLY)
    if billgraph is None or raw is None:
        return []
    lines = [f"billgraph postgres / {INSERT_ONLY} (same round):"]
    for scenario in _ran(targets):
        pairs = zip(billgraph.runs[scenario], raw.runs[scenario], strict=True)
        ratios = [a["rps"] / b["rps"] for a, b in pairs]
        lines.append(
            f"  {scenario:<9} req/s ratio {median(ratios):.3f} "
            f"({min(ratios):.3f}-{max(ratios):.3f})"
        )
    return [*lines, ""]


def _outbox_cost(targets: list[Target]) -> list[str]:
    """Issue 12: what the outbox costs a handled webhook (same round, same database kind)."""
    by_name = {t.name: t for t in targets}
    with_, without = by_name.get("billgraph postgres"), by_name.get("billgraph postgres, no outbox")
    if with_ is None or without is None:
        return []
    lines = ["The outbox's cost (billgraph postgres with / without outbox, same round):"]
    for scenario in _ran(targets):
        ratios = [
            a["rps"] / b["rps"]
            for a, b in zip(with_.runs[scenario], without.runs[scenario], strict=True)
        ]
        cpu = [
            cost_us(a) / cost_us(b)
            for a, b in zip(with_.runs[scenario], without.runs[scenario], strict=True)
        ]
        lines.append(
            f"  {scenario:<9} req/s ratio {median(ratios):.3f} "
            f"({min(ratios):.3f}-{max(ratios):.3f}), server CPU per request x{median(cpu):.2f}"
        )
    return [*lines, ""]


def _report(
    args: argparse.Namespace,
    targets: list[Target],
    counts: dict[str, dict[str, Any]],
    event_type: str,
    machine: list[str],
    notes: list[str],
) -> tuple[str, bool]:
    lines = [
        "billgraph: verified Stripe webhook events ingested per second (bench/webhooks.py)",
        "=" * 78,
        *machine,
        f"load:     {args.connections} connections; {args.rounds} round(s), each running every "
        f"scenario against every target in turn ({args.warmup:g} s warm-up, "
        f"{args.duration:g} s measured)",
        "",
        "Columns: medians over the rounds. ratio = req/s / req/s of the target's baseline in the",
        "same round (min-max over rounds): raw sqlite / raw postgres verify the signature and",
        "insert the same webhook_event row with billgraph's own INSERT text (taken from its",
        "Tortoise executor) on the driver, and for handled events do billgraph's work with its",
        "SQL text: price.created reads the plan with the price's row, then claims the event and",
        "inserts the price (ON CONFLICT DO NOTHING) in one transaction;",
        "payment_intent.succeeded GETs the intent from the same fake Stripe (httpx,",
        "keep-alive), then claims the event, marks the locked payment succeeded and writes the",
        f"outbox row + NOTIFY in one transaction. {INSERT_ONLY} only verifies and inserts (the",
        "old baseline). raw starlette (no database) is its own baseline.",
        "us/req = server CPU per request (not PostgreSQL's). RSS MB = peak resident set.",
        "CPU ratio = baseline us/req / target us/req.",
        "",
    ]
    by_name = {t.name: t for t in targets}
    for scenario in _ran(targets):
        title = SCENARIO_TITLES[scenario].replace("@TYPE@", event_type)
        body = targets[0].runs[scenario][0]["body_bytes"]
        lines.extend(
            scenario_table(
                f"{title}; body {body} bytes",
                scenario,
                targets,
                lambda t: by_name[t.baseline or t.name],
            )
        )
    lines.extend(_insert_only(targets))
    lines.extend(_outbox_cost(targets))
    lines.append("Verification (every request of the run, warm-ups included):")
    failures: list[str] = []
    for target in targets:
        statuses: Counter[str] = Counter()
        errors: Counter[str] = Counter()
        for runs in target.runs.values():
            for r in runs:
                statuses.update(r["statuses"])
                errors.update(r["errors"])
        total = sum(statuses.values())
        non2xx = sum(n for code, n in statuses.items() if not code.startswith("2"))
        lines.append(
            check(
                f"{target.name}: every response 2xx",
                non2xx == 0 and not errors and total > 0,
                f"{total:,} responses, statuses {dict(statuses)}, connection errors "
                f"{dict(errors) or 0}",
                failures,
            )
        )
    for target in (t for t in targets if t.kind in BILLGRAPH):
        lines.extend(_verify(target, counts[target.name], event_type, failures))
        answers: Counter[str] = Counter()
        for runs in target.runs.values():
            for r in runs:
                answers.update(r["answers"])
        lines.append(f"  {target.name}: answers")
        lines.extend(f"      {n:>8,} x {answer}" for answer, n in answers.most_common())
    lines.extend(rss_check(targets, failures))
    lines.extend(["", *notes] if notes else [])
    lines.append("")
    lines.append("RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}"))
    return "\n".join(lines) + "\n", not failures


def servers(folder: str, pg_url: str | None) -> list[Server]:
    """raw starlette, then per database kind the raw route(s), then billgraph."""
    found = [
        Server("raw starlette", "raw", "-", "-", "raw starlette"),
        Server("raw sqlite", "rawdb", "sqlite", f"sqlite://{folder}/raw.sqlite3", "raw sqlite"),
    ]
    if pg_url:
        base = pg_url.rsplit("/", 1)[0]
        found += [
            Server("raw postgres", "rawdb", "postgres", f"{base}/raw", "raw postgres"),
            Server(INSERT_ONLY, "rawinsert", "postgres", f"{base}/rawinsert", INSERT_ONLY),
        ]
    sqlite = f"sqlite://{folder}/bench.sqlite3"
    found.append(Server("billgraph sqlite", "billgraph", "sqlite", sqlite, "raw sqlite"))
    if pg_url:
        found += [
            Server("billgraph postgres", "billgraph", "postgres", pg_url, "raw postgres"),
            Server(
                "billgraph postgres, no outbox",
                "nooutbox",
                "postgres",
                f"{pg_url.rsplit('/', 1)[0]}/nooutbox",
                "raw postgres",
            ),
        ]
    return found


def _report_of(
    args: argparse.Namespace,
    targets: list[Target],
    counts: dict[str, dict[str, Any]],
    machine: list[str],
    notes: list[str],
) -> tuple[str, bool]:
    return _report(args, targets, counts, _unhandled_type(), machine, notes)


BILLGRAPH = ("billgraph", "nooutbox")
BENCH = Bench(
    module="bench.webhooks",
    scenarios=SCENARIOS,
    results=RESULTS,
    prepare_args=lambda args: [],
    load_args=_load_args,
    report=_report_of,
    servers=servers,
    kinds=("raw", "rawdb", "rawinsert", *BILLGRAPH),
    counted=BILLGRAPH,
    upstream="stripe",
)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=SCENARIOS,
        default=list(SCENARIOS),
        help="a subset, to profile one path (default: all)",
    )


def _load_options(load: argparse.ArgumentParser) -> None:
    load.add_argument("--event-type", choices=list(UNHANDLED), required=True)
    load.add_argument("--offset", type=int, default=0)


def main(argv: list[str]) -> int:
    children = Children(serve_child, lambda url, extra: prepare_child(url), count_child, _load)
    return bench_main(argv, BENCH, children, __doc__, _options, _load_options)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
