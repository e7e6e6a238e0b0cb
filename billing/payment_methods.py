"""Saving cards (SetupIntents), the saved payment methods of a user, their
default, and removing one.

Methods are read from the database (mirrored from Stripe's payment_method.*
and customer.updated events); commands check ownership there first, so an id
that is not the caller's is NOT_FOUND and never reaches Stripe.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from billing.access import acting_for
from billing.customers import customer_updated, with_customer
from billing.ephemeral_keys import check_mobile_api_version, ephemeral_key
from billing.errors import BillingError, ErrorCode
from billing.events import DomainEvent, record
from billing.idempotency import check_client_key, stripe_key
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.tokens import Caller
from models.customers import Customer, PaymentMethod
from models.subscriptions import LIVE_STATUSES, Subscription


@dataclass(frozen=True, slots=True)
class CreatedSetupIntent:
    client_secret: str
    customer_id: str
    ephemeral_key: str | None


async def create_setup_intent(
    caller: Caller, idempotency_key: str, mobile_api_version: str | None, gateway: StripeGateway
) -> CreatedSetupIntent:
    """A SetupIntent for the caller's customer: confirmed by Stripe.js or the
    PaymentSheet, it saves the card for later (off-session) payments. The same
    key reaches Stripe with the same Stripe key, so a retry gets the same one."""
    check_client_key(idempotency_key)
    check_mobile_api_version(mobile_api_version)

    async def create(customer_id: str) -> StripeObject:
        # The customer is in the key: a customer recreated by with_customer
        # gets an intent of its own rather than a key conflict.
        key = stripe_key(caller.user_id, "setup_intent", customer_id, idempotency_key)
        return await gateway.create_setup_intent(
            {
                "customer": customer_id,
                "usage": "off_session",
                "automatic_payment_methods": {"enabled": True},
                "metadata": {"user_id": caller.user_id},
            },
            idempotency_key=key,
        )

    customer, intent = await with_customer(caller, gateway, create)
    return CreatedSetupIntent(
        client_secret=str(intent["client_secret"]),
        customer_id=customer.stripe_customer_id,
        ephemeral_key=await ephemeral_key(gateway, customer.stripe_customer_id, mobile_api_version),
    )


@dataclass(frozen=True, slots=True)
class SavedMethod:
    method: PaymentMethod
    is_default: bool


async def list_payment_methods(caller: Caller, user_id: str | None) -> list[SavedMethod]:
    """The user's saved methods, newest first, in one query."""
    return await _saved(acting_for(caller, user_id))


async def _saved(user_id: str) -> list[SavedMethod]:
    rows = (
        await PaymentMethod.filter(user_id=user_id)
        .select_related("customer")
        .order_by("-created_at", "-id")
    )
    return [
        SavedMethod(row, row.customer.default_payment_method == row.stripe_payment_method_id)
        for row in rows
    ]


async def owned_method(user_id: str, payment_method_id: str) -> PaymentMethod:
    """The user's saved method with this Stripe id; NOT_FOUND for any other
    (unknown, detached, or someone else's: the answer is the same)."""
    method = (
        await PaymentMethod.filter(user_id=user_id, stripe_payment_method_id=payment_method_id)
        .select_related("customer")
        .first()
    )
    if method is None:
        raise BillingError(
            ErrorCode.NOT_FOUND, "You have no saved payment method with this id.", "paymentMethodId"
        )
    return method


async def set_default_payment_method(
    caller: Caller, payment_method_id: str, gateway: StripeGateway
) -> list[SavedMethod]:
    """The method Stripe charges for the caller's invoices and live subscriptions."""
    method = await owned_method(caller.user_id, payment_method_id)
    await _make_default(method.customer, method.stripe_payment_method_id, gateway)
    return await _saved(caller.user_id)


async def _live_subscriptions(user_id: str) -> list[str]:
    live = Subscription.filter(user_id=user_id, status__in=LIVE_STATUSES)
    return [str(found) for found in await live.values_list("stripe_subscription_id", flat=True)]


async def _make_default(customer: Customer, payment_method_id: str, gateway: StripeGateway) -> None:
    """The customer's default, and each live subscription's (a subscription's
    own default method takes precedence over the customer's in Stripe)."""
    await gateway.update_customer(
        customer.stripe_customer_id,
        {"invoice_settings": {"default_payment_method": payment_method_id}},
    )
    for subscription_id in await _live_subscriptions(customer.user_id):
        await gateway.update_subscription(
            subscription_id, {"default_payment_method": payment_method_id}
        )
    async with in_transaction():
        # The customer.updated webhook may have written it first (and told consumers).
        locked = await Customer.select_for_update().get(id=customer.id)
        if locked.default_payment_method != payment_method_id:
            locked.default_payment_method = payment_method_id
            await locked.save(update_fields=["default_payment_method", "updated_at"])
            await record([customer_updated(locked)])
    customer.default_payment_method = payment_method_id


async def detach_payment_method(
    caller: Caller, payment_method_id: str, gateway: StripeGateway
) -> list[SavedMethod]:
    """Remove a saved method. While a subscription is live it must keep a
    method to renew with: the last one can't go, and when the one removed was
    the default (or may be the subscription's own), the default passes to the
    remaining default or newest method first."""
    method = await owned_method(caller.user_id, payment_method_id)
    customer = method.customer
    removed = method.stripe_payment_method_id
    others = [
        str(other)
        for other in await PaymentMethod.filter(customer_id=customer.id)
        .exclude(id=method.id)
        .order_by("-created_at", "-id")
        .values_list("stripe_payment_method_id", flat=True)
    ]
    live = await _live_subscriptions(caller.user_id)
    if live and not others:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "This payment method pays your subscription: save another one before removing "
            "it, or cancel the subscription.",
            "paymentMethodId",
        )
    was_default = customer.default_payment_method == removed
    if others and (live or was_default):
        kept = customer.default_payment_method
        await _make_default(customer, kept if kept in others else others[0], gateway)
    await gateway.detach_payment_method(removed)
    async with in_transaction():
        # Whatever the webhooks wrote first (and told consumers) is not told twice.
        events = []
        if await PaymentMethod.filter(id=method.id).delete():
            events.append(payment_method_event("detached", method))
        locked = await Customer.select_for_update().get(id=customer.id)
        if locked.default_payment_method == removed:  # Stripe unset it too
            locked.default_payment_method = None
            await locked.save(update_fields=["default_payment_method", "updated_at"])
            events.append(customer_updated(locked))
        await record(events)
    return await _saved(caller.user_id)


def payment_method_event(kind: str, method: PaymentMethod) -> DomainEvent:
    """``payment_method.attached`` or ``payment_method.detached``, in the
    public API's shape."""
    payload = {
        "userId": method.user_id,
        "paymentMethod": {
            "id": method.stripe_payment_method_id,
            "type": method.type,
            "brand": method.brand,
            "last4": method.last4,
            "expMonth": method.exp_month,
            "expYear": method.exp_year,
            "wallet": method.wallet,
        },
    }
    return DomainEvent(f"payment_method.{kind}", method.user_id, payload)
