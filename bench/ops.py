"""What rate limits and metrics add to each request.

    .venv/bin/python -m bench.ops          (~30 s; writes bench/results/ops.txt)

1. Per call, in a loop: one rate-limit check (memory, and Redis on loopback when
   redis-server is installed), one operation's metrics (a counter and a
   histogram) in-process and in multiprocess mode (PROMETHEUS_MULTIPROC_DIR,
   as `serve --workers N` runs them), and the whole root-field wrapper
   (graph/operations.py) without the limiter.
2. Per request, end to end in-process (ASGI, no sockets): `{ me { userId } }`
   with a token, rate limits on vs off (metrics are always on), blocks alternated.
All in this process's CPU time, so that the other load of a shared machine counts
less than in wall time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "ops.txt"
CALLS = 20_000
BLOCK = 300
BLOCKS = 20
USERS = 1_000
JWT_SECRET = "bench-secret-" + "x" * 40


def per_call_us(seconds: float, calls: int) -> float:
    return seconds / calls * 1e6


async def limiter_us(storage: str) -> float:
    from billing.ratelimits import RateLimiter
    from billing.settings import load_settings

    # The default budget (300 per minute) for 1,000 users taking turns: 20 calls each.
    limiter = RateLimiter(load_settings(_env_file=None, rate_limit_storage=storage))
    calls = CALLS if storage == "memory://" else CALLS // 10
    started = time.process_time()
    for n in range(calls):
        await limiter.check("me", f"user-{n % 1000}", "-")
        await asyncio.sleep(0)  # what a server does between requests: background tasks run
    return per_call_us(time.process_time() - started, calls)


def metrics_us() -> float:
    from billing.metrics import LATENCY, REQUESTS

    latency = LATENCY.labels("me")
    started = time.process_time()
    for _ in range(CALLS):
        REQUESTS.labels("me", "OK").inc()
        latency.observe(0.001)
    return per_call_us(time.process_time() - started, CALLS)


async def operation_us() -> float:
    """graph/operations.py's wrapper of a root field, limiter off: log fields, the
    counter and the histogram, around a resolver that does nothing."""
    from types import SimpleNamespace

    from billing.request_log import CURRENT, RequestFields
    from graph.operations import Operation

    async def resolver(source: Any, info: Any) -> None:
        return None

    operation = Operation("me", None)
    info = SimpleNamespace(context=SimpleNamespace(limiter=None, caller=None, client_address="-"))
    started = time.process_time()
    for _ in range(CALLS):
        token = CURRENT.set(RequestFields("bench"))
        await operation.resolve_async(resolver, None, info)
        CURRENT.reset(token)
    return per_call_us(time.process_time() - started, CALLS)


def metrics_multiprocess_us() -> float:
    """In a child: multiprocess mode is chosen when prometheus-client is imported."""
    folder = tempfile.mkdtemp(prefix="billgraph-bench-metrics-")
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from bench.ops import metrics_us; print(metrics_us())"],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": folder},
            capture_output=True,
            text=True,
            check=True,
        )
        return float(done.stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def app_client(enabled: bool, database_url: str) -> Any:
    import httpx

    from billing.settings import load_settings
    from server.app import create_app

    settings = load_settings(
        _env_file=None,
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        rate_limit_enabled=enabled,
    )
    transport = httpx.ASGITransport(app=create_app(settings, own_database=False))
    return httpx.AsyncClient(transport=transport, base_url="http://bench")


async def requests_us(database_url: str) -> dict[bool, list[float]]:
    """Both apps side by side, BLOCKS blocks of requests each, alternated; 1,000 users
    take turns (a few calls each, within the default budget)."""
    from billing.settings import load_settings
    from billing.tokens import mint_token

    settings = load_settings(_env_file=None, jwt_secret=JWT_SECRET)
    tokens = [
        {"Authorization": f"Bearer {mint_token(settings, f'user-{n}')}"} for n in range(USERS)
    ]
    body = {"query": "{ me { userId } }"}
    clients = {enabled: app_client(enabled, database_url) for enabled in (False, True)}
    times: dict[bool, list[float]] = {False: [], True: []}
    try:
        for block in range(BLOCKS + 1):
            for enabled, client in clients.items():
                started = time.process_time()  # CPU: other processes on the machine don't count
                for n in range(block * BLOCK, (block + 1) * BLOCK):
                    answer = await client.post("/graphql", json=body, headers=tokens[n % USERS])
                if block:  # the first block warms the caches
                    times[enabled].append(per_call_us(time.process_time() - started, BLOCK))
                assert "errors" not in answer.json(), answer.text
    finally:
        for client in clients.values():
            await client.aclose()
    return times


async def main() -> list[str]:
    from tortoise import Tortoise

    from models.database import tortoise_config
    from server.migrations import upgrade

    lines = [f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {time.ctime()}", ""]
    lines.append("per call (CPU us; rate limits: incl. an event-loop turn, Redis: client side)")
    lines.append(f"  rate limit check, memory://        {await limiter_us('memory://'):8.1f}")
    if shutil.which("redis-server"):
        from tests.redisserver import redis_server

        with redis_server() as url:
            lines.append(f"  rate limit check, redis (loopback) {await limiter_us(url):8.1f}")
    lines.append(f"  metrics (counter + histogram)      {metrics_us():8.1f}")
    lines.append(f"  same, multiprocess mode            {metrics_multiprocess_us():8.1f}")
    lines.append(f"  root-field wrapper, limiter off    {await operation_us():8.1f}")

    folder = tempfile.mkdtemp(prefix="billgraph-bench-ops-")
    database_url = f"sqlite://{folder}/bench.sqlite3"
    await upgrade(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        runs = await requests_us(database_url)
    finally:
        await Tortoise.close_connections()
        shutil.rmtree(folder, ignore_errors=True)
    off, on = statistics.median(runs[False]), statistics.median(runs[True])
    lines += [
        "",
        f"per request, {{ me {{ userId }} }} in-process, median of {BLOCKS} blocks of {BLOCK}"
        " (CPU us)",
        f"  rate limits off (metrics on)       {off:8.1f}   blocks {_rounds(runs[False])}",
        f"  rate limits on (memory://)         {on:8.1f}   blocks {_rounds(runs[True])}",
        f"  difference                         {on - off:8.1f}   ({(on - off) / off:+.1%})",
    ]
    return lines


def _rounds(values: list[float]) -> str:
    return " ".join(f"{v:.0f}" for v in values)


def run() -> None:
    lines: Any = asyncio.run(main())
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULTS.write_text(text)


if __name__ == "__main__":
    run()
