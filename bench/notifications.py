"""Outbox-to-delivery latency: events committed at a steady rate, delivered by
``billgraph notifications run`` workers to a local receiver.

The bench process commits ``--rate`` events per second (each in its own
transaction, as a change would) for ``--duration`` seconds; N worker
processes relay and send them to a Starlette receiver in this process, which
notes when each body arrived. Latency = arrival - the event's occurredAt.
Checks: every event delivered exactly once. Writes bench/results/notifications.txt.

    .venv/bin/python -m bench.notifications [--rate 200 --duration 10 --no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from bench.harness import ROOT, machine, percentile, postgres, publish, run_json
from billing.events import DomainEvent, record
from models.database import tortoise_config
from models.notifications import NotificationEndpoint
from server.migrations import upgrade

RESULTS = ROOT / "bench" / "results" / "notifications.txt"


@contextlib.contextmanager
def workers(database_url: str, count: int) -> Iterator[None]:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "server", "notifications", "run"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


async def measure(database_url: str, count: int, rate: float, duration: float) -> dict[str, Any]:
    await upgrade(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    arrivals: list[tuple[float, str, str]] = []
    total = int(rate * duration)
    all_arrived = asyncio.Event()

    async def hook(request: Request) -> Response:
        body = json.loads(await request.body())
        arrivals.append((time.time(), body["id"], body["occurredAt"]))
        if len(arrivals) >= total:
            all_arrived.set()
        return Response(status_code=204)

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        await NotificationEndpoint.all().delete()
        await NotificationEndpoint.create(url=f"http://127.0.0.1:{port}/hook", secret="whsec_b")
        with workers(database_url, count):
            await asyncio.sleep(3)  # the workers start (imports, connections)
            started = time.perf_counter()
            for n in range(total):
                await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
                async with in_transaction():
                    await record([DomainEvent("usage.updated", f"user-{n % 50}", {"n": n})])
            achieved = total / (time.perf_counter() - started)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_arrived.wait(), 30)
            await asyncio.sleep(1)  # room for a duplicate
    finally:
        server.should_exit = True
        await serving
        await Tortoise.close_connections()
    latencies = sorted(
        (arrived - datetime.fromisoformat(occurred).timestamp()) * 1000
        for arrived, _, occurred in arrivals
    )
    ids = Counter(event_id for _, event_id, _ in arrivals)
    return {
        "sent": total,
        "delivered": len(ids),
        "duplicates": sum(n - 1 for n in ids.values()),
        "rate": achieved,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else float("nan"),
    }


def main() -> int:
    if sys.argv[1:2] == ["_measure"]:  # a child: Tortoise binds one dialect per process
        url, count, rate, duration = sys.argv[2:6]
        print(json.dumps(asyncio.run(measure(url, int(count), float(rate), float(duration)))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    notes: list[str] = []
    load_start = os.getloadavg()
    rows: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("sqlite, 1 worker", run(f"sqlite://{folder}/bench.sqlite3", 1, args)))
    if not args.no_postgres:
        with postgres(notes) as url:
            if url is not None:
                for count in (1, 2):
                    rows.append((f"postgres, {count} worker(s)", run(url, count, args)))
    ok = all(r["delivered"] == r["sent"] and r["duplicates"] == 0 for _, r in rows)
    lines = [
        "billgraph: outbox-to-delivery latency (bench/notifications.py)",
        "=" * 62,
        # date, git, machine, python and postgres lines (CPU share not measured here)
        *machine(float(os.cpu_count() or 1), [load_start, os.getloadavg()])[:5],
        f"load:     {args.rate:g} events/s for {args.duration:g} s, each its own transaction,",
        "          delivered by `billgraph notifications run` to a local Starlette receiver",
        "columns:  deliv. = distinct events received by 30 s after the last was committed;",
        "          ev/s = commit rate the bench reached; latency = arrival - occurredAt",
        "",
        f"  {'target':<26} {'sent':>6} {'deliv.':>6} {'dupl.':>5} {'ev/s':>6}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}",
    ]
    for name, r in rows:
        lines.append(
            f"  {name:<26} {r['sent']:>6} {r['delivered']:>6} {r['duplicates']:>5}"
            f" {r['rate']:>6.0f} {r['p50']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f}"
        )
    lines += ["", *notes, f"checks: {'ok' if ok else 'FAILED'} (each event delivered once)", ""]
    return publish(RESULTS, "\n".join(lines), ok)


def run(database_url: str, count: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.notifications", "_measure", database_url]
    return run_json([*command, str(count), str(args.rate), str(args.duration)], timeout=300)


if __name__ == "__main__":
    raise SystemExit(main())
