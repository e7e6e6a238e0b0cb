"""``payments(first: 100)`` with refunds per second, as a ratio to a raw route
running the same SELECTs.

    .venv/bin/python -m bench.payments            (part of `make bench`)

One database (a throwaway PostgreSQL when one starts, else SQLite) holds 100
payments of the bench user, each with a refund, beside 1,000 of other users.

- billgraph: ``create_app(settings)``, the query below with the user's token;
- raw: a Starlette route that runs, on the driver (bench.usage.RawDatabase,
  one connection per request), the statements billgraph sent for that request,
  with the same text and parameters (captured from Tortoise's statement log
  when billgraph answered it once in a child process), and answers the bytes
  billgraph answered. It builds no JSON, so its req/s is an upper bound and the
  ratio a lower bound.

Scenarios: 32 connections (throughput) and 1 connection (latency: the target
is p50 < 10 ms). Checks: every answer 200 and byte-identical to billgraph's.
Writes bench/results/payments.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import (
    ROOT,
    FixedLoad,
    add_load_options,
    add_run_options,
    billgraph_settings,
    effective_cpus,
    fixed_answer_check,
    machine,
    measure,
    postgres,
    publish,
    refused_port,
    rss_check,
    run_json,
    run_loop,
    run_rounds,
    scenario_table,
    serve_on_free_port,
    start_server,
    stop_server,
)

RESULTS = ROOT / "bench" / "results" / "payments.txt"
JWT_SECRET = "bench-payments-secret-" + "x" * 32
USER = "user-bench"
QUERY = (
    "query Payments { payments(first: 100) { totalCount pageInfo { hasNextPage endCursor } "
    "edges { cursor node { id userId purpose status description failureMessage disputed "
    "stripePaymentIntentId createdAt amount { amount currency formatted } "
    "amountRefunded { amount currency formatted } "
    "refunds { id amount { amount currency formatted } reason status createdAt } } } } }"
)
SCENARIOS = ("32 connections", "1 connection")
CONNECTIONS = {"32 connections": 32, "1 connection": 1}


def _settings(database_url: str, dead_port: int) -> Any:
    return billgraph_settings(
        database_url, dead_port, stripe_webhook_secret="whsec_bench_pay", jwt_secret=JWT_SECRET
    )


def request_bytes(port: int, database_url: str) -> bytes:
    from billing.tokens import mint_token

    token = mint_token(_settings(database_url, 1), USER, ttl_seconds=6 * 3600)
    body = json.dumps({"query": QUERY, "variables": {}, "operationName": "Payments"}).encode()
    return (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def prepare_child(database_url: str) -> None:
    from tortoise import Tortoise

    from models.database import tortoise_config
    from models.payments import Payment, PaymentStatus, Refund
    from server.migrations import upgrade

    async def prepare() -> None:
        await upgrade(database_url)
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            start = datetime(2026, 1, 1, tzinfo=UTC)
            payments = [
                Payment(
                    user_id=USER if n < 100 else f"user-{n % 50}",
                    stripe_payment_intent_id=f"pi_bench{n:020d}",
                    amount=2000,
                    amount_refunded=500,
                    currency="usd",
                    status=PaymentStatus.PARTIALLY_REFUNDED,
                    description=f"Order #{n}",
                )
                for n in range(1100)
            ]
            await Payment.bulk_create(payments)
            await Refund.bulk_create(
                [
                    Refund(
                        payment_id=p.id,
                        stripe_refund_id=f"re_bench{n:020d}",
                        amount=500,
                        currency="usd",
                        reason="requested_by_customer",
                        status="succeeded",
                    )
                    for n, p in enumerate(payments)
                ]
            )
            for n, p in enumerate(payments):  # distinct times: a stable newest-first order
                await Payment.filter(id=p.id).update(created_at=start + timedelta(minutes=n))
        finally:
            await Tortoise.close_connections()

    asyncio.run(prepare())


def _plain(value: Any) -> Any:
    """A parameter as JSON keeps it: numbers and text as they are, UUIDs as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def capture_child(database_url: str, out: str) -> None:
    """Answer the query once through billgraph's app in this process, noting
    every statement Tortoise sends (text and parameters) and the answer."""
    import httpx

    from billing.catalog_version import FINGERPRINT_SQL
    from server.app import create_app

    statements: list[tuple[str, list[Any]]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.args and isinstance(record.args, tuple) and len(record.args) == 2:
                sql, values = record.args
                # The catalog watch's once-a-second check is no part of the request.
                if str(sql).strip() in FINGERPRINT_SQL:
                    return
                if str(sql).lstrip().upper().startswith("SELECT"):
                    statements.append((str(sql), [_plain(v) for v in values or ()]))

    async def capture() -> str:
        app = create_app(_settings(database_url, 1), background=False)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                raw = request_bytes(0, database_url)
                head, body = raw.split(b"\r\n\r\n", 1)
                token = head.split(b"Authorization: Bearer ")[1].split(b"\r\n")[0].decode()
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                await client.post("/graphql", content=body, headers=headers)  # warm
                logger = logging.getLogger("tortoise.db_client")
                logger.setLevel(logging.DEBUG)
                logger.addHandler(Capture())
                answer = await client.post("/graphql", content=body, headers=headers)
        data = json.loads(answer.content)
        if answer.status_code != 200 or "errors" in data:
            raise SystemExit(f"bench: payments answered {answer.status_code} {data}")
        edges = data["data"]["payments"]["edges"]
        if len(edges) != 100 or any(len(e["node"]["refunds"]) != 1 for e in edges):
            raise SystemExit("bench: expected 100 payments with a refund each")
        return answer.content.decode()

    answer = asyncio.run(capture())
    Path(out).write_text(json.dumps({"answer": answer, "statements": statements}))
    print(json.dumps({"statements": len(statements)}))


def raw_app(database_url: str, captured: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from bench.usage import RawDatabase

    saved = json.loads(Path(captured).read_text())
    answer, statements = saved["answer"].encode(), saved["statements"]
    database = RawDatabase(database_url)

    async def graphql(request: Request) -> Response:
        await request.body()
        async with database.session() as (fetch, _execute):
            for sql, values in statements:
                await fetch(sql, *values)
        return Response(answer, media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await database.open()
        yield

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)


def serve_child(kind: str, database_url: str, dead_port: int, captured: str) -> None:
    if kind == "raw":
        serve_on_free_port(raw_app(database_url, captured))
        return
    from server.app import create_app

    serve_on_free_port(create_app(_settings(database_url, dead_port)))


async def _load(args: argparse.Namespace, expected: bytes) -> dict[str, Any]:
    load = FixedLoad(request_bytes(args.port, args.database_url), expected, args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {**result, **load.result()}


def _child(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.payments", *args]


@dataclass
class Target:
    name: str
    process: Any
    port: int
    runs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {scenario: [] for scenario in SCENARIOS}
    )


def orchestrate(args: argparse.Namespace) -> int:
    notes: list[str] = []
    loads = [os.getloadavg()]
    effective = effective_cpus()
    targets: list[Target] = []
    failures: list[str] = []
    with (
        refused_port() as dead_port,
        tempfile.TemporaryDirectory(prefix="billgraph-bench-") as folder,
        postgres(notes) if args.postgres else contextlib.nullcontext() as pg_url,
    ):
        url = pg_url or f"sqlite://{folder}/bench.sqlite3"
        captured = f"{folder}/captured.json"
        run_json(_child("_prepare", url), timeout=300)
        count = run_json(_child("_capture", url, captured), timeout=300)["statements"]
        try:
            for name, kind in (("raw", "raw"), ("billgraph", "billgraph")):
                process, port = start_server(
                    name, _child("_serve", kind, url, str(dead_port), captured)
                )
                targets.append(
                    Target(f"{name} {'postgres' if pg_url else 'sqlite'}", process, port)
                )

            def once(target: Target, scenario: str) -> dict[str, Any]:
                return run_json(
                    _child(
                        "_load",
                        f"--port={target.port}",
                        f"--server-pid={target.process.pid}",
                        "--tag=-",
                        f"--connections={CONNECTIONS[scenario]}",
                        f"--warmup={args.warmup}",
                        f"--duration={args.duration}",
                        f"--max-requests={args.max_requests}",
                        f"--database-url={url}",
                        f"--answer-file={captured}",
                    ),
                    timeout=args.warmup + args.duration + 120,
                )

            run_rounds(args.rounds, SCENARIOS, targets, once)
        finally:
            for target in targets:
                stop_server(target.process)
        answer_bytes = len(json.loads(Path(captured).read_text())["answer"].encode())
    loads.append(os.getloadavg())
    raw = targets[0]
    lines = [
        "billgraph: payments(first: 100) with refunds per second (bench/payments.py)",
        "=" * 78,
        *machine(effective, loads),
        f"load:     {args.rounds} round(s) ({args.warmup:g} s warm-up, {args.duration:g} s "
        f"measured); answer {answer_bytes:,} bytes (100 payments, 1 refund each); billgraph "
        f"sent {count} SELECTs per request, which the raw target runs too",
        "",
        "Columns: medians over rounds; ratio = req/s / raw req/s of the same round (min-max);",
        "us/req = server CPU per request (not the database's); RSS MB = peak resident set.",
        "",
    ]
    for scenario in SCENARIOS:
        lines += scenario_table(
            f"payments(first: 100), {scenario}", scenario, targets, lambda t: raw
        )
    lines.append("Verification (every request, warm-ups included):")
    lines.extend(fixed_answer_check(targets, failures))
    lines.extend(rss_check(targets, failures))
    lines += ["", *notes] if notes else []
    lines += ["", "RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}")]
    return publish(RESULTS, "\n".join(lines) + "\n", not failures)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.payments", description=__doc__)
    add_run_options(parser)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("_serve")
    for name in ("kind", "database_url", "dead_port", "captured"):
        serve.add_argument(name)
    sub.add_parser("_prepare").add_argument("database_url")
    capture = sub.add_parser("_capture")
    capture.add_argument("database_url")
    capture.add_argument("out")
    load = sub.add_parser("_load")
    add_load_options(load)
    load.add_argument("--database-url", required=True)
    load.add_argument("--answer-file", required=True)
    args = parser.parse_args(argv)
    if args.command == "_serve":
        serve_child(args.kind, args.database_url, int(args.dead_port), args.captured)
    elif args.command == "_prepare":
        prepare_child(args.database_url)
        print("{}")
    elif args.command == "_capture":
        capture_child(args.database_url, args.out)
    elif args.command == "_load":
        expected = json.loads(Path(args.answer_file).read_text())["answer"].encode()
        print(json.dumps(run_loop(_load(args, expected))))
    else:
        return orchestrate(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
