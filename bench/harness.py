"""What every benchmark under bench/ shares: the load client, server processes,
the throwaway PostgreSQL, CPU accounting and the report's machine lines.

A benchmark module supplies a load object (``LoadState``: what to send next,
what came back) and its own servers and checks; see bench/webhooks.py and
bench/usage.py. ``python -m bench.harness _spin SECONDS`` is the busy-loop
child that ``effective_cpus`` starts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
HAVE_UVLOOP = importlib.util.find_spec("uvloop") is not None
HAVE_HTTPTOOLS = importlib.util.find_spec("httptools") is not None


class LoadState(Protocol):
    """Shared by all connections of one load process."""

    warmup_end: float
    measure_end: float
    latencies: list[float]
    errors: Counter[str]

    def next_request(self) -> bytes | None: ...

    def record(self, status: int, answer: bytes, start: float, done: float) -> None: ...


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Connection(asyncio.Protocol):
    """One keep-alive connection, one request in flight (a closed loop, like wrk)."""

    def __init__(self, load: LoadState, closed: asyncio.Future[None]) -> None:
        self.load = load
        self.closed = closed
        self.buffer = bytearray()
        self.transport: Any = None  # uvloop's transports are not asyncio.Transport
        self.waiting = False
        self.start = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.send()

    def send(self) -> None:
        request = self.load.next_request()
        if request is None:
            self.waiting = False
            self.transport.close()
            return
        self.waiting = True
        self.start = time.perf_counter()
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        at = head.find(b"\r\ncontent-length:")
        if at < 0:
            self.load.errors["response without Content-Length"] += 1
            self.waiting = False
            self.transport.close()
            return
        stop = head.find(b"\r\n", at + 2)
        length = int(head[at + 17 : stop if stop >= 0 else None])
        total = end + 4 + length
        if len(self.buffer) < total:
            return
        done = time.perf_counter()
        self.load.record(int(head[9:12]), bytes(self.buffer[end + 4 : total]), self.start, done)
        del self.buffer[:total]
        self.send()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiting or exc is not None:
            self.load.errors[type(exc).__name__ if exc else "closed by server"] += 1
        if not self.closed.done():
            self.closed.set_result(None)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB: the RSS bound is checked on it."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * len(sorted_values)) - 1))
    return sorted_values[index]


def spin_child(seconds: float) -> None:
    """Busy-loop; print the share of a CPU this process got (see effective_cpus)."""
    started, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        pass
    print(json.dumps({"share": (time.process_time() - cpu) / (time.perf_counter() - started)}))


@contextlib.contextmanager
def postgres(notes: list[str]) -> Iterator[str | None]:
    try:
        from tests.pgcluster import cluster

        manager = cluster()
        url = manager.__enter__()
    except (Exception, SystemExit) as exc:
        notes.append(f"PostgreSQL skipped: tests.pgcluster could not start one ({exc!r})")
        yield None
        return
    try:
        yield url
    finally:
        manager.__exit__(None, None, None)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def machine(effective: float, loads: list[tuple[float, ...]]) -> list[str]:
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    postgres = subprocess.run(
        ["sh", "-c", "pg_ctl --version || /usr/lib/postgresql/15/bin/pg_ctl --version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    loop = "uvloop" if HAVE_UVLOOP else "asyncio"
    http = "httptools" if HAVE_HTTPTOOLS else "h11"
    versions = ", ".join(
        f"{p} {_version(p)}"
        for p in ("uvicorn", "starlette", "tortoise-orm", "aiosqlite", "asyncpg", "uvloop")
    )
    load_text = " -> ".join("/".join(f"{x:.2f}" for x in load) for load in loads)
    return [
        f"date:     {datetime.now(UTC):%Y-%m-%d %H:%M UTC}, git {commit or '?'}",
        f"machine:  nproc {os.cpu_count()}, {model}, {platform.system()} {platform.release()}",
        f"          {effective:.2f} CPUs of time when every CPU busy-loops at once; "
        f"load average {load_text} (start -> end)",
        f"python:   {platform.python_version()} ({platform.python_implementation()}); {versions}",
        f"postgres: {postgres or 'not found'}",
        f"servers:  uvicorn, 1 worker each, --loop {loop} --http {http}, log level warning",
        f"client:   a separate process per measurement, asyncio + {loop} protocol, "
        "HTTP/1.1 keep-alive, one request in flight per connection",
    ]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cost_us(run: dict[str, Any]) -> float:
    return float(run["server_cpu"]) / float(run["rps"]) * 1e6 if run["rps"] else float("nan")


def check(label: str, ok: bool, detail: str, failures: list[str]) -> str:
    if not ok:
        failures.append(label)
    return f"  [{'ok' if ok else 'FAIL'}] {label}: {detail}"


def filesystem(folder: str) -> str:
    found = subprocess.run(["stat", "-f", "-c", "%T", folder], capture_output=True, text=True)
    return found.stdout.strip() or "?"


async def measure(load: LoadState, connections: int, port: int, server_pid: int) -> dict[str, Any]:
    """Run ``connections`` closed-loop connections until the load stops; the
    figures cover the window between warm-up and ``measure_end``."""
    loop = asyncio.get_running_loop()
    closed: list[asyncio.Future[None]] = []
    for _ in range(connections):
        future: asyncio.Future[None] = loop.create_future()
        closed.append(future)
        await loop.create_connection(
            lambda future=future: Connection(load, future), "127.0.0.1", port
        )
    await asyncio.sleep(max(0.0, load.warmup_end - time.perf_counter()))
    server_cpu, client_cpu, started = (
        cpu_seconds(server_pid),
        time.process_time(),
        time.perf_counter(),
    )
    await asyncio.sleep(max(0.0, load.measure_end - time.perf_counter()))
    server_cpu, client_cpu, window = (
        cpu_seconds(server_pid) - server_cpu,
        time.process_time() - client_cpu,
        time.perf_counter() - started,
    )
    await asyncio.wait_for(asyncio.gather(*closed), timeout=60)
    latencies = sorted(load.latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / window,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "server_cpu": server_cpu / window,
        "client_cpu": client_cpu / window,
        "rss_mb": peak_rss_mb(server_pid),
        "errors": dict(load.errors),
    }


def run_loop(work: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run the load on uvloop when installed (the client must stay cheap)."""
    if HAVE_UVLOOP:
        import uvloop

        return uvloop.run(work)
    return asyncio.run(work)


def uvicorn_config(app: Any) -> Any:
    """One worker, uvloop + httptools when installed, log level warning."""
    import uvicorn

    return uvicorn.Config(
        app,
        loop="uvloop" if HAVE_UVLOOP else "asyncio",
        http="httptools" if HAVE_HTTPTOOLS else "h11",
        log_level="warning",
        server_header=False,
    )


def serve_on_free_port(app: Any) -> None:
    """Bind a free loopback port, print it as JSON, then serve (a server child)."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    uvicorn.Server(uvicorn_config(app)).run(sockets=[sock])


def start_server(name: str, command: list[str]) -> tuple[subprocess.Popen[str], int]:
    """Start a server child (``serve_on_free_port``) in its own session and
    wait until its port accepts connections."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"{name}: server exited before binding")
        port = int(json.loads(line)["port"])
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return process, port
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name}: server did not start") from None
                time.sleep(0.05)
    except BaseException:
        stop_server(process)
        raise


def stop_server(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    if process.stdout is not None:
        process.stdout.close()


def run_json(command: list[str], timeout: float) -> dict[str, Any]:
    """Run a child; its last stdout line is the JSON result."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:5])} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def effective_cpus() -> float:
    """Busy-loop on every CPU at once: how many CPUs' worth of time we really get."""
    spinners = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.harness", "_spin", "1"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(os.cpu_count() or 1)
    ]
    return sum(float(json.loads(p.communicate(timeout=60)[0])["share"]) for p in spinners)


if __name__ == "__main__":
    if sys.argv[1:2] != ["_spin"] or len(sys.argv) != 3:
        raise SystemExit("usage: python -m bench.harness _spin SECONDS")
    spin_child(float(sys.argv[2]))


# ------------------------------------------------------- shared by every benchmark


def billgraph_settings(database_url: str, dead_port: int, **overrides: Any) -> Any:
    """billgraph's settings for a benchmark server: Stripe points at a port
    that refuses at once, nothing is read from the environment."""
    from billing.settings import load_settings

    values: dict[str, Any] = {
        "_env_file": None,
        "database_url": database_url,
        "stripe_secret_key": "sk_test_billgraph_bench_" + "x" * 24,
        "stripe_api_base": f"http://127.0.0.1:{dead_port}",
        "stripe_webhook_secret": None,
        "jwt_secret": None,
        "jwt_public_key": None,
        "jwt_audience": None,
        "jwt_issuer": None,
        "billgraph_catalog": None,
        "cors_origins": "",
        "allowed_redirect_hosts": "localhost",
        # A benchmark's users call far above any budget: rate limits would measure the
        # refusal; bench/ops.py measures what they cost.
        "rate_limit_enabled": False,
    }
    values.update(overrides)
    return load_settings(**values)


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """Stripe's base URL: a bound, never-listening loopback port refuses at once."""
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    try:
        yield dead.getsockname()[1]
    finally:
        dead.close()


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a whole benchmark run."""
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per measurement")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per measurement")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="per measurement")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--sqlite-dir", help="folder for the SQLite temp dir (default: $TMPDIR)")


def add_load_options(load: argparse.ArgumentParser) -> None:
    """The options every ``_load`` child takes."""
    load.add_argument("--port", type=int, required=True)
    load.add_argument("--server-pid", type=int, required=True)
    load.add_argument("--tag", required=True)
    load.add_argument("--connections", type=int, required=True)
    load.add_argument("--warmup", type=float, required=True)
    load.add_argument("--duration", type=float, required=True)
    load.add_argument("--max-requests", type=int, required=True)


def run_rounds(
    rounds: int,
    scenarios: tuple[str, ...],
    targets: list[Any],
    measure: Callable[[Any, str], dict[str, Any]],
) -> None:
    """Every scenario against every target in turn, ``rounds`` times, so slow
    drift in the machine hits all targets alike."""
    for round_ in range(1, rounds + 1):
        for scenario in scenarios:
            for target in targets:
                print(
                    f"... round {round_}/{rounds} {scenario:<8} {target.name}",
                    file=sys.stderr,
                    flush=True,
                )
                target.runs[scenario].append(measure(target, scenario))


def publish(results: Path, report: str, ok: bool) -> int:
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(report)
    print(report, end="")
    print(f"written to {results.relative_to(ROOT)}", file=sys.stderr)
    return 0 if ok else 1


def scenario_table(
    title: str, scenario: str, targets: list[Any], baseline: Callable[[Any], Any]
) -> list[str]:
    """One scenario's table: medians over rounds, each target's ratio to its
    baseline target (``baseline(target)``) within each round, min-max, server
    CPU per request and peak RSS."""
    lines = [
        title,
        f"  {'target':<27}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'srv CPU':>8}{'us/req':>8}"
        f"{'RSS MB':>7}{'ratio':>7}{'(min-max)':>14}{'CPU ratio':>10}",
    ]
    for target in targets:
        runs, base = target.runs[scenario], baseline(target).runs[scenario]
        ratios = [r["rps"] / b["rps"] for r, b in zip(runs, base, strict=True)]
        cost = [cost_us(b) / cost_us(r) for r, b in zip(runs, base, strict=True)]
        lines.append(
            f"  {target.name:<27}{median([r['rps'] for r in runs]):>8,.0f}"
            f"{median([r['p50_ms'] for r in runs]):>8.1f}"
            f"{median([r['p99_ms'] for r in runs]):>8.1f}"
            f"{median([r['server_cpu'] for r in runs]):>8.0%}"
            f"{median([cost_us(r) for r in runs]):>8.0f}"
            f"{max(r.get('rss_mb', float('nan')) for r in runs):>7.0f}"
            f"{median(ratios):>7.3f}"
            f"{f'({min(ratios):.3f}-{max(ratios):.3f})':>14}"
            f"{median(cost):>10.3f}"
        )
    return [*lines, ""]


RSS_LIMIT_MB = 200


def rss_check(targets: list[Any], failures: list[str]) -> list[str]:
    """Every server's peak RSS under RSS_LIMIT_MB through the whole run."""
    return [
        check(
            f"{t.name}: peak RSS < {RSS_LIMIT_MB} MB",
            (peak := max(r.get("rss_mb", 0.0) for runs in t.runs.values() for r in runs))
            < RSS_LIMIT_MB,
            f"{peak:.0f} MB",
            failures,
        )
        for t in targets
    ]


class FixedLoad:
    """The same request every time; every answer must be ``expected`` byte for
    byte (benchmarks of reads whose answer does not change)."""

    def __init__(self, request: bytes, expected: bytes, args: argparse.Namespace) -> None:
        self.request = request
        self.expected = expected
        now = time.perf_counter()
        self.warmup_end = now + args.warmup
        self.measure_end = now + args.warmup + args.duration
        self.max_requests = args.max_requests
        self.issued = 0
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.wrong = 0
        self.errors: Counter[str] = Counter()

    def next_request(self) -> bytes | None:
        if self.issued >= self.max_requests or time.perf_counter() >= self.measure_end:
            return None
        self.issued += 1
        return self.request

    def record(self, status: int, answer: bytes, start: float, done: float) -> None:
        self.statuses[status] += 1
        self.wrong += answer != self.expected
        if self.warmup_end <= done <= self.measure_end:
            self.latencies.append(done - start)

    def result(self) -> dict[str, Any]:
        return {"statuses": {str(k): v for k, v in self.statuses.items()}, "wrong": self.wrong}


def fixed_answer_check(targets: list[Any], failures: list[str]) -> list[str]:
    """Every FixedLoad answer of every target: 200 and the expected bytes."""
    lines = []
    for target in targets:
        runs = [r for scenario_runs in target.runs.values() for r in scenario_runs]
        statuses: Counter[str] = Counter()
        for r in runs:
            statuses.update(r["statuses"])
        wrong = sum(r["wrong"] for r in runs)
        lines.append(
            check(
                f"{target.name}: every answer 200 and the expected bytes",
                set(statuses) == {"200"} and wrong == 0 and not any(r["errors"] for r in runs),
                f"{sum(statuses.values()):,} answers, statuses {dict(statuses)}, {wrong} differing",
                failures,
            )
        )
    return lines


# ------------------------------------- one runner for the raw-vs-billgraph benches


@dataclasses.dataclass
class Target:
    """One server of a run: raw or billgraph, on SQLite or PostgreSQL.
    ``baseline``: the target its ratios are taken against, when the report
    names one per target."""

    name: str
    kind: str
    dialect: str
    process: subprocess.Popen[str]
    port: int
    database_url: str
    runs: dict[str, list[dict[str, Any]]]
    baseline: str | None = None


@dataclasses.dataclass(frozen=True)
class Server:
    """A target to start: its name, its ``_serve`` kind, dialect and database
    (``-`` for none); ``before`` runs first, given the targets started so far."""

    name: str
    kind: str
    dialect: str
    database_url: str
    baseline: str | None = None
    before: Callable[[list[Target]], None] | None = None


def raw_and_billgraph(folder: str, pg_url: str | None) -> list[Server]:
    """The default targets: raw and billgraph, on a SQLite file each and a
    database each on the throwaway PostgreSQL."""
    servers = [
        Server("raw sqlite", "raw", "sqlite", f"sqlite://{folder}/raw.sqlite3"),
        Server("billgraph sqlite", "billgraph", "sqlite", f"sqlite://{folder}/bg.sqlite3"),
    ]
    if pg_url:
        base = pg_url.rsplit("/", 1)[0]
        servers += [
            Server("raw postgres", "raw", "postgres", f"{base}/raw"),
            Server("billgraph postgres", "billgraph", "postgres", f"{base}/billgraph"),
        ]
    return servers


@dataclasses.dataclass
class Bench:
    """What a raw-vs-billgraph benchmark (bench/usage.py, credits.py,
    webhooks.py, plans.py) plugs into ``run_bench``: its module (whose
    ``_serve``, ``_prepare``, ``_count`` and ``_load`` children ``bench_main``
    dispatches), scenarios, the extra arguments of its children, and its
    report. The rest has defaults: ``servers`` (given the SQLite folder and the
    PostgreSQL URL, or None), ``kinds`` (what ``_serve`` takes), ``counted``
    (the kinds whose database ``_count`` reads), ``upstream`` (a server kind
    started first, e.g. a fake Stripe, whose port every target gets instead of
    a refusing one) and ``postgres`` (whether the run wants one)."""

    module: str
    scenarios: tuple[str, ...]
    results: Path
    prepare_args: Callable[[argparse.Namespace], list[str]]
    load_args: Callable[[Target, str, argparse.Namespace], list[str]]
    report: Callable[
        [argparse.Namespace, list[Target], dict[str, dict[str, Any]], list[str], list[str]],
        tuple[str, bool],
    ]
    servers: Callable[[str, str | None], list[Server]] = raw_and_billgraph
    kinds: tuple[str, ...] = ("raw", "billgraph")
    counted: tuple[str, ...] = ("billgraph",)
    upstream: str | None = None
    postgres: bool = True

    def child(self, *args: str) -> list[str]:
        return [sys.executable, "-m", self.module, *args]


def create_database_child(url: str, name: str) -> None:
    """CREATE DATABASE ``name`` on the cluster of ``url`` (a child process)."""
    import asyncpg

    async def create() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())


def run_bench(bench: Bench, args: argparse.Namespace) -> int:
    """The bench's servers (by default raw and billgraph on a fresh SQLite file
    each, and a database each on a throwaway PostgreSQL), each database
    prepared once by the module's ``_prepare``; every scenario (``--scenarios``
    when the module has it) against every target for ``args.rounds`` rounds;
    then the module's ``_count`` of each counted database, the report, published."""
    notes: list[str] = []
    targets: list[Target] = []
    loads = [os.getloadavg()]
    effective = effective_cpus()
    scenarios = tuple(getattr(args, "scenarios", None) or bench.scenarios)
    upstream: subprocess.Popen[str] | None = None
    with (
        refused_port() as dead_port,
        tempfile.TemporaryDirectory(prefix="billgraph-bench-", dir=args.sqlite_dir) as folder,
        postgres(notes) if args.postgres and bench.postgres else contextlib.nullcontext() as pg_url,
    ):
        servers = bench.servers(folder, pg_url)
        if any(s.dialect == "sqlite" for s in servers):
            notes.append(
                f"SQLite files in {Path(folder).parent} ({filesystem(folder)}): WAL journal, "
                "synchronous=FULL (an fsync per commit) for every target."
            )
        urls = list(dict.fromkeys(s.database_url for s in servers if s.database_url != "-"))
        for url in urls:
            if pg_url and url.startswith(pg_url.rsplit("/", 1)[0]) and url != pg_url:
                run_json(bench.child("_createdb", pg_url, url.rsplit("/", 1)[1]), timeout=60)
        try:
            port = dead_port
            if bench.upstream:
                upstream, port = start_server(
                    bench.upstream, bench.child("_serve", bench.upstream, "-", "0")
                )
            for url in urls:
                run_json(bench.child("_prepare", url, *bench.prepare_args(args)), timeout=300)
            for server in servers:
                if server.before is not None:
                    server.before(targets)
                command = bench.child("_serve", server.kind, server.database_url, str(port))
                process, target_port = start_server(server.name, command)
                runs: dict[str, list[dict[str, Any]]] = {sc: [] for sc in bench.scenarios}
                targets.append(
                    Target(
                        server.name,
                        server.kind,
                        server.dialect,
                        process,
                        target_port,
                        server.database_url,
                        runs,
                        server.baseline,
                    )
                )
            run_rounds(
                args.rounds, scenarios, targets, lambda t, sc: _load_once(bench, t, sc, args)
            )
        finally:
            for target in targets:
                stop_server(target.process)
            if upstream is not None:
                stop_server(upstream)
        counts = {
            t.name: run_json(bench.child("_count", t.database_url), timeout=120)
            for t in targets
            if t.kind in bench.counted
        }
    loads.append(os.getloadavg())
    report, ok = bench.report(args, targets, counts, machine(effective, loads), notes)
    return publish(bench.results, report, ok)


def _load_once(
    bench: Bench, target: Target, scenario: str, args: argparse.Namespace
) -> dict[str, Any]:
    command = bench.child(
        "_load",
        f"--kind={target.kind}",
        f"--port={target.port}",
        f"--server-pid={target.process.pid}",
        f"--scenario={scenario}",
        f"--tag={secrets.token_hex(4)}",
        f"--connections={args.connections}",
        f"--warmup={args.warmup}",
        f"--duration={args.duration}",
        f"--max-requests={args.max_requests}",
        *bench.load_args(target, scenario, args),
    )
    run = run_json(command, timeout=args.warmup + args.duration + 120)
    run["connections"] = args.connections
    return run


def statuses_check(targets: list[Target], failures: list[str]) -> list[str]:
    """Every response of every target 200, no connection errors."""
    lines = []
    for target in targets:
        statuses: Counter[str] = Counter()
        errors: Counter[str] = Counter()
        for runs in target.runs.values():
            for r in runs:
                statuses.update(r["statuses"])
                errors.update(r["errors"])
        total = sum(statuses.values())
        lines.append(
            check(
                f"{target.name}: every response 200",
                set(statuses) == {"200"} and not errors and total > 0,
                f"{total:,} responses, statuses {dict(statuses)}, connection errors "
                f"{dict(errors) or 0}",
                failures,
            )
        )
    return lines


@dataclasses.dataclass
class Children:
    """A bench module's child processes, for ``bench_main``."""

    serve: Callable[[str, str, int], None]
    prepare: Callable[[str, list[str]], None]
    count: Callable[[str], None]
    load: Callable[[argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]]


def bench_main(
    argv: list[str],
    bench: Bench,
    children: Children,
    doc: str | None,
    options: Callable[[argparse.ArgumentParser], None],
    load_options: Callable[[argparse.ArgumentParser], None],
) -> int:
    """The command line: the run (with the run options and ``options``), or
    one of its children (``_serve``, ``_prepare``, ``_count``, ``_createdb``,
    ``_load`` with ``load_options``)."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {bench.module}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(parser)
    options(parser)
    sub = parser.add_subparsers(dest="command")  # internal: the child processes
    serve = sub.add_parser("_serve")
    serve.add_argument("kind", choices=[*bench.kinds, *filter(None, [bench.upstream])])
    serve.add_argument("database_url")
    serve.add_argument("dead_port", type=int)
    prepare = sub.add_parser("_prepare")
    prepare.add_argument("database_url")
    prepare.add_argument("extra", nargs="*")
    sub.add_parser("_count").add_argument("database_url")
    createdb = sub.add_parser("_createdb")
    createdb.add_argument("url")
    createdb.add_argument("name")
    load = sub.add_parser("_load")
    add_load_options(load)
    load.add_argument("--kind", choices=bench.kinds, required=True)
    load.add_argument("--scenario", choices=bench.scenarios, required=True)
    load_options(load)
    args = parser.parse_args(argv)
    if args.command == "_serve":
        children.serve(args.kind, args.database_url, args.dead_port)
    elif args.command == "_prepare":
        children.prepare(args.database_url, args.extra)
        print("{}")
    elif args.command == "_count":
        children.count(args.database_url)
    elif args.command == "_createdb":
        create_database_child(args.url, args.name)
        print("{}")
    elif args.command == "_load":
        print(json.dumps(run_loop(children.load(args))))
    else:
        return run_bench(bench, args)
    return 0


def raw_ratio_table(scenario: str, targets: list[Target], title: str) -> list[str]:
    """``scenario_table`` with each target's ratio to the raw target on its database."""
    raws = {t.dialect: t for t in targets if t.kind == "raw"}
    return scenario_table(title, scenario, targets, lambda t: raws[t.dialect])
