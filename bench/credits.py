"""spendCredits calls per second over HTTP, as a ratio to raw Starlette running the same SQL.

    make bench-credits             (= .venv/bin/python -m bench.credits)
    .venv/bin/python -m bench.credits --rounds 1 --duration 2 --no-postgres   (quick look)

One run starts, on free 127.0.0.1 ports, one uvicorn process (one worker,
uvloop + httptools when installed) per target, each on its own freshly
migrated database with the same wallets (granted through billing.credits):

- raw sqlite / raw postgres: a Starlette POST route running, with the driver
  itself (bench.usage.RawDatabase: aiosqlite on one connection behind a
  transaction lock as Tortoise does, or an asyncpg pool of 5), the statements
  billgraph's spendCredits sends: lots due to expire, then in one transaction
  the guarded UPDATE of the balance, the user's lots, the UPDATE of the lot
  spent from, the balance after, the ledger row and the outbox event (and
  pg_notify on PostgreSQL); then what expires soon and the balance for the
  answer. A refusal rolls back and reads the key's first row and the balance.
  It answers the same JSON shape;
- billgraph sqlite / billgraph postgres: the real ``create_app(settings)``
  receiving the GraphQL mutation with a bearer token per user.

Scenarios, each against every target in turn:

- spend: 1 credit for 64 users in rotation (10^9 credits each), a new
  idempotency key per call: every call spends;
- drain: ONE wallet of --balance credits per measurement, all connections
  at once: exactly --balance calls spend, the rest are INSUFFICIENT_CREDITS.

Ratios are billgraph / raw on the same database in the same round (medians
over the rounds). Afterwards every billgraph database is checked with
``billgraph credits verify``'s code (every balance rebuilt from the ledger and
from the lots). The report goes to bench/results/credits.txt and stdout;
exit status 1 if a check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
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
from bench.usage import RawDatabase

RESULTS = ROOT / "bench" / "results" / "credits.txt"
JWT_SECRET = "bench-credits-secret-" + "x" * 32
SCENARIOS = ("spend", "drain")
USERS = 64
PLENTY = 10**9
DRAIN_WALLETS = 16
SPEND = (
    "mutation S($input: SpendCreditsInput!) { spendCredits(input: $input) { "
    "account { balance expiringSoon } transaction { id balanceAfter } errors { code } } }"
)


# ------------------------------------------------------------ the raw target


def raw_app(database_url: str) -> Any:
    """The baseline: billgraph's spendCredits statements (the same SQL text,
    imported from billing/), no ORM, no GraphQL."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from billing.counters import guarded_update
    from billing.credits import BALANCE, DUE, EXPIRING, INSERT_ROW, LOTS
    from billing.events import CHANNEL, insert_and_notify, insert_events
    from models.credits import CreditBalance, CreditLot

    db = RawDatabase(database_url)
    dialect = "postgres" if db.postgres else "sqlite"
    sql = {
        name: statement.render(dialect)
        for name, statement in {
            "due": DUE,
            "debit": guarded_update(CreditBalance, ("user_id",), "balance", True, False),
            "lots": LOTS,
            "take": guarded_update(CreditLot, ("id",), "remaining", True, False),
            "row": INSERT_ROW,
            "event": insert_and_notify(1) if db.postgres else insert_events(1),
            "expiring": EXPIRING,
            "balance": BALANCE,
        }.items()
    }

    def ident() -> Any:
        return uuid.uuid4() if db.postgres else str(uuid.uuid4())

    async def spend(request: Request) -> Response:
        body = await request.json()
        user, amount, key = body["user"], int(body["amount"]), f"spend:{body['key']}"
        now = datetime.now(UTC)
        stamp = db.stamp(now)
        async with db.session() as (fetch, execute):
            await fetch(sql["due"], user, 0, stamp)
            transaction = None
            async with db.lock if not db.postgres else contextlib.nullcontext():
                await execute("BEGIN")
                try:
                    changed = await fetch(sql["debit"], -amount, user, amount)
                    if changed:
                        after = changed[0]["balance"]
                        lots = await fetch(sql["lots"], user, 0)
                        lot = min(lots, key=lambda r: (r["expires_at"] is None, r["created_at"]))
                        await fetch(sql["take"], -amount, lot["id"], amount)
                        transaction = {"id": str(uuid.uuid4()), "balanceAfter": after}
                        await execute(
                            sql["row"],
                            uuid.UUID(transaction["id"]) if db.postgres else transaction["id"],
                            user,
                            "spend",
                            -amount,
                            after,
                            None,
                            None,
                            0,
                            None,
                            key,
                            "d" * 64,
                            stamp,
                        )
                        event_id = ident()
                        payload = json.dumps(
                            {"userId": user, "balance": after, "transaction": transaction}
                        )
                        notify = ([CHANNEL], [str(event_id)]) if db.postgres else ()
                        await execute(
                            sql["event"], event_id, "credits.updated", user, stamp, payload, *notify
                        )
                except BaseException:
                    await execute("ROLLBACK")
                    raise
                await execute("COMMIT")
            if transaction is None:
                await fetch(
                    "SELECT * FROM credit_transaction WHERE user_id = ? AND key = ? LIMIT 1",
                    user,
                    key,
                )
                await fetch(sql["balance"], user)
                answer: dict[str, Any] = {
                    "account": None,
                    "transaction": None,
                    "errors": [{"code": "INSUFFICIENT_CREDITS"}],
                }
            else:
                soon = await fetch(
                    sql["expiring"], user, 0, stamp, db.stamp(now + timedelta(days=7))
                )
                balance = (await fetch(sql["balance"], user))[0]["balance"]
                answer = {
                    "account": {"balance": balance, "expiringSoon": soon[0]["total"] or 0},
                    "transaction": transaction,
                    "errors": [],
                }
        return JSONResponse({"data": {"spendCredits": answer}})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await db.open()
        yield

    return Starlette(routes=[Route("/spend", spend, methods=["POST"])], lifespan=lifespan)


# ------------------------------------------------------------------ children


def _settings(database_url: str, dead_port: int) -> Any:
    return billgraph_settings(
        database_url, dead_port, stripe_webhook_secret="whsec_bench_credits", jwt_secret=JWT_SECRET
    )


def serve_child(kind: str, database_url: str, dead_port: int) -> None:
    if kind == "raw":
        app = raw_app(database_url)
    else:
        from server.app import create_app

        app = create_app(_settings(database_url, dead_port))
    serve_on_free_port(app)


@contextlib.asynccontextmanager
async def _database(database_url: str) -> AsyncIterator[None]:
    from tortoise import Tortoise

    from models.database import tortoise_config

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        yield
    finally:
        await Tortoise.close_connections()


def prepare_child(database_url: str, extra: list[str]) -> None:
    """Migrate, then fill the wallets through billgraph's own grant."""
    balance = int(extra[0])
    from billing.credits import grant_credits
    from billing.tokens import Caller, Role
    from server.migrations import upgrade

    admin = Caller("bench-admin", roles=frozenset({Role.ADMIN}))

    async def prepare() -> None:
        await upgrade(database_url)
        async with _database(database_url):
            wallets = [(f"user-{n}", PLENTY) for n in range(USERS)]
            wallets += [(f"drain-{n}", balance) for n in range(DRAIN_WALLETS)]
            for user, amount in wallets:
                await grant_credits(
                    admin,
                    user_id=user,
                    amount=amount,
                    reason="bench",
                    expires_at=None,
                    idempotency_key=None,
                    now=datetime.now(UTC),
                )

    asyncio.run(prepare())


def count_child(database_url: str) -> None:
    """The drain wallets' balances and spends, and the verify result, as JSON."""
    from billing.credits import verify_balances
    from models.credits import CreditBalance, CreditKind, CreditTransaction

    async def count() -> dict[str, Any]:
        async with _database(database_url):
            balances = dict(
                await CreditBalance.filter(user_id__startswith="drain-").values_list(
                    "user_id", "balance"
                )
            )
            spends = Counter(
                await CreditTransaction.filter(kind=CreditKind.SPEND).values_list(
                    "user_id", flat=True
                )
            )
            verification = await verify_balances()
        return {
            "balances": {k: int(v) for k, v in balances.items()},
            "spends": dict(spends),
            "verify": {
                "balances": verification.balances,
                "transactions": verification.transactions,
                "mismatches": len(verification.mismatches),
            },
        }

    print(json.dumps(asyncio.run(count())))


# --------------------------------------------------------------- load client


class SpendLoad:
    """What to send (the raw or the GraphQL body, per user), what came back."""

    def __init__(self, args: argparse.Namespace) -> None:
        from billing.tokens import mint_token

        self.raw = args.kind == "raw"
        self.scenario = args.scenario
        self.tag = args.tag
        path = "/spend" if self.raw else "/graphql"
        self.prefix = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        self.users = (
            [args.wallet] if self.scenario == "drain" else [f"user-{n}" for n in range(USERS)]
        )
        settings = _settings("sqlite://unused", 1)
        self.auth = {
            user: f"Authorization: Bearer {mint_token(settings, user)}\r\n".encode()
            for user in self.users
        }
        self.balance = args.balance
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
        # The drain run goes on past the window until the wallet is surely empty.
        overtime = self.scenario == "drain" and self.issued < 2 * self.balance
        if self.issued >= self.max_requests or (
            time.perf_counter() >= self.measure_end and not overtime
        ):
            return None
        user = self.users[self.issued % len(self.users)]
        key = f"{self.tag}-{self.issued}"
        self.issued += 1
        if self.raw:
            body = json.dumps({"user": user, "amount": 1, "key": key}).encode()
        else:
            variables = {"input": {"amount": 1, "idempotencyKey": key}}
            body = json.dumps({"query": SPEND, "variables": variables}).encode()
        auth = b"" if self.raw else self.auth[user]
        return b"%s%sContent-Length: %d\r\n\r\n%s" % (self.prefix, auth, len(body), body)

    def record(self, status: int, answer: bytes, start: float, done: float) -> None:
        self.statuses[status] += 1
        if b'"errors":[]' in answer:
            self.outcomes["spent"] += 1
        elif b"INSUFFICIENT_CREDITS" in answer:
            self.outcomes["refused"] += 1
        else:
            self.outcomes[f"other: {answer[:120].decode(errors='replace')}"] += 1
        if self.warmup_end <= done <= self.measure_end:
            self.latencies.append(done - start)


async def _load(args: argparse.Namespace) -> dict[str, Any]:
    load = SpendLoad(args)
    result = await measure(load, args.connections, args.port, args.server_pid)
    return {
        **result,
        "sent": load.issued,
        "wallet": args.wallet,
        "statuses": {str(k): v for k, v in load.statuses.items()},
        "outcomes": dict(load.outcomes),
    }


# -------------------------------------------------------------- orchestrator


def _checks(target: Target, counts: dict[str, Any], balance: int, failures: list[str]) -> list[str]:
    lines = []
    for run in target.runs["drain"]:
        wallet, outcomes = run["wallet"], run["outcomes"]
        left = counts["balances"].get(wallet)
        spends = counts["spends"].get(wallet, 0)
        lines.append(
            check(
                f"{target.name}: {wallet}: spent == balance",
                run["sent"] > balance
                and outcomes.get("spent", 0) == balance == spends
                and left == 0,
                f"{run['sent']:,} calls at {run['rps']:,.0f} req/s: {outcomes.get('spent', 0):,} "
                f"spent, {outcomes.get('refused', 0):,} refused; {spends:,} SPEND rows, "
                f"balance left {left}",
                failures,
            )
        )
    spent = sum(r["outcomes"].get("spent", 0) for r in target.runs["spend"])
    lines.append(
        check(
            f"{target.name}: spend run: every call spent",
            all(set(r["outcomes"]) == {"spent"} for r in target.runs["spend"]),
            f"{spent:,} spent answers",
            failures,
        )
    )
    verify = counts["verify"]
    lines.append(
        check(
            f"{target.name}: credits verify (balances rebuilt from the ledger and the lots)",
            verify["mismatches"] == 0,
            f"{verify['balances']:,} balances, {verify['transactions']:,} transactions, "
            f"{verify['mismatches']} mismatches",
            failures,
        )
    )
    return lines


def _report(
    args: argparse.Namespace,
    targets: list[Target],
    counts: dict[str, dict[str, Any]],
    machine_lines: list[str],
    notes: list[str],
) -> tuple[str, bool]:
    lines = [
        "billgraph: spendCredits calls per second over HTTP (bench/credits.py)",
        "=" * 78,
        *machine_lines,
        f"load:     {args.connections} connections; {args.rounds} round(s), each running every "
        f"scenario against every target in turn ({args.warmup:g} s warm-up, "
        f"{args.duration:g} s measured)",
        "",
        "Columns: medians over the rounds. ratio = req/s / req/s of the raw target on the same",
        "database in the same round (min-max over rounds). srv CPU = CPU time of the server",
        "process per second; us/req = server CPU per request. CPU ratio = raw us/req /",
        "billgraph us/req.",
        "",
        *raw_ratio_table(
            "spend", targets, f"spend: 1 credit, {USERS} users in rotation, a new key per call"
        ),
        *raw_ratio_table(
            "drain",
            targets,
            f"drain: one wallet of {args.balance:,} credits, then INSUFFICIENT_CREDITS",
        ),
        "Verification (every request of the run, warm-ups included):",
    ]
    failures: list[str] = []
    lines.extend(statuses_check(targets, failures))
    for target in targets:
        if target.kind == "billgraph":
            lines += _checks(target, counts[target.name], args.balance, failures)
    lines += rss_check(targets, failures)
    lines += [
        "",
        *notes,
        "",
        "RESULT: " + ("all checks passed" if not failures else f"FAILED {failures}"),
    ]
    return "\n".join(lines) + "\n", not failures


def _wallet(target: Target, scenario: str, args: argparse.Namespace) -> list[str]:
    if len(target.runs["drain"]) >= DRAIN_WALLETS:
        raise SystemExit(f"at most {DRAIN_WALLETS} rounds (one fresh wallet per drain run)")
    return [f"--balance={args.balance}", f"--wallet=drain-{len(target.runs['drain'])}"]


BENCH = Bench(
    module="bench.credits",
    scenarios=SCENARIOS,
    results=RESULTS,
    prepare_args=lambda args: [str(args.balance)],
    load_args=_wallet,
    report=lambda args, targets, counts, machine, notes: _report(
        args, targets, counts, machine, notes
    ),
)


def _load_options(load: argparse.ArgumentParser) -> None:
    load.add_argument("--balance", type=int, required=True)
    load.add_argument("--wallet", required=True)


def main(argv: list[str]) -> int:
    children = Children(serve_child, prepare_child, count_child, _load)
    options = lambda p: p.add_argument(  # noqa: E731
        "--balance", type=int, default=100, help="drain wallet's credits"
    )
    return bench_main(argv, BENCH, children, __doc__, options, _load_options)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
