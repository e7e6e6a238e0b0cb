"""Overage: a plan limit with ``overage`` lets trackUsage go past the allowance
paid in credits, in the usage count's own transaction; too few credits is
LIMIT_EXCEEDED as before, with nothing counted or spent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from billing.errors import ConfigError
from billing.plans_file import load_catalog
from models.credits import CreditKind, CreditTransaction
from models.usage import UsageRecord
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer
from tests.test_credits import USER, account, grant, verify_clean
from tests.test_usage import codes, limits, track, use_catalog

OVERAGE = """
currency = "usd"
[plans.free]
name = "Free"
limits = { images = 3, models = 1 }
overage = { images = 2 }
"""


@pytest.fixture
async def metered(shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path) -> LiveServer:
    await use_catalog(shop, sandbox, OVERAGE, tmp_path)
    return shop


async def test_usage_past_the_limit_is_paid_in_credits(metered: LiveServer) -> None:
    shown = (await metered.gql("{ plans { limits { feature limit overageCredits } } }"))["data"]
    assert shown["plans"][0]["limits"] == [
        {"feature": "images", "limit": 3, "overageCredits": 2},
        {"feature": "models", "limit": 1, "overageCredits": None},
    ]
    await grant(metered, 5)
    within = await track(metered, quantity=2, user=USER)
    assert (within["errors"], within["creditsSpent"]) == ([], 0)

    # 1 unit inside the allowance, 2 beyond: 4 credits.
    over = await track(metered, quantity=3, user=USER, idempotencyKey="over")
    assert over["errors"] == [] and over["creditsSpent"] == 4
    assert over["usage"]["used"] == 5 and over["usage"]["remaining"] == 0
    assert (await account(metered))["balance"] == 1
    repeated = await track(metered, quantity=3, user=USER, idempotencyKey="over")
    assert (repeated["creditsSpent"], repeated["usage"]["used"]) == (4, 5)

    # 1 credit left, 2 needed: refused, nothing counted or spent.
    refused = await track(metered, user=USER)
    assert codes(refused) == [("LIMIT_EXCEEDED", "quantity")]
    assert refused["creditsSpent"] == 0
    assert (await limits(metered, USER))["images"]["used"] == 5
    assert (await account(metered))["balance"] == 1
    assert await UsageRecord.filter(user_id=USER).count() == 2
    [row] = await CreditTransaction.filter(kind=CreditKind.OVERAGE)
    assert (row.amount, row.balance_after) == (-4, 1)

    # A limit without overage still stops at the limit, credits or not.
    assert (await track(metered, "models", user=USER))["errors"] == []
    assert codes(await track(metered, "models", user=USER)) == [("LIMIT_EXCEEDED", "quantity")]
    assert (await account(metered))["balance"] == 1
    verify_clean()


async def test_without_credits_the_limit_holds(metered: LiveServer) -> None:
    assert (await track(metered, quantity=3, user=USER))["errors"] == []
    refused = await track(metered, user=USER)
    assert codes(refused) == [("LIMIT_EXCEEDED", "quantity")]
    assert (await limits(metered, USER))["images"]["used"] == 3
    assert await CreditTransaction.all().count() == 0


async def test_concurrent_overage_never_overspends(metered: LiveServer) -> None:
    await grant(metered, 20)  # 3 free units + 10 paid ones (2 credits each)
    results = await asyncio.gather(*(track(metered, user=USER) for _ in range(40)))
    assert sum(r["errors"] == [] for r in results) == 13
    assert sum(r["creditsSpent"] for r in results) == 20
    assert (await limits(metered, USER))["images"]["used"] == 13
    assert (await account(metered))["balance"] == 0
    verify_clean()


def test_overage_needs_a_limit(tmp_path: Path) -> None:
    path = tmp_path / "plans.toml"
    path.write_text(
        '[plans.free]\nname = "Free"\nlimits = { images = "unlimited" }\noverage = { images = 1 }\n'
    )
    with pytest.raises(ConfigError, match="overage of 'images' needs a whole-number limit"):
        load_catalog(path)
