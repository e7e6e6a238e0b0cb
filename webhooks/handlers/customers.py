"""Customers and their saved payment methods follow Stripe: each is read from
Stripe by id before it is written."""

from __future__ import annotations

from billing.customer_mirror import (
    apply_customer,
    apply_payment_method,
    fetch_customer,
    fetch_payment_method,
)
from billing.mirroring import Newest
from billing.stripe_gateway import StripeGateway
from webhooks.registry import Event, handles


async def _customer(event: Event, gateway: StripeGateway) -> Newest | None:
    return await fetch_customer(event.object_id, event.created, gateway)


@handles("customer.updated", fetch=_customer)
async def customer_updated(event: Event, customer: Newest | None) -> None:
    await apply_customer(customer)


async def _payment_method(event: Event, gateway: StripeGateway) -> Newest | None:
    return await fetch_payment_method(event.object_id, event.created, gateway)


@handles(
    "payment_method.attached",
    "payment_method.detached",
    "payment_method.updated",
    "payment_method.automatically_updated",
    fetch=_payment_method,
)
async def payment_method_changed(event: Event, method: Newest | None) -> None:
    await apply_payment_method(method)
