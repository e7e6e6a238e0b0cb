"""Usage allowances through GraphQL over HTTP: limits per plan and period,
race-free counting, idempotency, periods and the audit trail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from billing import catalog_version
from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from billing.tokens import Role
from models.catalog import Plan
from models.usage import UsageCounter, UsageRecord
from models.webhooks import WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import IS_POSTGRES, LiveServer, bearer, billgraph_env, start_server
from tests.processes import run_billgraph, servers
from tests.querycount import count_queries
from tests.test_subscriptions import cancel, stripe_get, stripe_post, subscribe
from tests.test_webhooks import deliver

TRACK = """
mutation Track($input: TrackUsageInput!) {
  trackUsage(input: $input) {
    usage { feature used limit remaining periodStart resetsAt }
    upgradeTo { id price { amount } limits { feature limit } }
    creditsSpent
    errors { code message field }
  }
}
"""

LIMITS = """
query Limits($userId: ID) {
  usageLimits(userId: $userId) { feature used limit remaining periodStart resetsAt }
}
"""

USER = "user-usage"


@dataclass
class Clock:
    """A settable clock for the app (no sleeping, no patching)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def clocked(shop: LiveServer) -> AsyncIterator[tuple[LiveServer, Clock]]:
    """A second server on the same database whose clock the test sets."""
    clock = Clock(datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC))
    live = await start_server(shop.settings, clock=clock)
    yield live, clock
    await live.stop()


async def track(
    api: LiveServer, feature: str = "images", quantity: int = 1, user: str = USER, **extra: Any
) -> dict[str, Any]:
    body = await api.gql(
        TRACK, {"input": {"feature": feature, "quantity": quantity, **extra}}, bearer(user)
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["trackUsage"]
    return result


async def limits(api: LiveServer, user: str = USER) -> dict[str, dict[str, Any]]:
    body = await api.gql(LIMITS, {}, bearer(user))
    assert "errors" not in body, body
    return {item["feature"]: item for item in body["data"]["usageLimits"]}


def codes(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in result["errors"]]


async def use_catalog(api: LiveServer, sandbox: SandboxProcess, text: str, tmp: Path) -> None:
    """Sync a different plans file, as an operator would."""
    path = tmp / "plans.toml"
    path.write_text(text)
    await sync_catalog(load_catalog(path), StripeGateway(api.settings))
    await sandbox.drain_async()


TEN_IMAGES = """
currency = "usd"
[plans.free]
name = "Free"
limits = { images = 10, models = 1 }
[plans.premium]
name = "Premium"
monthly = 999
limits = { images = 100, models = 50 }
"""


# ------------------------------------------------------------------ limits


async def test_free_user_gets_three_images_then_an_upgrade_prompt(shop: LiveServer) -> None:
    for used in (1, 2, 3):
        result = await track(shop)
        assert result["errors"] == []
        assert result["usage"]["used"] == used
        assert result["usage"]["remaining"] == 3 - used
        assert result["upgradeTo"] is None

    refused = await track(shop)
    assert codes(refused) == [("LIMIT_EXCEEDED", "quantity")]
    assert refused["usage"]["used"] == 3 and refused["usage"]["limit"] == 3
    assert refused["usage"]["remaining"] == 0
    assert refused["upgradeTo"]["id"] == "premium"
    assert refused["upgradeTo"]["price"]["amount"] == 999

    assert await UsageRecord.filter(user_id=USER).count() == 3
    assert (await limits(shop))["images"]["used"] == 3


async def test_usage_limits_lists_every_metered_feature_of_the_period(shop: LiveServer) -> None:
    await track(shop, "models")
    now = datetime.now(UTC)
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    end = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    assert await limits(shop) == {
        "images": {
            "feature": "images", "used": 0, "limit": 3, "remaining": 3,
            "periodStart": start.isoformat(), "resetsAt": end.isoformat(),
        },
        "models": {
            "feature": "models", "used": 1, "limit": 1, "remaining": 0,
            "periodStart": start.isoformat(), "resetsAt": end.isoformat(),
        },
    }  # fmt: skip


async def test_premium_request_over_its_limit_points_to_pro(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await subscribe(shop, sandbox, USER, "premium")
    refused = await track(shop, quantity=150)
    assert codes(refused) == [("LIMIT_EXCEEDED", "quantity")]
    assert refused["usage"] | {"periodStart": None, "resetsAt": None} == {
        "feature": "images", "used": 0, "limit": 100, "remaining": 100,
        "periodStart": None, "resetsAt": None,
    }  # fmt: skip
    assert refused["upgradeTo"]["id"] == "pro"

    # Usage so far carries over to a paid upgrade: pro must fit 60 + 950.
    assert (await track(shop, quantity=60))["errors"] == []
    assert (await track(shop, quantity=950))["upgradeTo"]["id"] == "enterprise"


async def test_enterprise_is_unlimited(shop: LiveServer, sandbox: SandboxProcess) -> None:
    await subscribe(shop, sandbox, USER, "enterprise")
    result = await track(shop, quantity=10_000)
    assert result["errors"] == []
    assert result["usage"]["used"] == 10_000
    assert result["usage"]["limit"] is None and result["usage"]["remaining"] is None
    assert (await limits(shop))["models"] | {"periodStart": None, "resetsAt": None} == {
        "feature": "models", "used": 0, "limit": None, "remaining": None,
        "periodStart": None, "resetsAt": None,
    }  # fmt: skip


async def test_no_upgrade_when_no_plan_would_allow_it(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    refused = await track(shop, "images", quantity=4)
    assert refused["upgradeTo"]["id"] == "premium"
    await subscribe(shop, sandbox, USER, "pro")
    await track(shop, quantity=1000)
    refused = await track(shop, quantity=1)
    assert refused["upgradeTo"]["id"] == "enterprise"
    await Plan.filter(key="enterprise").update(active=False)
    # The plans on sale are kept per catalog version: announce the change as the
    # catalog's own writes do (a hand edit shows at the next poll).
    catalog_version.changed()
    assert (await track(shop, quantity=1))["upgradeTo"] is None


# --------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("feature", "quantity", "field"),
    [
        ("videos", 1, "feature"),
        ("images", 0, "quantity"),
        ("images", -5, "quantity"),
        ("images", 10_001, "quantity"),
    ],
)
async def test_invalid_input_counts_nothing(
    shop: LiveServer, feature: str, quantity: int, field: str
) -> None:
    result = await track(shop, feature, quantity)
    assert codes(result) == [("INVALID_INPUT", field)]
    assert result["usage"] is None
    assert await UsageRecord.all().count() == 0
    assert all(item["used"] == 0 for item in (await limits(shop)).values())


async def test_a_user_cannot_track_or_read_for_another(shop: LiveServer) -> None:
    result = await track(shop, userId="someone-else")
    assert codes(result) == [("FORBIDDEN", "userId")]
    assert await UsageRecord.all().count() == 0

    body = await shop.gql(LIMITS, {"userId": "someone-else"}, bearer(USER))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_admins_and_services_track_for_any_user(shop: LiveServer) -> None:
    for role in (Role.ADMIN, Role.SERVICE):
        body = await shop.gql(
            TRACK,
            {"input": {"feature": "images", "userId": USER}},
            bearer(f"{role.value}-1", roles=(role,)),
        )
        assert body["data"]["trackUsage"]["errors"] == []
    assert (await limits(shop))["images"]["used"] == 2
    admin = await shop.gql(LIMITS, {"userId": USER}, bearer("admin-1", roles=(Role.ADMIN,)))
    assert admin["data"]["usageLimits"][0]["used"] == 2


async def test_anonymous_callers_are_refused(shop: LiveServer) -> None:
    body = await shop.gql(TRACK, {"input": {"feature": "images"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await shop.gql(LIMITS)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_usage_limits_costs_constant_queries(shop: LiveServer) -> None:
    await track(shop, "images")
    await track(shop, "models")
    with count_queries() as statements:
        await limits(shop)
    # The catalog's features, the counters: not one per feature. The effective
    # plan (2 statements until issue 17) comes from the server's entitlement
    # cache, filled by the trackUsage calls above.
    assert len(statements) == 2, statements


async def test_a_counted_call_costs_three_statements(shop: LiveServer) -> None:
    await track(shop, "images")  # the entitlement is cached from here on
    with count_queries() as statements:
        await track(shop, "images")
    # The guarded UPDATE, the record, the outbox row (on PostgreSQL with its
    # NOTIFY in the same statement: 4 until issue 17).
    assert [s.split()[0:3] for s in statements] == [
        ["UPDATE", "USAGE_COUNTER", "SET"],
        ["INSERT", "INTO", "USAGE_RECORD"],
        ["WITH", "NEW", "AS"] if IS_POSTGRES else ["INSERT", "INTO", "OUTBOX_EVENT"],
    ], statements


# ------------------------------------------------------------- concurrency


async def test_concurrent_calls_never_count_past_the_limit(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    await use_catalog(shop, sandbox, TEN_IMAGES, tmp_path)
    results = await asyncio.gather(*(track(shop) for _ in range(200)))
    assert sum(r["errors"] == [] for r in results) == 10
    assert sum(codes(r) == [("LIMIT_EXCEEDED", "quantity")] for r in results) == 190
    assert (await limits(shop))["images"]["used"] == 10
    assert await UsageRecord.filter(user_id=USER, feature="images").count() == 10


async def test_the_same_idempotency_key_counts_once(shop: LiveServer) -> None:
    results = await asyncio.gather(*(track(shop, idempotencyKey="upload-42") for _ in range(20)))
    assert all(r["errors"] == [] for r in results)
    assert {r["usage"]["used"] for r in results} == {1}
    assert await UsageRecord.filter(user_id=USER).count() == 1
    assert (await limits(shop))["images"]["used"] == 1

    # Later repeats still return the first result; another user's key is theirs.
    assert (await track(shop, idempotencyKey="upload-42"))["usage"]["used"] == 1
    assert (await track(shop, idempotencyKey="upload-42", user="user-b"))["usage"]["used"] == 1
    changed = await track(shop, quantity=2, idempotencyKey="upload-42")
    assert codes(changed) == [("IDEMPOTENCY_CONFLICT", "idempotencyKey")]
    assert (await limits(shop))["images"]["used"] == 1


# ------------------------------------------------------------------ periods


async def test_free_allowance_resets_at_the_month_boundary(
    clocked: tuple[LiveServer, Clock],
) -> None:
    api, clock = clocked
    for _ in range(3):
        await track(api)
    refused = await track(api)
    assert codes(refused) == [("LIMIT_EXCEEDED", "quantity")]
    assert refused["usage"]["periodStart"] == "2026-11-01T00:00:00+00:00"
    assert refused["usage"]["resetsAt"] == "2026-12-01T00:00:00+00:00"

    clock.now = datetime(2026, 12, 1, tzinfo=UTC)
    fresh = await limits(api)
    assert fresh["images"] == {
        "feature": "images", "used": 0, "limit": 3, "remaining": 3,
        "periodStart": "2026-12-01T00:00:00+00:00", "resetsAt": "2027-01-01T00:00:00+00:00",
    }  # fmt: skip
    assert (await track(api))["usage"]["used"] == 1

    # November stays as it was: periods are separate counters, nothing reset.
    clock.now = datetime(2026, 11, 15, tzinfo=UTC)
    assert (await limits(api))["images"]["used"] == 3


async def test_renewal_starts_a_fresh_allowance_once(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    assert (await track(shop, quantity=40))["usage"]["resetsAt"] == node["currentPeriodEnd"]
    marker = await WebhookEvent.all().count()

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    renewed = (await limits(shop))["images"]
    assert renewed["used"] == 0 and renewed["limit"] == 100
    assert renewed["periodStart"] == node["currentPeriodEnd"]
    assert renewed["resetsAt"] > node["currentPeriodEnd"]
    assert (await track(shop, quantity=7))["usage"]["used"] == 7

    # The renewal's events again: as Stripe retries them (same ids) and as
    # copies with new ids (e.g. fetched by `webhooks reconcile`).
    renewal = [e.payload for e in await WebhookEvent.all().order_by("received_at")][marker:]
    assert {e["type"] for e in renewal} >= {"customer.subscription.updated", "invoice.paid"}
    for payload in renewal:
        assert (await deliver(shop, payload)).status_code == 200
        copy = {**payload, "id": f"{payload['id']}_copy"}
        assert (await deliver(shop, copy)).status_code == 200
    again = (await limits(shop))["images"]
    assert again == {**renewed, "used": 7, "remaining": 93}
    assert await UsageRecord.filter(user_id=USER).count() == 2


async def test_upgrade_mid_period_keeps_usage_and_raises_the_limit(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    await track(shop, quantity=80)
    refused = await track(shop, quantity=30)
    assert refused["upgradeTo"]["id"] == "pro"

    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    pro = await Plan.get(key="pro").prefetch_related("prices")
    await stripe_post(
        sandbox,
        f"/v1/subscriptions/{node['stripeSubscriptionId']}",
        **{"items[0][id]": state["items"]["data"][0]["id"]},
        **{"items[0][price]": pro.prices[0].stripe_price_id},
    )
    await sandbox.drain_async()
    upgraded = (await limits(shop))["images"]
    assert upgraded["used"] == 80 and upgraded["limit"] == 1000
    assert upgraded["periodStart"] == node["currentPeriodStart"]
    assert (await track(shop, quantity=30))["usage"]["used"] == 110


async def test_free_usage_does_not_carry_into_a_paid_period_and_returns_after_it(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await track(shop, quantity=2)
    node = await subscribe(shop, sandbox, USER)
    paid = (await limits(shop))["images"]
    assert (paid["used"], paid["limit"]) == (0, 100)  # a new period, paid for
    await track(shop, quantity=10)

    assert (await cancel(shop, USER, node["id"], at_period_end=False))["errors"] == []
    await sandbox.drain_async()
    free = (await limits(shop))["images"]
    # Back on the calendar month's counter: only what was used on free.
    assert (free["used"], free["limit"], free["remaining"]) == (2, 3, 1)
    assert codes(await track(shop, quantity=2)) == [("LIMIT_EXCEEDED", "quantity")]


# -------------------------------------------------------------------- audit


async def test_usage_verify_rebuilds_counters_from_records(shop: LiveServer) -> None:
    await track(shop, quantity=2)
    await track(shop, "models")
    await track(shop, user="user-b", idempotencyKey="k")
    await track(shop, user="user-b", idempotencyKey="k")

    ok = run_billgraph("usage", "verify", env=billgraph_env())
    assert ok.returncode == 0, ok.stderr
    assert "3 counters, 3 records: all match" in ok.stdout

    await UsageCounter.filter(user_id="user-b").update(used=5)
    bad = run_billgraph("usage", "verify", env=billgraph_env())
    assert bad.returncode == 1
    assert "user-b images" in bad.stdout and "counter 5, records 1" in bad.stdout
    assert "1 mismatch" in bad.stderr


# ------------------------------------------- several processes, one database


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_two_server_processes_never_count_past_the_limit(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    await use_catalog(shop, sandbox, TEN_IMAGES, tmp_path)
    async with servers(2, billgraph_env(sandbox)) as clients:
        request = {"query": TRACK, "variables": {"input": {"feature": "images"}}}
        responses = await asyncio.gather(
            *(
                clients[n % 2].post("/graphql", json=request, headers=bearer(USER))
                for n in range(200)
            )
        )
    results = [r.json()["data"]["trackUsage"] for r in responses]
    assert sum(r["errors"] == [] for r in results) == 10
    assert (await limits(shop))["images"]["used"] == 10
    assert await UsageRecord.filter(user_id=USER).count() == 10


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_a_plan_change_made_by_another_process_takes_effect_at_once(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """A server process caches the user's free plan (for up to an hour here);
    the subscription is written by another process (this test's server, which
    receives the webhooks). The NOTIFY of its subscription.* event drops the
    cached entitlement: the next call already counts against premium."""
    await use_catalog(shop, sandbox, TEN_IMAGES, tmp_path)
    env = billgraph_env(sandbox) | {"ENTITLEMENT_CACHE_SECONDS": "3600"}
    async with servers(1, env) as [client]:

        async def images_limit() -> int:
            response = await client.post("/graphql", json={"query": LIMITS}, headers=bearer(USER))
            rows = response.json()["data"]["usageLimits"]
            return int({row["feature"]: row["limit"] for row in rows}["images"])

        assert await images_limit() == 10  # now cached by that process
        await subscribe(shop, sandbox, USER, "premium")
        for _ in range(100):  # the NOTIFY arrives asynchronously, within milliseconds
            if await images_limit() != 10:
                break
            await asyncio.sleep(0.05)
        assert await images_limit() == 100
        body = {"query": TRACK, "variables": {"input": {"feature": "images", "quantity": 50}}}
        tracked = (await client.post("/graphql", json=body, headers=bearer(USER))).json()
        assert tracked["data"]["trackUsage"]["errors"] == []
