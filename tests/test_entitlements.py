"""The per-server entitlement cache (billing.entitlements.Entitlements): what
keeps an entry, and what drops it. The cross-process path (NOTIFY) is in
tests/test_usage.py, with real server processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from billing import catalog_version
from billing.catalog import active_plans
from billing.catalog_version import CatalogWatch
from billing.entitlements import Entitlements, subscription_changed
from models.catalog import Plan
from tests.querycount import count_queries

NOW = datetime(2026, 11, 15, tzinfo=UTC)


@dataclass
class Monotonic:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


async def _images(cache: Entitlements) -> object:
    plan = (await cache.get("user-1", NOW)).plan
    return {item["feature"]: item["limit"] for item in plan.limits}["images"]


async def _free_plan() -> None:
    await Plan.create(
        key="free", name="Free", free=True, limits=[{"feature": "images", "limit": 3}]
    )


async def _fresh_cache(ttl: float = 5.0) -> tuple[Entitlements, Monotonic]:
    await Plan.create(
        key="free", name="Free", free=True, limits=[{"feature": "images", "limit": 3}]
    )
    watch = CatalogWatch()
    await watch.poll()
    clock = Monotonic()
    return Entitlements(watch, ttl, clock), clock


async def _hand_edit(limit: int) -> None:
    """A change nothing announces (no event, no catalog_version.changed())."""
    await Plan.filter(key="free").update(limits=[{"feature": "images", "limit": limit}])


async def test_an_entry_is_read_once_then_kept_until_its_ttl(db: str) -> None:
    cache, clock = await _fresh_cache()
    assert await _images(cache) == 3
    await _hand_edit(7)
    with count_queries() as statements:
        assert await _images(cache) == 3  # cached: no statement
    assert statements == []
    clock.now += 4.9
    assert await _images(cache) == 3
    clock.now += 0.1  # ttl reached: read again
    assert await _images(cache) == 7


async def test_the_period_follows_the_clock_of_each_call(db: str) -> None:
    cache, _clock = await _fresh_cache()
    assert (await cache.get("user-1", NOW)).period_start == datetime(2026, 11, 1, tzinfo=UTC)
    december = await cache.get("user-1", datetime(2026, 12, 2, tzinfo=UTC))
    assert december.period_start == datetime(2026, 12, 1, tzinfo=UTC)


async def test_a_catalog_change_of_this_process_drops_every_entry(db: str) -> None:
    cache, _clock = await _fresh_cache()
    assert await _images(cache) == 3
    await _hand_edit(7)
    catalog_version.changed()
    assert await _images(cache) == 7


async def test_a_subscription_change_drops_the_user(db: str) -> None:
    cache, _clock = await _fresh_cache()
    assert await _images(cache) == 3
    await _hand_edit(7)
    subscription_changed(["someone-else"])
    assert await _images(cache) == 3
    subscription_changed(["user-1"])
    assert await _images(cache) == 7


async def test_nothing_is_kept_while_the_catalog_version_is_not_fresh(db: str) -> None:
    await Plan.create(
        key="free", name="Free", free=True, limits=[{"feature": "images", "limit": 3}]
    )
    cache = Entitlements(CatalogWatch())  # never polled
    assert await _images(cache) == 3
    with count_queries() as statements:
        assert await _images(cache) == 3
    assert len(statements) == 2  # live subscription, free plan: read again


async def test_a_ttl_of_zero_turns_the_cache_off(db: str) -> None:
    cache, _clock = await _fresh_cache(ttl=0)
    assert await _images(cache) == 3
    await _hand_edit(7)
    assert await _images(cache) == 7


async def _on_sale_keys(cache: Entitlements) -> list[str]:
    return [plan.key for plan in await cache.on_sale(active_plans)]


async def test_plans_on_sale_are_kept_until_the_catalog_version_moves(db: str) -> None:
    cache, clock = await _fresh_cache()
    assert await _on_sale_keys(cache) == ["free"]
    await Plan.create(key="plus", name="Plus", position=1, limits=[])
    clock.now += 60  # no ttl: only the catalog version drops the list
    with count_queries() as statements:
        assert await _on_sale_keys(cache) == ["free"]
    assert statements == []
    catalog_version.changed()
    assert await _on_sale_keys(cache) == ["free", "plus"]


async def test_plans_on_sale_move_with_another_process_write_at_the_next_poll(db: str) -> None:
    cache, _clock = await _fresh_cache()
    assert await _on_sale_keys(cache) == ["free"]
    await Plan.create(key="plus", name="Plus", position=1, limits=[])  # no changed(): a sibling
    await cache.watch.poll()
    assert await _on_sale_keys(cache) == ["free", "plus"]


async def test_plans_on_sale_are_not_kept_while_the_version_is_not_fresh(db: str) -> None:
    await _free_plan()
    cache = Entitlements(CatalogWatch())  # never polled
    assert await _on_sale_keys(cache) == ["free"]
    with count_queries() as statements:
        assert await _on_sale_keys(cache) == ["free"]
    assert len(statements) == 2  # plans, prices: read again
