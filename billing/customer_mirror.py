"""Customers and their payment methods, mirrored from Stripe's events.

Both are fetched from Stripe by id before anything is written (see
billing.mirroring): a payment method belongs to whichever customer Stripe
says now, so a late ``attached`` after a ``detached`` can't bring a card back.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from billing.customers import customer_updated, profile
from billing.events import record
from billing.mirroring import Newest, VersionMoved, ensure_unchanged, must_write, stamped
from billing.payment_methods import payment_method_event
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.subscriptions import object_id
from models.customers import Customer, PaymentMethod


async def fetch_customer(customer_id: str, created: int, gateway: StripeGateway) -> Newest | None:
    """Fetch step of customer.updated: Stripe's customer, if it is one of ours."""
    row = await Customer.get_or_none(stripe_customer_id=customer_id)
    if row is None:
        return None
    state = await gateway.retrieve_customer(customer_id)
    if state.get("deleted"):
        return None
    return stamped(row, state, event_created=created)


async def apply_customer(newest: Newest | None) -> None:
    """Write step: name, address and the default payment method."""
    if newest is None:
        return
    row = await Customer.select_for_update().get(stripe_customer_id=newest.state["id"])
    settings = newest.state.get("invoice_settings") or {}
    values = {
        **profile(newest.state),
        "default_payment_method": object_id(settings.get("default_payment_method")),
        "stripe_version": newest.version,
    }
    if must_write(row, newest.seen, values):
        await row.update_from_dict(values).save(update_fields=[*values, "updated_at"])
        await record([customer_updated(row)])


async def fetch_payment_method(
    payment_method_id: str, created: int, gateway: StripeGateway
) -> Newest | None:
    """Fetch step of payment_method.*: Stripe's payment method, if it is (or
    was) saved for one of our customers."""
    state = await gateway.retrieve_payment_method(payment_method_id)
    row = await PaymentMethod.get_or_none(stripe_payment_method_id=payment_method_id)
    owner = object_id(state.get("customer"))
    if row is None and (owner is None or not await Customer.exists(stripe_customer_id=owner)):
        return None
    return stamped(row, state, event_created=created)


async def apply_payment_method(newest: Newest | None) -> None:
    """Write step: the row follows the customer Stripe names; none, and it goes."""
    if newest is None:
        return
    state = newest.state
    row = await PaymentMethod.select_for_update().get_or_none(stripe_payment_method_id=state["id"])
    owner_id = object_id(state.get("customer"))
    owner = await Customer.get_or_none(stripe_customer_id=owner_id) if owner_id else None
    if owner is None:
        ensure_unchanged(row, newest.seen)
        if row is not None:
            await row.delete()
            await record([payment_method_event("detached", row)])
        return
    values = {
        **_card_columns(state),
        "customer_id": owner.id,
        "user_id": owner.user_id,
        "stripe_version": newest.version,
    }
    if row is None:
        ensure_unchanged(row, newest.seen)
        try:
            created = await PaymentMethod.create(stripe_payment_method_id=state["id"], **values)
        except IntegrityError:
            raise VersionMoved(f"payment method {state['id']} was inserted meanwhile") from None
        await record([payment_method_event("attached", created)])
    elif must_write(row, newest.seen, values):
        await row.update_from_dict(values).save(update_fields=[*values, "updated_at"])


def _card_columns(state: StripeObject) -> dict[str, Any]:
    card = state.get("card") or {}
    wallet = card.get("wallet") or {}
    return {
        "type": str(state.get("type") or "card"),
        "brand": card.get("brand"),
        "last4": card.get("last4"),
        "exp_month": card.get("exp_month"),
        "exp_year": card.get("exp_year"),
        "wallet": wallet.get("type"),
    }
