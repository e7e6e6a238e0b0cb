"""trackUsage calls per second over HTTP, as a ratio to raw Starlette doing the same SQL.

    make bench-usage               (= .venv/bin/python -m bench.usage)
    .venv/bin/python -m bench.usage --rounds 1 --duration 2 --no-postgres   (quick look)

One run starts, on free 127.0.0.1 ports, one uvicorn process (one worker,
uvloop + httptools when installed, log level warning) per target, each on
its own freshly migrated database seeded with the same plans:

- raw sqlite / raw postgres: a Starlette POST route that reads a small JSON
  body and runs, with the driver itself (aiosqlite on one connection with a
  transaction lock as Tortoise does; an asyncpg pool of 5 as Tortoise's
  default), the statements billgraph's trackUsage sends: the user's plan
  (once per user, as billgraph's entitlement cache), then in one transaction
  the conditional UPDATE of the counter answering ``used`` (creating the
  counter on a period's first call), INSERT usage_record and the outbox event
  (on PostgreSQL with its pg_notify in the same statement); on refusal the
  key's record, SELECT used and the event, then the active plans and their
  prices for the upgrade prompt (read once, as billgraph keeps them per
  catalog version). It answers the same JSON shape;
- billgraph sqlite / billgraph postgres: the real ``create_app(settings)``
  (JWT_SECRET set; a dummy sk_test_ key whose STRIPE_API_BASE is a bound
  port that never listens: trackUsage never calls Stripe), receiving the
  GraphQL mutation with a bearer token per user.

The PostgreSQL targets share one throwaway cluster (tests.pgcluster), a
database each. Scenarios, each against every target in turn:

- counted: ``images`` (limit 10^9 on the seeded free plan) for 64 users
  in rotation, a new idempotency key per call: every call is counted;
- limit:   ``credits`` for ONE new user per measurement, limit --limit, all
  connections at once: the first --limit calls are counted, the rest refused
  with LIMIT_EXCEEDED and an upgrade prompt. This is the concurrency test at
  that load: counted calls == limit, the counter == limit, records == limit.

Rounds repeat the matrix; ratios are billgraph / raw on the same database in
the same round, and the report shows medians. Afterwards billgraph's
databases are checked (`billgraph usage verify`'s code: every counter equals
the sum of its records). The load client is bench.harness's (asyncio
protocol, keep-alive HTTP/1.1, one request in flight per connection). The
report goes to bench/results/usage.txt and stdout; exit status 1 if a check
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from bench.harness import (
    ROOT,
    Bench,
    Children,
    Target,
    bench_main,
    billgraph_settings,
    check,
    measure,
    raw_ratio_table,
    rss_check,
    serve_on_free_port,
    statuses_check,
)

RESULTS = ROOT / "bench" / "results" / "usage.txt"
JWT_SECRET = "bench-usage-secret-" + "x" * 32
SCENARIOS = ("counted", "limit")
USERS = 64
UNLIMITED_ENOUGH = 10**9
LIVE = ("trialing", "active", "past_due")
TRACK = (
    "mutation T($input: TrackUsageInput!) { trackUsage(input: $input) { "
    "usage { feature used limit remaining resetsAt } upgradeTo { id } errors { code } } }"
)


# ------------------------------------------------------------ the raw target


@functools.cache
def pg(sql: str) -> str:
    """``?`` placeholders as asyncpg's ``$n`` (models.sql.Statement's rendering)."""
    from models.sql import Statement

    return Statement(sql).render("postgres")


class RawDatabase:
    """The driver, straight: ``?`` placeholders, rewritten to ``$n`` for asyncpg."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = not url.startswith("sqlite")
        self.lock = asyncio.Lock()
        self.sqlite: Any = None
        self.pool: Any = None

    async def open(self) -> None:
        if self.postgres:
            import asyncpg

            from models.database import keep_session

            # As billgraph's server pool (models.database.server_config).
            self.pool = await asyncpg.create_pool(
                self.url, min_size=1, max_size=5, reset=keep_session
            )
        else:
            import aiosqlite

            self.sqlite = await aiosqlite.connect(
                self.url.removeprefix("sqlite://"), isolation_level=None
            )
            self.sqlite.row_factory = sqlite3.Row
            for pragma in ("journal_mode=WAL", "journal_size_limit=16384", "foreign_keys=ON"):
                await self.sqlite.execute(f"PRAGMA {pragma}")

    @contextlib.asynccontextmanager
    async def session(self) -> Any:
        """A connection for one request: (fetch, execute) taking ``?`` SQL."""
        if self.postgres:
            async with self.pool.acquire() as connection:

                async def fetch(sql: str, *args: Any) -> list[Any]:
                    return list(await connection.fetch(pg(sql), *args))

                async def execute(sql: str, *args: Any) -> int:
                    status = await connection.execute(pg(sql), *args)
                    return int(status.rsplit(" ", 1)[-1]) if status[-1].isdigit() else 0

                yield fetch, execute
            return

        async def sqlite_fetch(sql: str, *args: Any) -> list[Any]:
            async with self.sqlite.execute(sql, args) as cursor:
                return list(await cursor.fetchall())

        async def sqlite_execute(sql: str, *args: Any) -> int:
            async with self.sqlite.execute(sql, args) as cursor:
                return int(cursor.rowcount)

        yield sqlite_fetch, sqlite_execute

    def stamp(self, value: datetime) -> Any:
        return value if self.postgres else value.isoformat(" ")


def raw_app(database_url: str) -> Any:
    """The baseline: billgraph's trackUsage statements (the same SQL text, imported
    from billing/), no ORM, no GraphQL. Like billgraph's entitlement cache, it
    reads each user's plan once, not per call."""
    import uuid

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from billing.counters import guarded_update
    from billing.events import CHANNEL, insert_events, notify_events
    from billing.usage import INSERT_RECORD, KEY_COUNTED, USED
    from models.usage import UsageCounter

    db = RawDatabase(database_url)
    dialect = "postgres" if db.postgres else "sqlite"
    live = ",".join("?" * len(LIVE))
    plans: dict[str, Any] = {}
    catalog: list[Any] = []
    sql = {
        name: statement.render(dialect)
        for name, statement in {
            "count": guarded_update(
                UsageCounter, ("user_id", "feature", "period_start"), "used", False, True
            ),
            "unlimited": guarded_update(
                UsageCounter, ("user_id", "feature", "period_start"), "used", False, False
            ),
            "record": INSERT_RECORD,
            "key": KEY_COUNTED,
            "used": USED,
            "event": notify_events(1) if db.postgres else insert_events(1),
        }.items()
    }

    def limit_of(limits: Any, feature: str) -> int | None:
        for item in json.loads(limits) if isinstance(limits, str) else limits:
            if item["feature"] == feature:
                return item["limit"]
        return 0

    def ident() -> Any:
        return uuid.uuid4() if db.postgres else str(uuid.uuid4())

    async def plan_of(user: str, fetch: Any) -> Any:
        if user not in plans:
            sub = await fetch(
                "SELECT s.*, p.limits FROM subscription s JOIN plan p ON p.key = s.plan_id "
                f"WHERE s.user_id = ? AND s.status IN ({live}) ORDER BY s.created_at DESC "
                "LIMIT 1",
                user,
                *LIVE,
            )
            if not sub:
                sub = await fetch(
                    "SELECT * FROM plan WHERE free = ? ORDER BY position, key LIMIT 1", True
                )
            plans[user] = sub[0]["limits"]
        return plans[user]

    async def on_sale(fetch: Any) -> Any:
        """The active plans and their prices, read once (billgraph keeps them
        per catalog version, which does not move during a run)."""
        if not catalog:
            plans_on_sale = await fetch(
                "SELECT * FROM plan WHERE active = ? ORDER BY position, key", True
            )
            keys = [p["key"] for p in plans_on_sale]
            prices = await fetch(
                "SELECT * FROM plan_price WHERE active = ? AND plan_id IN "
                f"({','.join('?' * len(keys))}) ORDER BY interval",
                True,
                *keys,
            )
            catalog.append((plans_on_sale, {p["plan_id"]: p["amount"] for p in prices}))
        return catalog[0]

    async def event(execute: Any, kind: str, user: str, payload: dict[str, Any]) -> None:
        event_id = ident()
        stamp = db.stamp(datetime.now(UTC))
        values = [event_id, kind, user, stamp, json.dumps(payload)]
        if db.postgres:  # with its NOTIFY, as billing.events.record
            values += [[CHANNEL], [str(event_id)]]
        await execute(sql["event"], *values)

    async def track(request: Request) -> Response:
        body = await request.json()
        user, feature, quantity = body["user"], body["feature"], int(body["quantity"])
        key = body.get("idempotencyKey")
        now = datetime.now(UTC)
        start = datetime(now.year, now.month, 1, tzinfo=UTC)
        end = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
        counter = (user, feature, db.stamp(start))
        async with db.session() as (fetch, execute):
            limit = limit_of(await plan_of(user, fetch), feature)
            update = sql["unlimited"] if limit is None else sql["count"]
            bound = () if limit is None else (limit - quantity,)
            upgrade, errors = None, []
            async with db.lock if not db.postgres else contextlib.nullcontext():
                await execute("BEGIN")
                try:
                    rows = await fetch(update, quantity, *counter, *bound)
                    if not rows:
                        await execute(
                            "INSERT INTO usage_counter (id, user_id, feature, "
                            "period_start, used) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                            ident(),
                            *counter,
                            0,
                        )
                        rows = await fetch(update, quantity, *counter, *bound)
                    if rows:
                        used = rows[0]["used"]
                        await execute(
                            sql["record"],
                            ident(),
                            user,
                            feature,
                            quantity,
                            db.stamp(start),
                            key,
                            db.stamp(now),
                        )
                        kind = "usage.updated"
                    else:
                        await fetch(sql["key"], user, key)
                        used = (await fetch(sql["used"], *counter))[0]["used"]
                        kind = "usage.limit_reached"
                        errors = [{"code": "LIMIT_EXCEEDED"}]
                    usage = {
                        "feature": feature,
                        "used": used,
                        "limit": limit,
                        "remaining": None if limit is None else max(0, limit - used),
                        "periodStart": start.isoformat(),
                        "resetsAt": end.isoformat(),
                    }
                    await event(execute, kind, user, usage)
                except BaseException:
                    await execute("ROLLBACK")
                    raise
                await execute("COMMIT")
            if errors:
                plans_on_sale, priced = await on_sale(fetch)
                fits = [
                    (priced[p["key"]], p["key"])
                    for p in plans_on_sale
                    if p["key"] in priced
                    and ((cap := limit_of(p["limits"], feature)) is None or quantity <= cap)
                ]
                upgrade = {"id": min(fits)[1]} if fits else None
        usage.pop("periodStart")
        return JSONResponse(
            {"data": {"trackUsage": {"usage": usage, "upgradeTo": upgrade, "errors": errors}}}
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await db.open()
        yield

    return Starlette(routes=[Route("/track", track, methods=["POST"])], lifespan=lifespan)


# ------------------------------------------------------------------ children


def _settings(database_url: str, dead_port: int) -> Any:
    return billgraph_settings(
        database_url, dead_port, stripe_webhook_secret="whsec_bench_usage", jwt_secret=JWT_SECRET
    )


def serve_child(kind: str, database_url: str, dead_port: int) -> None:
    if kind == "raw":
        app = raw_app(database_url)
    else:
        from server.app import create_app

        app = create_app(_settings(database_url, dead_port))
    serve_on_free_port(app)


def prepare_child(database_url: str, extra: list[str]) -> None:
    """Migrate, then seed a free plan (images: plenty, credits: ``limit``) and
    a priced plan for the upgrade prompt."""
    limit = int(extra[0])
    from tortoise import Tortoise

    from models.catalog import Plan, PlanPrice
    from models.database import tortoise_config
    from server.migrations import upgrade

    async def prepare() -> None:
        await upgrade(database_url)
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            await Plan.create(
                key="free",
                name="Free",
                free=True,
                limits=[
                    {"feature": "images", "limit": UNLIMITED_ENOUGH},
                    {"feature": "credits", "limit": limit},
                ],
            )
            plus = await Plan.create(
                key="plus",
                name="Plus",
                position=1,
                limits=[
                    {"feature": "images", "limit": None},
                    {"feature": "credits", "limit": limit * 100},
                ],
            )
            await PlanPrice.create(
                plan=plus,
                interval="month",
                amount=999,
                currency="usd",
                stripe_price_id="price_bench_plus",
            )
        finally:
            await Tortoise.close_connections()

    asyncio.run(prepare())


def count_child(database_url: str) -> None:
    """What the database holds after the run, as JSON, plus the verify result."""
    from tortoise import Tortoise

    from billing.usage import verify_counters
    from models.database import tortoise_config

    async def count() -> dict[str, Any]:
        await Tortoise.init(config=tortoise_config(database_url))
        try:
            connection = Tortoise.get_connection("default")
            counters = await connection.execute_query_dict(
                "SELECT user_id, used FROM usage_counter WHERE feature = 'credits'"
            )
            records = await connection.execute_query_dict(
                "SELECT user_id, COUNT(*) AS n FROM usage_record WHERE feature = 'credits' "
                "GROUP BY user_id"
            )
            images = await connection.execute_query_dict(
                "SELECT COUNT(*) AS n FROM usage_record WHERE feature = 'images'"
            )
            verification = await verify_counters()
        finally:
            await Tortoise.close_connections()
        return {
            "credits_used": {r["user_id"]: int(r["used"]) for r in counters},
            "credits_records": {r["user_id"]: int(r["n"]) for r in records},
            "image_records": int(images[0]["n"]),
            "verify": {
                "counters": verification.counters,
                "records": verification.records,
                "mismatches": len(verification.mismatches),
            },
        }

    print(json.dumps(asyncio.run(count())))


# --------------------------------------------------------------- load client


class UsageLoad:
    """What to send (the raw or the GraphQL body, per user), what came back."""

    def __init__(self, args: argparse.Namespace) -> None:
        from billing.tokens import mint_token

        self.raw = args.kind == "raw"
        self.scenario = args.scenario
        self.tag = args.tag
        path = "/track" if self.raw else "/graphql"
        self.prefix = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        users = (
            [f"limit-{self.tag}"]
            if self.scenario == "limit"
            else [f"user-{n}" for n in range(USERS)]
        )
        self.users = users
        self.auth: dict[str, bytes] = {}
        if not self.raw:
            settings = _settings("sqlite://unused", 1)
            self.auth = {
                user: f"Authorization: Bearer {mint_token(settings, user)}\r\n".encode()
                for user in users
            }
        self.feature = "credits" if self.scenario == "limit" else "images"
        self.limit = args.limit
        now = time.perf_counter()
        self.warmup_end = now + args.warmup
        self.measure_end = now + args.warmup + args.duration
        self.max_requests = args.max_requests
        self.issued = 0
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def next_request(self) -> bytes | None:
        # The limit run goes on past the window until the limit is surely
        # passed (the window's figures are unaffected).
        overtime = self.scenario == "limit" and self.issued < 2 * self.limit
        if self.issued >= self.max_requests or (
            time.perf_counter() >= self.measure_end and not overtime
        ):
            return None
        user = self.users[self.issued % len(self.users)]
        key = f"{self.tag}-{self.issued}"
        self.issued += 1
        data = {"feature": self.feature, "quantity": 1, "idempotencyKey": key}
        if self.raw:
            body = json.dumps({"user": user, **data}).encode()
        else:
            body = json.dumps({"query": TRACK, "variables": {"input": data}}).encode()
        return b"%s%sContent-Length: %d\r\n\r\n%s" % (
            self.prefix,
            self.auth.get(user, b""),
            len(body),
            body,
        )

    def record(self, status: int, answer: bytes, start: float, done: float) -> None:
        self.statuses[status] += 1
        if b'"errors":[]' in answer:
            self.outcomes["counted"] += 1
        elif b"LIMIT_EXCEEDED" in answer:
            self.outcomes["refused"] += 1
        else:
            self.outcomes[f"other: {answer[:120].decode(errors='replace')}"] += 1
        if self.warmup_end <= done <= self.measure_end:
            self.latencies.append(done - start)


async def _load(args: argparse.Namespace) -> dict[str, Any]:
    load = UsageLoad(args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {
        **result,
        "sent": load.issued,
        "user": load.users[0] if args.scenario == "limit" else None,
        "statuses": {str(k): v for k, v in load.statuses.items()},
        "outcomes": dict(load.outcomes),
    }


# -------------------------------------------------------------- orchestrator


def _verify(target: Target, counts: dict[str, Any], limit: int, failures: list[str]) -> list[str]:
    lines: list[str] = []
    for n, run in enumerate(target.runs["limit"], 1):
        user, outcomes = run["user"], run["outcomes"]
        used = counts["credits_used"].get(user, 0)
        records = counts["credits_records"].get(user, 0)
        lines.append(
            check(
                f"{target.name}: limit run {n}: counted == limit",
                run["sent"] > limit
                and outcomes.get("counted", 0) == limit
                and used == limit
                and records == limit,
                f"{run['sent']:,} calls on {run['connections']} connections at "
                f"{run['rps']:,.0f} req/s: {outcomes.get('counted', 0):,} counted, "
                f"{outcomes.get('refused', 0):,} refused; counter {used:,}, "
                f"{records:,} records, limit {limit:,}",
                failures,
            )
        )
    counted = sum(r["outcomes"].get("counted", 0) for r in target.runs["counted"])
    lines.append(
        check(
            f"{target.name}: counted run: every call counted, once",
            counted == counts["image_records"]
            and all(set(r["outcomes"]) == {"counted"} for r in target.runs["counted"]),
            f"{counted:,} counted answers, {counts['image_records']:,} image records",
            failures,
        )
    )
    verify = counts["verify"]
    lines.append(
        check(
            f"{target.name}: usage verify (counters rebuilt from records)",
            verify["mismatches"] == 0,
            f"{verify['counters']:,} counters, {verify['records']:,} records, "
            f"{verify['mismatches']} mismatches",
            failures,
        )
    )
    return lines


def _report(
    args: argparse.Namespace,
    targets: list[Target],
    counts: dict[str, dict[str, Any]],
    machine: list[str],
    notes: list[str],
) -> tuple[str, bool]:
    lines = [
        "billgraph: trackUsage calls per second over HTTP (bench/usage.py)",
        "=" * 78,
        *machine,
        f"load:     {args.connections} connections; {args.rounds} round(s), each running every "
        f"scenario against every target in turn ({args.warmup:g} s warm-up, "
        f"{args.duration:g} s measured)",
        "",
        "Columns: medians over the rounds. ratio = req/s / req/s of the raw target on the same",
        "database in the same round (min-max over rounds). srv CPU = CPU time of the server",
        "process (not the database's) per second. us/req = server CPU per request. CPU ratio",
        "= raw us/req / billgraph us/req.",
        "",
    ]
    lines += raw_ratio_table(
        "counted",
        targets,
        f"counted: images for {USERS} users in rotation, a new idempotency key per call",
    )
    lines += raw_ratio_table(
        "limit",
        targets,
        f"limit: credits for one user, limit {args.limit:,}, then LIMIT_EXCEEDED "
        "with an upgrade prompt",
    )
    lines.append("Verification (every request of the run, warm-ups included):")
    failures: list[str] = []
    lines.extend(statuses_check(targets, failures))
    for target in targets:
        if target.kind == "billgraph":
            lines.extend(_verify(target, counts[target.name], args.limit, failures))
    lines.extend(rss_check(targets, failures))
    lines.extend(["", *notes] if notes else [])
    lines.append("")
    lines.append("RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}"))
    return "\n".join(lines) + "\n", not failures


BENCH = Bench(
    module="bench.usage",
    scenarios=SCENARIOS,
    results=RESULTS,
    prepare_args=lambda args: [str(args.limit)],
    load_args=lambda target, scenario, args: [f"--limit={args.limit}"],
    report=lambda args, targets, counts, machine, notes: _report(
        args, targets, counts, machine, notes
    ),
)


def _limit_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "--limit", type=int, default=100, required=required, help="credits allowance (limit run)"
    )


def main(argv: list[str]) -> int:
    children = Children(serve_child, prepare_child, count_child, _load)
    return bench_main(
        argv, BENCH, children, __doc__, _limit_option, lambda p: _limit_option(p, True)
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
