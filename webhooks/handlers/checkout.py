"""Checkout sessions follow Stripe; a user's second live subscription is undone."""

from __future__ import annotations

from billing.checkout import mirror_checkout_session
from billing.duplicates import resolve_duplicates_of
from billing.stripe_gateway import StripeGateway
from webhooks.registry import Event, after_commit, handles


@handles("checkout.session.expired")
async def checkout_expired(event: Event, fetched: None) -> None:
    await mirror_checkout_session(event.object, event.created)


@after_commit(
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "invoice.paid",
)
async def undo_duplicate_subscription(event: Event, gateway: StripeGateway) -> None:
    """Events that can make a subscription live: check its user has only one."""
    await resolve_duplicates_of(event.object, gateway)
