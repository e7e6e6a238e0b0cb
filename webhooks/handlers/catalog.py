"""Products and prices edited in Stripe show up in ``plans``."""

from __future__ import annotations

from billing.catalog import apply_price_event, apply_product_event
from webhooks.registry import Event, handles


@handles("price.created", "price.updated", "price.deleted")
async def price_changed(event: Event) -> None:
    await apply_price_event(
        event.object, event.created, event.type == "price.deleted", event.gateway
    )


@handles("product.created", "product.updated", "product.deleted")
async def product_changed(event: Event) -> None:
    await apply_product_event(
        event.object, event.created, event.type == "product.deleted", event.gateway
    )
