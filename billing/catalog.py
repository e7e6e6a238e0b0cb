"""The plan catalog: pushing the plans file to Stripe and reading it back.

Stripe holds one Product per paid plan and one Price per plan and interval,
found again by ``lookup_key``. Prices are immutable in Stripe, so a changed
amount makes a new Price that takes over the lookup key, and the old one is
deactivated: existing subscribers keep paying what they signed up for.
Queries read only the database mirror, never Stripe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tortoise.query_utils import Prefetch
from tortoise.transactions import in_transaction

from billing import catalog_version
from billing.idempotency import stripe_key
from billing.mirroring import Newest, Seen, VersionMoved, ensure_unchanged, newest_state
from billing.packs import sync_packs
from billing.plans_file import INTERVALS, Catalog, Interval, PlanSpec
from billing.products import SyncReport, sync_product
from billing.stripe_gateway import StripeGateway, StripeObject
from models.catalog import Plan, PlanPrice
from models.sql import insert_new, marks

log = logging.getLogger(__name__)

PLAN_METADATA_KEY = "billgraph_plan"


def product_id(plan_key: str) -> str:
    return f"billgraph_{plan_key}"


def lookup_key(plan_key: str, interval: Interval) -> str:
    return f"billgraph_{plan_key}_{interval}"


async def sync_catalog(catalog: Catalog, gateway: StripeGateway) -> SyncReport:
    """Make Stripe and the database match the plans file. Safe to repeat."""
    report = SyncReport()
    plans = await _write_plans(catalog, report)
    for spec, plan in zip(catalog.plans, plans, strict=True):
        if not spec.is_free:
            await _sync_product(spec, plan, gateway, report)
            await _sync_prices(catalog, spec, plan, gateway, report)
    await sync_packs(catalog, gateway, report)
    catalog_version.changed()  # also covers the bulk updates that bypass mirror_price
    return report


async def _write_plans(catalog: Catalog, report: SyncReport) -> list[Plan]:
    """The plan rows, in one transaction (no Stripe call inside): plans left out
    of the file are retired and lose the free flag before the file's free plan
    takes it, so a renamed free plan never leaves two active free plans."""
    keys = [spec.key for spec in catalog.plans]
    async with in_transaction():
        retired = await Plan.filter(active=True).exclude(key__in=keys).update(active=False)
        if retired:
            report.counts["plans retired"] += retired
        await Plan.filter(free=True).exclude(key=catalog.free_plan.key).update(free=False)
        return [
            await _upsert_plan(catalog, spec, position, report)
            for position, spec in enumerate(catalog.plans)
        ]


async def _upsert_plan(catalog: Catalog, spec: PlanSpec, position: int, report: SyncReport) -> Plan:
    wanted: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "position": position,
        "trial_days": spec.trial_days,
        "currency": catalog.currency,
        "limits": catalog.limits_of(spec),
        "features": list(spec.features),
        "credits_per_period": spec.credits_per_period,
        "free": spec.is_free,
        "active": True,
    }
    plan = await Plan.get_or_none(key=spec.key)
    if plan is None:
        plan = await Plan.create(key=spec.key, **wanted)
        report.add("plans created")
    elif any(getattr(plan, name) != value for name, value in wanted.items()):
        await plan.update_from_dict(wanted).save()
        report.add("plans updated")
    else:
        report.add("plans unchanged")
    return plan


async def _sync_product(
    spec: PlanSpec, plan: Plan, gateway: StripeGateway, report: SyncReport
) -> None:
    pid = product_id(spec.key)
    metadata = {PLAN_METADATA_KEY: spec.key}
    wrote = await sync_product(pid, spec.name, spec.description, metadata, gateway, report)
    if wrote or plan.stripe_product_id != pid:
        # Written from an API answer: the next product event re-fetches.
        plan.stripe_product_id, plan.stripe_version = pid, None
        await plan.save(update_fields=["stripe_product_id", "stripe_version", "updated_at"])


async def _sync_prices(
    catalog: Catalog, spec: PlanSpec, plan: Plan, gateway: StripeGateway, report: SyncReport
) -> None:
    keys = {interval: lookup_key(spec.key, interval) for interval in INTERVALS}
    holders = {p["lookup_key"]: p for p in await gateway.prices_by_lookup_keys(list(keys.values()))}
    live: list[str] = []
    for interval, key in keys.items():
        amount = spec.amount(interval)
        current = holders.get(key)
        if amount is None:
            if current is not None and current.get("active"):
                await mirror_price(
                    await gateway.update_price(current["id"], {"active": False}), plan.key
                )
                report.add("prices deactivated")
            continue
        if current is not None and _price_matches(current, amount, catalog.currency, interval):
            if not current.get("active"):
                current = await gateway.update_price(current["id"], {"active": True})
                report.add("prices reactivated")
            else:
                report.add("prices unchanged")
            live.append((await mirror_price(current, plan.key)).stripe_price_id)
            continue
        replaced = current["id"] if current is not None else None
        created = await gateway.create_price(
            {
                "product": product_id(spec.key),
                "currency": catalog.currency,
                "unit_amount": amount,
                "recurring": {"interval": interval},
                "lookup_key": key,
                "transfer_lookup_key": True,
                "nickname": f"{spec.name} ({interval}ly)",
                "metadata": {PLAN_METADATA_KEY: spec.key},
            },
            idempotency_key=stripe_key(
                "catalog", "price", key, amount, catalog.currency, interval, replaced
            ),
        )
        live.append((await mirror_price(created, plan.key)).stripe_price_id)
        report.add("prices created")
        if current is not None and current.get("active"):
            await mirror_price(
                await gateway.update_price(current["id"], {"active": False}), plan.key
            )
            report.add("prices deactivated")
    # Plan prices Stripe no longer backs (archived elsewhere, or another Stripe account).
    await (
        PlanPrice.on_sale()
        .filter(plan_id=plan.key)
        .exclude(stripe_price_id__in=live)
        .update(active=False)
    )


def _price_matches(price: StripeObject, amount: int, currency: str, interval: Interval) -> bool:
    recurring = price.get("recurring") or {}
    return (
        price.get("unit_amount") == amount
        and price.get("currency") == currency
        and recurring.get("interval") == interval
        and recurring.get("interval_count", 1) == 1
    )


async def mirror_price(price: StripeObject, plan_key: str, version: int | None = None) -> PlanPrice:
    """Write a Stripe Price into the mirror as it is, one-time or recurring at
    any interval (``version``: see StripeMirror); PlanPrice.on_sale decides
    what is sold."""
    row, _ = await PlanPrice.update_or_create(
        _price_values(price, plan_key, version), stripe_price_id=price["id"]
    )
    catalog_version.changed()
    return row


def _price_values(price: StripeObject, plan_key: str, version: int | None) -> dict[str, Any]:
    recurring = price.get("recurring")
    return {
        "plan_id": plan_key,
        "type": "recurring" if recurring else "one_time",
        "interval": recurring["interval"] if recurring else "",
        "interval_count": recurring.get("interval_count", 1) if recurring else None,
        "amount": price.get("unit_amount") or 0,
        "currency": price["currency"],
        "active": bool(price.get("active")),
        "lookup_key": price.get("lookup_key"),
        "stripe_version": version,
    }


async def _plan_key_for(price: StripeObject) -> str | None:
    metadata = price.get("metadata") or {}
    if metadata.get(PLAN_METADATA_KEY):
        return str(metadata[PLAN_METADATA_KEY])
    product = price.get("product")
    product_id_ = product.get("id") if isinstance(product, dict) else product
    plan = await Plan.get_or_none(stripe_product_id=product_id_)
    return plan.key if plan else None


async def _plan_and_price(plan_key: str, price_id: str) -> tuple[PlanPrice | None] | None:
    """One statement (every price event runs it): None when the plan doesn't
    exist, else the price's row as it is (None inside when not mirrored yet)."""
    connection = PlanPrice._meta.db
    price_at, plan_at = marks(connection, 2)
    rows = await connection.execute_query_dict(
        f'SELECT "plan_price".* FROM "plan" LEFT JOIN "plan_price" '  # noqa: S608 (placeholders)
        f'ON "plan_price"."stripe_price_id"={price_at} WHERE "plan"."key"={plan_at}',
        [price_id, plan_key],
    )
    if not rows:
        return None
    return (PlanPrice._init_from_db(**rows[0]) if rows[0]["id"] is not None else None,)


@dataclass(frozen=True, slots=True)
class PriceChange:
    plan_key: str
    newest: Newest


async def fetch_price_change(
    price: StripeObject, created: int, deleted: bool, gateway: StripeGateway
) -> PriceChange | None:
    """Fetch step of a price event (dashboard edit, archive, our own sync)."""
    plan_key = await _plan_key_for(price)
    found = await _plan_and_price(plan_key, price["id"]) if plan_key is not None else None
    if plan_key is None or found is None:
        log.info("price %s belongs to no billgraph plan; ignored", price.get("id"))
        return None
    row = found[0]
    if deleted:
        newest: Newest | None = Newest({**price, "active": False}, created, Seen.of(row))
    else:
        newest = await newest_state(
            row,
            event_created=created,
            payload=price,
            fetch=lambda: gateway.retrieve_price(price["id"]),
            skip_missing=True,
        )
    return PriceChange(plan_key, newest) if newest is not None else None


async def apply_price_change(change: PriceChange | None) -> None:
    if change is None:
        return
    state, seen = change.newest.state, change.newest.seen
    values = _price_values(state, change.plan_key, change.newest.version)
    if seen.written_at is None:
        # Absent when fetched: a row that appeared since takes the insert's place
        # (no lock to take on a missing row), and the event is fetched again.
        if not await insert_new(
            PlanPrice(stripe_price_id=state["id"], **values), "stripe_price_id"
        ):
            raise VersionMoved(f"price {state['id']} was mirrored while the event was fetched")
    else:
        locked = await PlanPrice.select_for_update().get_or_none(stripe_price_id=state["id"])
        ensure_unchanged(locked, seen)
        assert locked is not None  # ensure_unchanged: it existed when fetched
        await locked.update_from_dict(values).save()  # update_or_create would lock it again
    catalog_version.changed()


async def fetch_product_change(
    product: StripeObject, created: int, deleted: bool, gateway: StripeGateway
) -> Newest | None:
    """Fetch step of a product event: a plan renamed or archived in Stripe."""
    plan = await Plan.get_or_none(stripe_product_id=product["id"])
    if plan is None:
        log.info("product %s belongs to no billgraph plan; ignored", product.get("id"))
        return None
    if deleted:
        newest: Newest | None = Newest({**product, "active": False}, created, Seen.of(plan))
    else:
        newest = await newest_state(
            plan,
            event_created=created,
            payload=product,
            fetch=lambda: gateway.retrieve_product(product["id"]),
            skip_missing=True,
        )
    return newest


async def apply_product_change(newest: Newest | None) -> None:
    """Write step: show the product's name and state in ``plans``."""
    if newest is None:
        return
    state = newest.state
    plan = await Plan.select_for_update().get_or_none(stripe_product_id=state["id"])
    ensure_unchanged(plan, newest.seen)
    assert plan is not None  # ensure_unchanged: it existed when fetched
    await plan.update_from_dict(
        {
            "name": state.get("name") or plan.name,
            "description": state.get("description") or None,
            "active": bool(state.get("active", True)),
            "stripe_version": newest.version,
        }
    ).save(update_fields=["name", "description", "active", "stripe_version", "updated_at"])
    catalog_version.changed()


async def active_plans() -> list[Plan]:
    """The catalog for display: active plans with the prices on sale (2 queries)."""
    return await Plan.filter(active=True).prefetch_related(
        Prefetch("prices", queryset=PlanPrice.on_sale())
    )
