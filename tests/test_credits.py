"""The credits wallet through GraphQL over HTTP: grants, atomic and idempotent
spends, expiry order, races (in one process and across two), events, Live,
the query count of the ledger and ``billgraph credits verify/expire``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from billing.errors import ConfigError
from billing.tokens import Role
from models.audit import AuditEntry
from models.credits import CreditBalance, CreditKind, CreditLot, CreditTransaction
from models.events import OutboxEvent
from notifications.dispatcher import Dispatcher
from sandbox.process import SandboxProcess
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    bearer,
    billgraph_env,
    make_settings,
    start_server,
    token,
)
from tests.processes import run_billgraph, servers
from tests.querycount import count_queries
from tests.test_live import Watcher, handed_on, stop, watching
from tests.test_notifications import (  # noqa: F401  (fixtures: dispatcher, receiver)
    Receiver,
    create_endpoint,
    deliver,
    dispatcher,
    receiver,
)
from tests.test_usage import Clock

USER = "user-credits"
ADMIN = bearer("admin-1", roles=(Role.ADMIN,))

TX = "id kind amount balanceAfter reason expiresAt shortfall createdAt"
SPEND = f"""
mutation($input: SpendCreditsInput!) {{
  spendCredits(input: $input) {{
    account {{ userId balance expiringSoon }}
    transaction {{ {TX} }}
    errors {{ code message field }}
  }}
}}"""
GRANT = f"""
mutation($input: GrantCreditsInput!) {{
  grantCredits(input: $input) {{
    account {{ userId balance expiringSoon }}
    transaction {{ {TX} }}
    errors {{ code message field }}
  }}
}}"""
ACCOUNT = f"""
query($userId: ID, $first: Int, $after: String) {{
  credits(userId: $userId) {{
    userId balance expiringSoon
    transactions(first: $first, after: $after) {{
      totalCount pageInfo {{ hasNextPage endCursor }}
      edges {{ node {{ {TX} payment {{ id purpose }} }} }}
    }}
  }}
}}"""
LIVE_CREDITS = """
subscription($userId: ID) { creditsUpdated(userId: $userId) { userId balance expiringSoon } }
"""


async def mutate(
    api: LiveServer, query: str, name: str, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = await api.gql(query, {"input": fields}, headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


async def grant(api: LiveServer, amount: int, user: str = USER, **fields: Any) -> dict[str, Any]:
    fields.setdefault("reason", "welcome")
    return await mutate(api, GRANT, "grantCredits", ADMIN, userId=user, amount=amount, **fields)


async def spend(
    api: LiveServer, amount: int, key: str, user: str = USER, **fields: Any
) -> dict[str, Any]:
    return await mutate(
        api, SPEND, "spendCredits", bearer(user), amount=amount, idempotencyKey=key, **fields
    )


async def account(api: LiveServer, user: str = USER, **variables: Any) -> dict[str, Any]:
    body = await api.gql(ACCOUNT, variables, bearer(user))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["credits"]
    return result


def ledger(result: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(kind, amount, balanceAfter) oldest first."""
    nodes = [edge["node"] for edge in result["transactions"]["edges"]]
    return [(n["kind"], n["amount"], n["balanceAfter"]) for n in reversed(nodes)]


def codes(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in result["errors"]]


def verify_clean() -> str:
    result = run_billgraph("credits", "verify", env=billgraph_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all match" in result.stdout
    return result.stdout


@pytest.fixture
async def clocked(api: LiveServer) -> AsyncIterator[tuple[LiveServer, Clock]]:
    """A second server on the same database whose clock the test sets."""
    clock = Clock(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    live = await start_server(api.settings, clock=clock)
    yield live, clock
    await live.stop()


# ------------------------------------------------------------------ spending


async def test_spend_is_atomic_idempotent_and_never_below_zero(api: LiveServer) -> None:
    granted = await grant(api, 10)
    assert granted["errors"] == [] and granted["account"]["balance"] == 10

    first = await spend(api, 4, "job-1", reason="render")
    assert first["errors"] == []
    assert (first["transaction"]["kind"], first["transaction"]["amount"]) == ("SPEND", -4)
    assert first["transaction"]["balanceAfter"] == 6 and first["account"]["balance"] == 6

    again = await spend(api, 4, "job-1", reason="render")
    assert again["transaction"]["id"] == first["transaction"]["id"]
    assert again["account"]["balance"] == 6
    assert codes(await spend(api, 5, "job-1", reason="render")) == [
        ("IDEMPOTENCY_CONFLICT", "idempotencyKey")
    ]

    short = await spend(api, 7, "job-2")
    assert codes(short) == [("INSUFFICIENT_CREDITS", "amount")]
    assert "balance is 6" in short["errors"][0]["message"]
    assert await CreditTransaction.filter(user_id=USER).count() == 2  # nothing written
    # A refused key is not used up: it may succeed once the credits are there.
    await grant(api, 1)
    assert (await spend(api, 7, "job-2"))["account"]["balance"] == 0

    for amount in (0, -1, 2 * 10**9):
        assert codes(await spend(api, amount, f"bad-{amount}")) == [("INVALID_INPUT", "amount")]
    assert codes(await spend(api, 1, " ")) == [("INVALID_INPUT", "idempotencyKey")]
    assert ledger(await account(api)) == [
        ("ADJUSTMENT", 10, 10),
        ("SPEND", -4, 6),
        ("ADJUSTMENT", 1, 7),
        ("SPEND", -7, 0),
    ]
    verify_clean()


async def test_users_spend_only_their_own_credits(api: LiveServer) -> None:
    await grant(api, 5)
    other = await mutate(
        api, SPEND, "spendCredits", bearer("someone"), amount=1, idempotencyKey="k", userId=USER
    )
    assert codes(other) == [("FORBIDDEN", "userId")]
    service = bearer("svc", roles=(Role.SERVICE,))
    paid = await mutate(
        api, SPEND, "spendCredits", service, amount=2, idempotencyKey="k", userId=USER
    )
    assert paid["account"] == {"userId": USER, "balance": 3, "expiringSoon": 0}
    body = await api.gql(ACCOUNT, {"userId": USER}, bearer("someone"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_grant_credits_is_for_admins_and_never_goes_below_zero(api: LiveServer) -> None:
    body = await api.gql(
        GRANT, {"input": {"userId": USER, "amount": 5, "reason": "x"}}, bearer(USER)
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await CreditTransaction.all().count() == 0

    await grant(api, 5, idempotencyKey="g1")
    repeated = await grant(api, 5, idempotencyKey="g1")
    assert repeated["account"]["balance"] == 5
    assert codes(await grant(api, 6, idempotencyKey="g1")) == [
        ("IDEMPOTENCY_CONFLICT", "idempotencyKey")
    ]
    assert codes(await grant(api, -6, reason="correction")) == [("INSUFFICIENT_CREDITS", "amount")]
    removed = await grant(api, -5, reason="correction")
    assert (removed["transaction"]["kind"], removed["account"]["balance"]) == ("ADJUSTMENT", 0)
    assert codes(await grant(api, 0)) == [("INVALID_INPUT", "amount")]
    assert codes(await grant(api, 3, reason=" ")) == [("INVALID_INPUT", "reason")]
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert codes(await grant(api, 3, expiresAt=past)) == [("INVALID_INPUT", "expiresAt")]
    # Audited with each ledger row: the repeat and every refusal add nothing.
    audited = await AuditEntry.filter(action="grantCredits").order_by("created_at")
    assert [(a.actor, a.subject_user_id, a.details["amount"]) for a in audited] == [
        ("admin-1", USER, 5),
        ("admin-1", USER, -5),
    ]
    verify_clean()


# ------------------------------------------------------------------ expiry


async def test_spending_takes_the_soonest_expiring_credits_first(
    clocked: tuple[LiveServer, Clock],
) -> None:
    api, clock = clocked
    start = clock.now
    await grant(api, 10, expiresAt=(start + timedelta(days=10)).isoformat(), reason="later")
    await grant(api, 10, reason="forever")
    await grant(api, 10, expiresAt=(start + timedelta(days=3)).isoformat(), reason="soon")
    assert (await account(api))["expiringSoon"] == 10  # the 3-day grant

    await spend(api, 15, "s1")  # all of "soon", 5 of "later"
    clock.now = start + timedelta(days=4)
    shown = await account(api)
    assert shown["balance"] == 15 and shown["expiringSoon"] == 5  # nothing left to expire
    assert not await CreditTransaction.filter(kind=CreditKind.EXPIRY).exists()

    clock.now = start + timedelta(days=11)
    expired = await account(api)
    assert expired["balance"] == 10 and expired["expiringSoon"] == 0
    assert ledger(expired)[-1] == ("EXPIRY", -5, 10)
    assert ledger(await account(api))[-1] == ("EXPIRY", -5, 10)  # once
    assert await CreditTransaction.filter(kind=CreditKind.EXPIRY).count() == 1
    assert codes(await spend(api, 11, "s2")) == [("INSUFFICIENT_CREDITS", "amount")]
    assert (await spend(api, 10, "s3"))["account"]["balance"] == 0
    verify_clean()


async def test_cli_expire_writes_each_expiry_once(clocked: tuple[LiveServer, Clock]) -> None:
    api, clock = clocked  # the clock is in the past: the CLI's now is past both expiries
    await grant(api, 7, expiresAt=(clock.now + timedelta(days=1)).isoformat())
    await grant(api, 3, user="user-b", expiresAt=(clock.now + timedelta(days=2)).isoformat())
    await grant(api, 4, user="user-b")
    first = run_billgraph("credits", "expire", env=billgraph_env())
    assert first.returncode == 0, first.stderr
    assert "2 grant(s) expired" in first.stdout
    assert "0 grant(s) expired" in run_billgraph("credits", "expire", env=billgraph_env()).stdout
    assert await CreditBalance.get(user_id=USER).values_list("balance", flat=True) == 0
    assert await CreditBalance.get(user_id="user-b").values_list("balance", flat=True) == 4
    assert await CreditTransaction.filter(kind=CreditKind.EXPIRY).count() == 2
    verify_clean()


# ------------------------------------------------------------------ races


@pytest.fixture
async def roomy(db: str, sandbox: SandboxProcess) -> AsyncIterator[LiveServer]:
    """The API with room for 200 spends a minute (the default budget is 120)."""
    live = await start_server(make_settings(sandbox, rate_limit_credits=ROOMY))
    yield live
    await live.stop()


ROOMY = "1000 per minute"


async def test_concurrent_spends_never_overdraw(roomy: LiveServer) -> None:
    api = roomy
    await grant(api, 50)
    results = await asyncio.gather(*(spend(api, 1, f"race-{n}") for n in range(200)))
    assert sum(r["errors"] == [] for r in results) == 50
    assert sum(codes(r) == [("INSUFFICIENT_CREDITS", "amount")] for r in results) == 150
    assert (await account(api))["balance"] == 0
    assert await CreditTransaction.filter(kind=CreditKind.SPEND).count() == 50
    verify_clean()


async def test_racing_repeats_of_one_key_spend_once(api: LiveServer) -> None:
    await grant(api, 50)
    results = await asyncio.gather(*(spend(api, 3, "same") for _ in range(20)))
    assert {r["transaction"]["id"] for r in results} == {results[0]["transaction"]["id"]}
    assert (await account(api))["balance"] == 47


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_two_server_processes_spend_exactly_the_balance(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    await grant(api, 50)
    async with servers(2, billgraph_env(sandbox) | {"RATE_LIMIT_CREDITS": ROOMY}) as clients:
        responses = await asyncio.gather(
            *(
                clients[n % 2].post(
                    "/graphql",
                    json={
                        "query": SPEND,
                        "variables": {"input": {"amount": 1, "idempotencyKey": f"p-{n}"}},
                    },
                    headers=bearer(USER),
                )
                for n in range(200)
            )
        )
    results = [r.json()["data"]["spendCredits"] for r in responses]
    assert sum(r["errors"] == [] for r in results) == 50
    assert sum(codes(r) == [("INSUFFICIENT_CREDITS", "amount")] for r in results) == 150
    assert (await account(api))["balance"] == 0
    spent = await CreditTransaction.filter(kind=CreditKind.SPEND).values_list("amount", flat=True)
    assert sum(spent) == -50 and len(spent) == 50
    assert await CreditLot.filter(remaining__gt=0).count() == 0
    print(verify_clean())


# ------------------------------------------------------------------ audit


async def test_verify_catches_a_tampered_balance(api: LiveServer) -> None:
    await grant(api, 20)
    await spend(api, 5, "a")
    assert "1 balances, 2 transactions: all match" in verify_clean()

    await CreditBalance.filter(user_id=USER).update(balance=99)
    bad = run_billgraph("credits", "verify", env=billgraph_env())
    assert bad.returncode == 1
    assert f"{USER}: balance 99, ledger 15, lots 15" in bad.stdout
    assert "1 mismatch" in bad.stderr


async def test_a_spend_costs_seven_statements(api: LiveServer) -> None:
    await grant(api, 10)
    await spend(api, 1, "warm")
    with count_queries() as statements:
        spent = await spend(api, 1, "counted")
    assert spent["account"]["balance"] == 8 and not spent["errors"]
    # Lots due, the guarded balance UPDATE, the lots, the lot's guarded UPDATE,
    # the ledger row, the outbox row (with its NOTIFY on PostgreSQL), the
    # account (balance and expiring soon): 9 on PostgreSQL until issue 17.
    assert len(statements) == 7, statements


async def test_transactions_page_costs_constant_queries(api: LiveServer) -> None:
    for n in range(5):
        await grant(api, 10 + n)
    with count_queries() as few:
        small = await account(api, first=2)
    for n in range(20):
        await spend(api, 1, f"q-{n}")
    with count_queries() as many:
        large = await account(api, first=25)
    assert len(small["transactions"]["edges"]) == 2
    assert large["transactions"]["totalCount"] == 25
    assert len(large["transactions"]["edges"]) == 25
    # Lots due to expire, balance with expiring soon (one statement), page count, the
    # page: not one per row (no row names a payment here, so the payments loader never runs).
    assert len(few) == len(many) == 4, many
    # Pages walk the ledger newest first without gaps or repeats.
    seen: list[str] = []
    after = None
    while True:
        page = (await account(api, first=7, after=after))["transactions"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 25
    nodes = [edge["node"] for edge in large["transactions"]["edges"]]
    assert [n["id"] for n in nodes] == seen
    assert [n["balanceAfter"] for n in nodes][:3] == [40, 41, 42]


# ------------------------------------------------------------------ events


async def test_events_updated_for_every_row_and_low_once_crossing(api: LiveServer) -> None:
    await grant(api, 12)
    await spend(api, 2, "e1")  # 10: not under the threshold (10)
    await spend(api, 1, "e2")  # 9: crosses it
    await spend(api, 1, "e3")  # 8: already under
    assert codes(await spend(api, 100, "e4")) == [("INSUFFICIENT_CREDITS", "amount")]
    updated = await OutboxEvent.filter(type="credits.updated").order_by("occurred_at")
    assert [e.payload["balance"] for e in updated] == [12, 10, 9, 8]
    assert updated[1].payload["transaction"]["kind"] == "SPEND"
    low = await OutboxEvent.filter(type="credits.low")
    assert [(e.user_id, e.payload["balance"], e.payload["threshold"]) for e in low] == [
        (USER, 9, 10)
    ]


async def test_credits_updated_streams_to_the_users_watchers(shop: LiveServer) -> None:
    live = await start_server(shop.settings, background=True)
    mine = Watcher(live, token(USER), query=LIVE_CREDITS)
    other = Watcher(live, token("someone-else"), query=LIVE_CREDITS)
    try:
        await watching(live, mine, other)
        await grant(live, 8)
        await spend(live, 3, "live-1")
        await handed_on()
        assert (await mine.next())["balance"] == 8
        assert (await mine.next()) == {"userId": USER, "balance": 5, "expiringSoon": 0}
        assert other.seen.empty()
    finally:
        await stop(mine, other)
        await live.stop()


async def test_an_endpoint_hears_credits_low(
    shop: LiveServer,
    receiver: Receiver,  # noqa: F811
    dispatcher: Dispatcher,  # noqa: F811
) -> None:
    created = await create_endpoint(shop, receiver.url, ["credits.low"])
    assert created["errors"] == []
    await grant(shop, 11)
    await spend(shop, 2, "n1")  # 9: under the threshold
    await spend(shop, 1, "n2")
    assert await deliver(dispatcher) == 1
    [(_, body)] = receiver.requests
    sent = json.loads(body)
    assert (sent["type"], sent["userId"]) == ("credits.low", USER)
    assert (sent["data"]["balance"], sent["data"]["threshold"]) == (9, 10)
    assert sent["data"]["transaction"]["kind"] == "SPEND"


async def test_the_low_threshold_is_configurable(api: LiveServer) -> None:
    with pytest.raises(ConfigError, match="CREDITS_LOW_THRESHOLD"):
        make_settings(credits_low_threshold=-1)
    high = await start_server(make_settings(credits_low_threshold=100))
    try:
        await grant(high, 150)
        await spend(high, 60, "big")  # 90: under 100
    finally:
        await high.stop()
    [low] = await OutboxEvent.filter(type="credits.low")
    assert (low.payload["balance"], low.payload["threshold"]) == (90, 100)
