"""Products and prices edited in Stripe show up in ``plans``."""

from __future__ import annotations

from billing.catalog import (
    PriceChange,
    apply_price_change,
    apply_product_change,
    fetch_price_change,
    fetch_product_change,
)
from billing.mirroring import Newest
from billing.stripe_gateway import StripeGateway
from webhooks.registry import Event, handles


async def _price(event: Event, gateway: StripeGateway) -> PriceChange | None:
    return await fetch_price_change(
        event.object, event.created, event.type == "price.deleted", gateway
    )


@handles("price.created", "price.updated", "price.deleted", fetch=_price)
async def price_changed(event: Event, change: PriceChange | None) -> None:
    await apply_price_change(change)


async def _product(event: Event, gateway: StripeGateway) -> Newest | None:
    return await fetch_product_change(
        event.object, event.created, event.type == "product.deleted", gateway
    )


@handles("product.created", "product.updated", "product.deleted", fetch=_product)
async def product_changed(event: Event, newest: Newest | None) -> None:
    await apply_product_change(newest)
