"""The plan catalog: sync to the sandbox, the mirror, and the public query."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx

from billing.catalog import lookup_key, sync_catalog
from billing.packs import pack_stripe_id
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from models.catalog import Plan, PlanPrice
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import (
    DATABASE_URL,
    LiveServer,
    bearer,
    make_settings,
    start_server,
    stripe_get,
    stripe_post,
)
from tests.querycount import count_queries
from tests.test_subscriptions import checkout

PLANS = """{ plans { id name description price { amount currency formatted } interval trialDays
  limits { feature limit } features stripePriceId prices { interval price { amount } } } }"""


def _stripe_prices(sandbox: SandboxProcess, **params: str) -> list[dict]:
    response = httpx.get(
        f"{sandbox.url}/v1/prices",
        params={"limit": "100", **params},
        headers={"Authorization": f"Bearer {sandbox.secret_key}"},
    )
    response.raise_for_status()
    return response.json()["data"]


async def test_plans_are_public_and_match_the_seed_catalog(api: LiveServer, sandbox) -> None:
    settings = make_settings(sandbox)
    await sync_catalog(load_catalog(None), StripeGateway(settings))

    body = await api.gql(PLANS)  # no token

    assert "errors" not in body
    plans = {p["id"]: p for p in body["data"]["plans"]}
    assert list(plans) == ["free", "premium", "pro", "enterprise"]
    assert plans["free"]["price"] == {"amount": 0, "currency": "usd", "formatted": "$0.00"}
    assert plans["free"]["stripePriceId"] is None
    assert plans["free"]["limits"] == [
        {"feature": "images", "limit": 3},
        {"feature": "models", "limit": 1},
    ]
    assert plans["free"]["features"] == ["basic-support"]
    assert plans["premium"]["price"] == {"amount": 999, "currency": "usd", "formatted": "$9.99"}
    assert plans["premium"]["interval"] == "MONTH"
    assert plans["premium"]["stripePriceId"].startswith("price_")
    assert plans["premium"]["limits"][0] == {"feature": "images", "limit": 100}
    assert plans["premium"]["features"] == ["priority-support", "high-res-exports"]
    assert plans["pro"]["price"]["formatted"] == "$29.99"
    assert plans["pro"]["limits"] == [
        {"feature": "images", "limit": 1000},
        {"feature": "models", "limit": 500},
    ]
    assert plans["enterprise"]["price"]["formatted"] == "$99.99"
    assert plans["enterprise"]["limits"] == [
        {"feature": "images", "limit": None},
        {"feature": "models", "limit": None},
    ]
    assert plans["enterprise"]["features"] == ["dedicated-support", "custom-integrations", "sla"]
    assert {p["interval"] for p in plans["premium"]["prices"]} == {"MONTH", "YEAR"}


async def test_sync_twice_changes_nothing(db, sandbox) -> None:
    gateway = StripeGateway(make_settings(sandbox))
    catalog = load_catalog(None)

    first = await sync_catalog(catalog, gateway)
    second = await sync_catalog(catalog, gateway)

    assert first.changed
    assert not second.changed, second.summary()
    active = _stripe_prices(sandbox, active="true")
    by_key = sorted(p["lookup_key"] for p in active)
    # premium, pro: month + year; enterprise: month only; a one-time price per
    # credit pack. One active price each.
    assert by_key == sorted(
        [
            lookup_key("premium", "month"),
            lookup_key("premium", "year"),
            lookup_key("pro", "month"),
            lookup_key("pro", "year"),
            lookup_key("enterprise", "month"),
            pack_stripe_id("small"),
            pack_stripe_id("large"),
        ]
    )
    assert len(_stripe_prices(sandbox)) == 7  # none made twice
    assert await PlanPrice.filter(active=True).count() == 5


async def test_changed_amount_makes_a_new_price_and_retires_the_old(
    db, sandbox, tmp_path: Path
) -> None:
    gateway = StripeGateway(make_settings(sandbox))
    await sync_catalog(load_catalog(None), gateway)
    old = await PlanPrice.get(plan_id="premium", interval="month", active=True)

    changed = tmp_path / "plans.toml"
    text = Path("billing/default_catalog.toml").read_text()
    changed.write_text(text.replace("monthly = 999\n", "monthly = 1299\n"))
    report = await sync_catalog(load_catalog(changed), gateway)

    assert report.counts["prices created"] == 1
    assert report.counts["prices deactivated"] == 1
    new = await PlanPrice.get(plan_id="premium", interval="month", active=True)
    assert new.amount == 1299 and new.stripe_price_id != old.stripe_price_id
    await old.refresh_from_db()
    assert not old.active  # kept, so existing subscribers still resolve to premium
    stripe_old = next(p for p in _stripe_prices(sandbox) if p["id"] == old.stripe_price_id)
    assert stripe_old["active"] is False and stripe_old["lookup_key"] is None
    holders = _stripe_prices(sandbox, **{"lookup_keys[]": lookup_key("premium", "month")})
    assert [p["id"] for p in holders] == [new.stripe_price_id]
    # And back again: syncing the original file once more is a third price, not a replay.
    await sync_catalog(load_catalog(None), gateway)
    again = await PlanPrice.get(plan_id="premium", interval="month", active=True)
    assert again.amount == 999 and again.stripe_price_id not in {
        old.stripe_price_id,
        new.stripe_price_id,
    }


async def test_plans_query_count_does_not_grow_with_plans(api: LiveServer, sandbox) -> None:
    await sync_catalog(load_catalog(None), StripeGateway(make_settings(sandbox)))
    await sandbox.drain_async()  # the sync's own webhooks, before counting
    with count_queries() as statements:
        body = await api.gql(PLANS)
    assert len(body["data"]["plans"]) == 4
    assert len(statements) == 2, statements  # plans + their prices, never per plan


def _catalog_sync(sandbox: SandboxProcess, plans_file: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": DATABASE_URL,
        "STRIPE_SECRET_KEY": sandbox.secret_key,
        "STRIPE_API_BASE": sandbox.url,
        "BILLGRAPH_CATALOG": str(plans_file),
    }
    command = [sys.executable, "-m", "server", "catalog", "sync"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


async def test_renamed_free_plan_takes_over_and_the_old_one_is_retired(
    db, sandbox, tmp_path: Path
) -> None:
    text = Path("billing/default_catalog.toml").read_text()
    original, renamed = tmp_path / "plans.toml", tmp_path / "renamed.toml"
    original.write_text(text)
    renamed.write_text(
        text.replace("[plans.free]", "[plans.starter]").replace(
            "limits = { images = 3, models = 1 }", "limits = { images = 5, models = 1 }"
        )
    )

    for plans_file in (original, renamed):
        done = await asyncio.to_thread(_catalog_sync, sandbox, plans_file)
        assert done.returncode == 0, done.stderr

    old = await Plan.get(key="free")
    assert (old.active, old.free) == (False, False)
    assert await Plan.filter(free=True).values_list("key", flat=True) == ["starter"]
    # As the rename left it before this fix: only the active free plan counts.
    await Plan.filter(key="free").update(free=True)
    api = await start_server(make_settings(sandbox))
    try:
        body = await api.gql(
            "mutation($input: TrackUsageInput!) { trackUsage(input: $input) {"
            " usage { used limit } errors { code } } }",
            {"input": {"feature": "images", "quantity": 4}},
            headers=bearer("user-free"),
        )
        plans = await api.gql("{ plans { id } }")
    finally:
        await api.stop()
    assert "errors" not in body, body
    assert body["data"]["trackUsage"] == {"usage": {"used": 4, "limit": 5}, "errors": []}
    assert [p["id"] for p in plans["data"]["plans"]] == ["starter", "premium", "pro", "enterprise"]


async def test_dashboard_prices_of_any_kind_are_mirrored_but_never_sold(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """Weekly, daily, quarterly and one-time prices added to a plan's product in
    the dashboard arrive as signed price.created webhooks: mirrored as they
    are, while ``plans`` and checkout keep to the monthly and yearly prices."""
    monthly = await PlanPrice.get(lookup_key=lookup_key("premium", "month"))
    base = {"product": "billgraph_premium", "currency": "usd", "unit_amount": "299"}
    added = {
        ("recurring", "week", 1): {"recurring[interval]": "week"},
        ("recurring", "day", 1): {"recurring[interval]": "day"},
        ("recurring", "month", 3): {
            "recurring[interval]": "month",
            "recurring[interval_count]": "3",
        },
        ("one_time", "", None): {},
    }
    ids = {
        kind: (await stripe_post(sandbox, "/v1/prices", **base, **extra))["id"]
        for kind, extra in added.items()
    }
    await sandbox.drain_async()

    for (kind, interval, count), price_id in ids.items():
        row = await PlanPrice.get(stripe_price_id=price_id)
        assert (row.plan_id, row.type, row.interval, row.interval_count, row.active) == (
            "premium",
            kind,
            interval,
            count,
            True,
        )
    processed = await WebhookEvent.filter(type="price.created", status=EventStatus.PROCESSED)
    assert {e.payload["data"]["object"]["id"] for e in processed} >= set(ids.values())

    body = await shop.gql(PLANS)
    assert "errors" not in body, body
    premium = next(p for p in body["data"]["plans"] if p["id"] == "premium")
    assert premium["stripePriceId"] == monthly.stripe_price_id
    assert premium["prices"] == [
        {"interval": "MONTH", "price": {"amount": 999}},
        {"interval": "YEAR", "price": {"amount": 9990}},
    ]

    session = await checkout(shop, "user-dashboard")
    assert session["errors"] == []
    lines = await stripe_get(sandbox, f"/v1/checkout/sessions/{session['sessionId']}/line_items")
    assert [line["price"]["id"] for line in lines["data"]] == [monthly.stripe_price_id]


async def test_plan_without_description_syncs_and_a_dropped_one_is_cleared(
    db, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """Stripe refuses description="" on create; on update "" is how it is cleared."""
    gateway = StripeGateway(make_settings(sandbox))
    text = Path("billing/default_catalog.toml").read_text()
    bare = tmp_path / "bare.toml"
    bare.write_text(text.replace('description = "For regular creators."\n', ""))

    report = await sync_catalog(load_catalog(bare), gateway)
    assert report.counts["products created"] == 3
    assert (await stripe_get(sandbox, "/v1/products/billgraph_premium"))["description"] is None

    await sync_catalog(load_catalog(None), gateway)
    described = await stripe_get(sandbox, "/v1/products/billgraph_premium")
    assert described["description"] == "For regular creators."
    report = await sync_catalog(load_catalog(bare), gateway)
    assert report.counts["products updated"] == 1
    assert (await stripe_get(sandbox, "/v1/products/billgraph_premium"))["description"] is None
    assert (await Plan.get(key="premium")).description is None
