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
import sys
from pathlib import Path
from typing import Any

from bench.harness import (
    ROOT,
    Bench,
    Children,
    FixedLoad,
    Server,
    Target,
    bench_main,
    billgraph_settings,
    fixed_answer_check,
    measure,
    rss_check,
    scenario_table,
    serve_on_free_port,
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


def raw_app(path: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    answer = Path(path).read_bytes()

    async def graphql(request: Request) -> Response:
        await request.body()
        return Response(answer, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def answer_file(database_url: str) -> Path:
    """Where the raw target's answer is kept: beside the database."""
    return Path(database_url.removeprefix("sqlite://")).with_name("answer.json")


def serve_child(kind: str, database_url: str, dead_port: int) -> None:
    if kind == "raw":
        serve_on_free_port(raw_app(str(answer_file(database_url))))
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


async def _load(args: argparse.Namespace) -> dict[str, Any]:
    expected = answer_file(args.database).read_bytes()
    load = FixedLoad(http_request(args.port, request_body()), expected, args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {**result, **load.result(), "answer_bytes": len(expected)}


def _fetch_answer(targets: list[Target]) -> None:
    """What billgraph answers (the first target), for the raw target to send."""
    import httpx

    response = httpx.post(
        f"http://127.0.0.1:{targets[0].port}/graphql",
        content=request_body(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    answer = json.loads(response.content)
    if response.status_code != 200 or "errors" in answer or len(answer["data"]["plans"]) != 4:
        raise SystemExit(f"bench: unexpected plans answer {response.status_code} {answer}")
    answer_file(targets[0].database_url).write_bytes(response.content)


def servers(folder: str, pg_url: str | None) -> list[Server]:
    """billgraph with and without the cache, then raw: one SQLite database."""
    url = f"sqlite://{folder}/bench.sqlite3"
    return [
        Server("billgraph", "billgraph", "sqlite", url),
        Server("billgraph, cache off", "nocache", "sqlite", url),
        Server("raw starlette", "raw", "sqlite", url, before=_fetch_answer),
    ]


def _report(
    args: argparse.Namespace,
    targets: list[Target],
    counts: dict[str, dict[str, Any]],
    machine: list[str],
    notes: list[str],
) -> tuple[str, bool]:
    raw = targets[-1]
    targets = [raw, *targets[:-1]]  # raw first in the table
    failures: list[str] = []
    lines = [
        "billgraph: the public plans query per second (bench/plans.py)",
        "=" * 78,
        *machine,
        f"load:     {args.connections} connections; {args.rounds} round(s) ({args.warmup:g} s "
        f"warm-up, {args.duration:g} s measured); request {len(request_body())} bytes, "
        f"answer {raw.runs['plans'][0]['answer_bytes']} bytes",
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
    lines += ["", *notes] if notes else []
    lines += ["", "RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}")]
    return "\n".join(lines) + "\n", not failures


BENCH = Bench(
    module="bench.plans",
    scenarios=SCENARIOS,
    results=RESULTS,
    prepare_args=lambda args: [],
    load_args=lambda target, scenario, args: [f"--database={target.database_url}"],
    report=_report,
    servers=servers,
    kinds=("raw", "billgraph", "nocache"),
    counted=(),
    postgres=False,
)


def main(argv: list[str]) -> int:
    # No _count: nothing is written.
    children = Children(serve_child, lambda url, extra: prepare_child(url), lambda url: None, _load)
    return bench_main(
        argv,
        BENCH,
        children,
        __doc__,
        lambda parser: None,
        lambda load: load.add_argument("--database", required=True),
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
