"""Each user's Stripe customer, created lazily and exactly once."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from billing.idempotency import stripe_key
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from models.customers import Customer


async def ensure_customer(caller: Caller, gateway: StripeGateway) -> Customer:
    """The caller's customer, creating it on first use.

    Two first requests racing both reach Stripe with the same idempotency key
    (so Stripe makes one customer) and the unique user_id lets one insert win.
    Later email changes in the token are pushed to Stripe.
    """
    customer = await Customer.get_or_none(user_id=caller.user_id)
    if customer is None:
        created = await gateway.create_customer(
            {
                "metadata": {"user_id": caller.user_id},
                **({"email": caller.email} if caller.email else {}),
            },
            idempotency_key=stripe_key(caller.user_id, "customer"),
        )
        try:
            return await Customer.create(
                user_id=caller.user_id, stripe_customer_id=created["id"], email=caller.email
            )
        except IntegrityError:
            return await Customer.get(user_id=caller.user_id)
    if caller.email and caller.email != customer.email:
        await gateway.update_customer(customer.stripe_customer_id, {"email": caller.email})
        customer.email = caller.email
        await customer.save(update_fields=["email", "updated_at"])
    return customer
