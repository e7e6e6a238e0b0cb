"""Each user's Stripe customer, created lazily and exactly once, and created again when
Stripe no longer knows it (deleted in the dashboard, or a sandbox that was reset)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.exceptions import IntegrityError

from billing.idempotency import stripe_key
from billing.stripe_gateway import CustomerMissing, StripeGateway, StripeObjectMissing
from billing.tokens import Caller
from models.customers import Customer

T = TypeVar("T")


async def ensure_customer(caller: Caller, gateway: StripeGateway) -> Customer:
    """The caller's customer, creating it on first use.

    Two first requests racing both reach Stripe with the same idempotency key
    (so Stripe makes one customer) and the unique user_id lets one insert win.
    Later email changes in the token are pushed to Stripe.
    """
    customer = await Customer.get_or_none(user_id=caller.user_id)
    if customer is None:
        created = await _create_in_stripe(caller, gateway, stripe_key(caller.user_id, "customer"))
        try:
            return await Customer.create(
                user_id=caller.user_id, stripe_customer_id=created["id"], email=caller.email
            )
        except IntegrityError:
            return await Customer.get(user_id=caller.user_id)
    if caller.email and caller.email != customer.email:
        try:
            await gateway.update_customer(customer.stripe_customer_id, {"email": caller.email})
        except StripeObjectMissing:
            return await recreate_customer(caller, gateway, customer)
        customer.email = caller.email
        await customer.save(update_fields=["email", "updated_at"])
    return customer


async def with_customer(
    caller: Caller, gateway: StripeGateway, call: Callable[[str], Awaitable[T]]
) -> tuple[Customer, T]:
    """``call(stripe_customer_id)`` for the caller's customer; when Stripe answers that the
    customer no longer exists, recreate it once and call again."""
    customer = await ensure_customer(caller, gateway)
    try:
        return customer, await call(customer.stripe_customer_id)
    except CustomerMissing:
        customer = await recreate_customer(caller, gateway, customer)
        return customer, await call(customer.stripe_customer_id)


async def recreate_customer(caller: Caller, gateway: StripeGateway, gone: Customer) -> Customer:
    """A new Stripe customer in place of ``gone``'s, which Stripe no longer knows.

    The idempotency key names the customer being replaced: the first key maps to the
    deleted customer, and requests racing to replace the same one get the same new
    customer from Stripe. The row moves only if it still names the gone customer
    (a compare-and-set, no transaction around the Stripe call).
    """
    key = stripe_key(caller.user_id, "customer", "replaces", gone.stripe_customer_id)
    created = await _create_in_stripe(caller, gateway, key)
    await Customer.filter(id=gone.id, stripe_customer_id=gone.stripe_customer_id).update(
        stripe_customer_id=created["id"], email=caller.email or gone.email
    )
    return await Customer.get(id=gone.id)


async def _create_in_stripe(
    caller: Caller, gateway: StripeGateway, idempotency_key: str
) -> dict[str, object]:
    return await gateway.create_customer(
        {
            "metadata": {"user_id": caller.user_id},
            **({"email": caller.email} if caller.email else {}),
        },
        idempotency_key=idempotency_key,
    )
