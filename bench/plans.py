"""The public ``plans`` query per second, as a ratio to raw Starlette returning the same bytes.

    .venv/bin/python -m bench.plans            (part of `make bench`)

Targets, each its own uvicorn process (one worker, uvloop + httptools, log
level warning), on one freshly migrated SQLite file holding the default
catalog (plans written as `billgraph catalog sync` writes them, prices
mirrored from Stripe-shaped objects; no Stripe):

- raw starlette: a POST /graphql route that reads the body and answers the
  exact bytes billgraph answered to the same query (fetched once before the run);
- billgraph: ``create_app(settings)``; answers come from its response cache
  (server/response_cache.py) once the first request filled it;
- billgraph, cache off: the same app with the cache's key step answering "not
  cacheable" (patched in this bench's server child only): what every request
  cost before the cache.

Checks at load: every answer is 200 and byte-identical to the expected one.
Writes bench/results/plans.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
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

RESULTS = ROOT / "bench" / "results" / "plans.txt"
QUERY = (
    "query Plans { plans { id name description price { amount currency formatted } "
    "interval trialDays limits { feature limit } features stripePriceId "
    "prices { interval price { amount currency formatted } stripePriceId } } }"
)
SCENARIOS = ("plans",)


def request_body() -> bytes:
    return json.dumps({"query": QUERY, "variables": {}, "operationName": "Plans"}).encode()


def raw_app(answer_file: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    answer = Path(answer_file).read_bytes()

    async def graphql(request: Request) -> Response:
        await request.body()
        return Response(answer, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def serve_child(kind: str, database_url: str, dead_port: int, answer_file: str) -> None:
    if kind == "raw":
        serve_on_free_port(raw_app(answer_file))
        return
    from server.app import create_app

    if kind == "nocache":
        from server.response_cache import ResponseCache

        ResponseCache.key = lambda self, headers, body: None  # type: ignore[method-assign]
    settings = billgraph_settings(
        database_url, dead_port, stripe_webhook_secret="whsec_bench_plans"
    )
    serve_on_free_port(create_app(settings))


def prepare_child(database_url: str) -> None:
    """Migrate, then write the default catalog's plans and mirror a Stripe-shaped
    price for each of their amounts (what `catalog sync` leaves in the database)."""
    from tortoise import Tortoise

    from billing.catalog import SyncReport, _write_plans, lookup_key, mirror_price
    from billing.plans_file import load_catalog
    from models.database import tortoise_config
    from server.migrations import upgrade

    async def prepare() -> None:
        await upgrade(database_url)
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            catalog = load_catalog(None)
            await _write_plans(catalog, SyncReport())
            for spec in catalog.plans:
                for interval, amount in (("month", spec.monthly), ("year", spec.yearly)):
                    if amount is None:
                        continue
                    price = {
                        "id": f"price_bench_{spec.key}_{interval}",
                        "active": True,
                        "currency": catalog.currency,
                        "unit_amount": amount,
                        "lookup_key": lookup_key(spec.key, interval),  # type: ignore[arg-type]
                        "recurring": {"interval": interval, "interval_count": 1},
                    }
                    await mirror_price(price, spec.key)  # type: ignore[arg-type]
        finally:
            await Tortoise.close_connections()

    asyncio.run(prepare())


def http_request(port: int, body: bytes) -> bytes:
    return (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _load(args: argparse.Namespace, expected: bytes) -> dict[str, Any]:
    load = FixedLoad(http_request(args.port, request_body()), expected, args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {**result, **load.result()}


def _child(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.plans", *args]


@dataclass
class Target:
    name: str
    process: Any
    port: int
    runs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {scenario: [] for scenario in SCENARIOS}
    )


def _fetch_answer(port: int) -> bytes:
    import httpx

    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        content=request_body(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    answer = json.loads(response.content)
    if response.status_code != 200 or "errors" in answer or len(answer["data"]["plans"]) != 4:
        raise SystemExit(f"bench: unexpected plans answer {response.status_code} {answer}")
    return response.content


def orchestrate(args: argparse.Namespace) -> int:
    loads = [os.getloadavg()]
    effective = effective_cpus()
    targets: list[Target] = []
    failures: list[str] = []
    with refused_port() as dead_port, tempfile.TemporaryDirectory(prefix="billgraph-bench-") as d:
        url, answer_file = f"sqlite://{d}/bench.sqlite3", f"{d}/answer.json"
        run_json([*_child("_prepare", url)], timeout=120)
        try:
            for name, kind in (
                ("billgraph", "billgraph"),
                ("billgraph, cache off", "nocache"),
                ("raw starlette", "raw"),
            ):
                if kind == "raw":
                    Path(answer_file).write_bytes(_fetch_answer(targets[0].port))
                process, port = start_server(
                    name, _child("_serve", kind, url, str(dead_port), answer_file)
                )
                targets.append(Target(name, process, port))
            targets.insert(0, targets.pop())  # raw first in the tables

            def once(target: Target, scenario: str) -> dict[str, Any]:
                return run_json(
                    _child(
                        "_load",
                        f"--port={target.port}",
                        f"--server-pid={target.process.pid}",
                        "--tag=-",
                        f"--connections={args.connections}",
                        f"--warmup={args.warmup}",
                        f"--duration={args.duration}",
                        f"--max-requests={args.max_requests}",
                        f"--answer-file={answer_file}",
                    ),
                    timeout=args.warmup + args.duration + 120,
                )

            run_rounds(args.rounds, SCENARIOS, targets, once)
        finally:
            for target in targets:
                stop_server(target.process)
    loads.append(os.getloadavg())
    raw = targets[0]
    lines = [
        "billgraph: the public plans query per second (bench/plans.py)",
        "=" * 78,
        *machine(effective, loads),
        f"load:     {args.connections} connections; {args.rounds} round(s) ({args.warmup:g} s "
        f"warm-up, {args.duration:g} s measured); request {len(request_body())} bytes, "
        f"answer {Path(answer_file).stat().st_size if Path(answer_file).exists() else '?'} bytes",
        "",
        "Columns: medians over rounds; ratio = req/s / raw req/s of the same round (min-max);",
        "us/req = server CPU per request; RSS MB = peak resident set of the server;",
        "CPU ratio = raw us/req / target us/req.",
        "",
        *scenario_table("plans, no token (4 plans, 5 prices)", "plans", targets, lambda t: raw),
        "Verification (every request, warm-ups included):",
    ]
    lines.extend(fixed_answer_check(targets, failures))
    lines.extend(rss_check(targets, failures))
    lines += ["", "RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}")]
    return publish(RESULTS, "\n".join(lines) + "\n", not failures)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plans", description=__doc__)
    add_run_options(parser)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("_serve")
    for name in ("kind", "database_url", "dead_port", "answer_file"):
        serve.add_argument(name)
    sub.add_parser("_prepare").add_argument("database_url")
    load = sub.add_parser("_load")
    add_load_options(load)
    load.add_argument("--answer-file", required=True)
    args = parser.parse_args(argv)
    if args.command == "_serve":
        serve_child(args.kind, args.database_url, int(args.dead_port), args.answer_file)
    elif args.command == "_prepare":
        prepare_child(args.database_url)
        print("{}")
    elif args.command == "_load":
        print(json.dumps(run_loop(_load(args, Path(args.answer_file).read_bytes()))))
    else:
        return orchestrate(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
