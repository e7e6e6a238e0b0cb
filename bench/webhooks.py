"""Verified Stripe webhook events ingested per second, as a ratio to raw Starlette.

    make bench-webhooks            (= .venv/bin/python -m bench.webhooks)
    .venv/bin/python -m bench.webhooks --rounds 1 --duration 2 --no-postgres   (quick look)

One run starts, on free 127.0.0.1 ports, one uvicorn process (one worker,
uvloop + httptools when installed, log level warning) per target:

- raw starlette: one POST route that reads the body and answers 200 JSON;
- billgraph sqlite: a fresh migrated SQLite database in a temp dir;
- billgraph postgres: a throwaway PostgreSQL from tests.pgcluster, when one
  can start here (otherwise the report says why it was skipped).

billgraph is the real ``create_app(settings)`` with STRIPE_WEBHOOK_SECRET set
and a dummy sk_test_ key whose STRIPE_API_BASE is a loopback port that is
bound but never listens: none of the events sent needs Stripe, and a call
that did would fail at once. For each measurement a separate load process
(asyncio protocol, hand-written keep-alive HTTP/1.1 so the client stays
cheap, N connections with one request in flight each) sends Stripe-shaped
events signed with the configured secret (webhooks.signature.sign). Every
scenario runs against every target with the same bytes:

- unique:  an event type with no handler (customer.created, or
           balance.available should customer.created get one), a new event
           id each time: stored, then marked "ignored";
- repeat:  one such event delivered again and again: the duplicate path
           (the insert loses on the unique id, the stored outcome is read);
- handled: price.created for a new price of a plan seeded before the run, a
           new event id each time: the catalog handler mirrors the price
           (no Stripe fetch: the price is not in the mirror yet).

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
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import (
    ROOT,
    add_load_options,
    add_run_options,
    billgraph_settings,
    check,
    cost_us,
    effective_cpus,
    filesystem,
    machine,
    measure,
    median,
    postgres,
    publish,
    refused_port,
    run_json,
    run_loop,
    run_rounds,
    serve_on_free_port,
    start_server,
    stop_server,
)

RESULTS = ROOT / "bench" / "results" / "webhooks.txt"
WEBHOOK_SECRET = "whsec_bench_" + "0123456789abcdef" * 2
PATH = "/webhooks/stripe"
PLAN_KEY = "bench"
PRODUCT_ID = "prod_billgraphbench"
SCENARIOS = ("unique", "repeat", "handled")
SCENARIO_TITLES = {
    "unique": "unique events (@TYPE@, no handler: stored as ignored)",
    "repeat": "the same @TYPE@ event repeated (duplicate path)",
    "handled": "unique price.created events (handler mirrors the price)",
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


def serve_child(kind: str, database_url: str, dead_port: int) -> None:
    """Run one target in this process; print its port once the socket is bound."""
    if kind == "raw":
        app = raw_app()
    else:
        from server.app import create_app

        app = create_app(
            billgraph_settings(database_url, dead_port, stripe_webhook_secret=WEBHOOK_SECRET)
        )
    serve_on_free_port(app)


def prepare_child(database_url: str) -> None:
    """Migrate the fresh database and seed the plan the price events belong to."""
    from tortoise import Tortoise

    from models.catalog import Plan
    from models.database import tortoise_config
    from server.migrations import upgrade

    async def prepare() -> None:
        await upgrade(database_url)
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            await Plan.create(key=PLAN_KEY, name="Bench plan", stripe_product_id=PRODUCT_ID)
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
            distinct = await connection.execute_query_dict(
                "SELECT COUNT(DISTINCT stripe_event_id) AS n FROM webhook_event"
            )
        finally:
            await Tortoise.close_connections()
        return {
            "events": {f"{r['type']} {r['status']}": int(r["n"]) for r in rows},
            "distinct_ids": int(distinct[0]["n"]),
            "plan_prices": int(prices[0]["n"]),
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

    def __init__(self, scenario: str, event_type: str, tag: str) -> None:
        created = int(time.time()) - 5
        if scenario == "handled":
            event = _stripe_event("price.created", _price(created), created)
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
        values = {b"EVENT_ID": event_id, b"PRICE_ID": price_id}
        return b"".join(values[p] if i % 2 else p for i, p in enumerate(self.parts))


class Load:
    """Shared by all connections of one load process: what to send, what came back."""

    def __init__(self, args: argparse.Namespace) -> None:
        from webhooks.signature import sign

        self.sign = sign
        self.bodies = Bodies(args.scenario, args.event_type, args.tag)
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


def _child(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.webhooks", *args]


@dataclass
class Target:
    name: str
    process: subprocess.Popen[str]
    port: int
    database_url: str | None = None
    runs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {scenario: [] for scenario in SCENARIOS}
    )


def _start(name: str, kind: str, database_url: str, dead_port: int) -> Target:
    process, port = start_server(name, _child("_serve", kind, database_url, str(dead_port)))
    return Target(name, process, port, None if kind == "raw" else database_url)


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


def _load_once(
    target: Target, scenario: str, event_type: str, args: argparse.Namespace
) -> dict[str, Any]:
    command = _child(
        "_load",
        f"--port={target.port}",
        f"--server-pid={target.process.pid}",
        f"--scenario={scenario}",
        f"--event-type={event_type}",
        f"--tag={secrets.token_hex(4)}",
        f"--connections={args.connections}",
        f"--warmup={args.warmup}",
        f"--duration={args.duration}",
        f"--max-requests={args.max_requests}",
    )
    return run_json(command, timeout=args.warmup + args.duration + 120)


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
    }
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
    ]


def _scenario_table(scenario: str, targets: list[Target], event_type: str) -> list[str]:
    raw = targets[0]
    title = SCENARIO_TITLES[scenario].replace("@TYPE@", event_type)
    body = raw.runs[scenario][0]["body_bytes"]
    lines = [
        f"{title}; body {body} bytes",
        f"  {'target':<19}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'srv CPU':>8}{'cli CPU':>8}"
        f"{'us/req':>8}{'ratio':>7}{'(min-max)':>14}{'CPU ratio':>10}",
    ]
    for target in targets:
        runs = target.runs[scenario]
        ratios = [r["rps"] / b["rps"] for r, b in zip(runs, raw.runs[scenario], strict=True)]
        cost = [cost_us(b) / cost_us(r) for r, b in zip(runs, raw.runs[scenario], strict=True)]
        lines.append(
            f"  {target.name:<19}{median([r['rps'] for r in runs]):>8,.0f}"
            f"{median([r['p50_ms'] for r in runs]):>8.1f}"
            f"{median([r['p99_ms'] for r in runs]):>8.1f}"
            f"{median([r['server_cpu'] for r in runs]):>8.0%}"
            f"{median([r['client_cpu'] for r in runs]):>8.0%}"
            f"{median([cost_us(r) for r in runs]):>8.0f}"
            f"{median(ratios):>7.3f}"
            f"{f'({min(ratios):.3f}-{max(ratios):.3f})':>14}"
            f"{median(cost):>10.3f}"
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
        "Columns: medians over the rounds. ratio = billgraph req/s / raw req/s of the same",
        "round (min-max over rounds). srv CPU / cli CPU = CPU time of the server process",
        "(all threads; not PostgreSQL's processes) / of the load process, per second of the",
        "window. us/req = server CPU per request. CPU ratio = raw us/req / billgraph us/req:",
        "the throughput ratio if each server had a CPU to itself and waited on nothing.",
        "",
    ]
    for scenario in SCENARIOS:
        lines.extend(_scenario_table(scenario, targets, event_type))
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
    for target in targets[1:]:
        lines.extend(_verify(target, counts[target.name], event_type, failures))
        answers: Counter[str] = Counter()
        for runs in target.runs.values():
            for r in runs:
                answers.update(r["answers"])
        lines.append(f"  {target.name}: answers")
        lines.extend(f"      {n:>8,} x {answer}" for answer, n in answers.most_common())
    lines.extend(["", *notes] if notes else [])
    lines.append("")
    lines.append("RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}"))
    return "\n".join(lines) + "\n", not failures


def orchestrate(args: argparse.Namespace) -> int:
    notes: list[str] = []
    targets: list[Target] = []
    event_type = _unhandled_type()
    loads = [os.getloadavg()]
    effective = effective_cpus()
    with (
        refused_port() as dead_port,
        tempfile.TemporaryDirectory(prefix="billgraph-bench-", dir=args.sqlite_dir) as folder,
        postgres(notes) if args.postgres else contextlib.nullcontext() as pg_url,
    ):
        databases = {"billgraph sqlite": f"sqlite://{folder}/bench.sqlite3"}
        notes.append(
            f"SQLite file in {Path(folder).parent} ({filesystem(folder)}), "
            "Tortoise defaults: WAL journal, synchronous=FULL (an fsync per commit)."
        )
        if pg_url:
            databases["billgraph postgres"] = pg_url
        try:
            targets.append(_start("raw starlette", "raw", "-", dead_port))
            for name, url in databases.items():
                run_json(_child("_prepare", url), timeout=120)
                targets.append(_start(name, "billgraph", url, dead_port))
            run_rounds(
                args.rounds,
                SCENARIOS,
                targets,
                lambda t, sc: _load_once(t, sc, event_type, args),
            )
        finally:
            for target in targets:
                stop_server(target.process)
        counts = {
            t.name: run_json(_child("_count", t.database_url), timeout=120)
            for t in targets
            if t.database_url
        }
    loads.append(os.getloadavg())
    report, ok = _report(args, targets, counts, event_type, machine(effective, loads), notes)
    return publish(RESULTS, report, ok)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.webhooks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(parser)
    sub = parser.add_subparsers(dest="command")  # internal: the child processes
    serve = sub.add_parser("_serve")
    serve.add_argument("kind", choices=["raw", "billgraph"])
    serve.add_argument("database_url")
    serve.add_argument("dead_port", type=int)
    sub.add_parser("_prepare").add_argument("database_url")
    sub.add_parser("_count").add_argument("database_url")
    load = sub.add_parser("_load")
    add_load_options(load)
    load.add_argument("--scenario", choices=SCENARIOS, required=True)
    load.add_argument("--event-type", choices=list(UNHANDLED), required=True)
    args = parser.parse_args(argv)
    if args.command == "_serve":
        serve_child(args.kind, args.database_url, args.dead_port)
    elif args.command == "_prepare":
        prepare_child(args.database_url)
        print("{}")
    elif args.command == "_count":
        count_child(args.database_url)
    elif args.command == "_load":
        print(json.dumps(run_loop(_load(args))))
    else:
        return orchestrate(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
