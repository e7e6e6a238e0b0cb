"""The plan catalog: sync to the sandbox, the mirror, and the public query."""

from __future__ import annotations

from pathlib import Path

import httpx

from billing.catalog import lookup_key, sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from models.catalog import PlanPrice
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, make_settings
from tests.querycount import count_queries

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
    # premium, pro: month + year; enterprise: month only. One active price each.
    assert by_key == sorted(
        [
            lookup_key("premium", "month"),
            lookup_key("premium", "year"),
            lookup_key("pro", "month"),
            lookup_key("pro", "year"),
            lookup_key("enterprise", "month"),
        ]
    )
    assert len(_stripe_prices(sandbox)) == 5
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
