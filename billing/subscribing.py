"""createSubscription: a subscription created here and paid in the app (the
mobile PaymentSheet, or Stripe.js) instead of on a Checkout page.

Stripe creates it ``incomplete`` (``payment_behavior=default_incomplete``): the
app confirms its first invoice's PaymentIntent with the client secret
(``confirmation_secret``), and the webhooks make it active; unpaid, Stripe ends
it after 23 hours (``incomplete_expired``). A trial charges nothing now: the
secret is the subscription's pending SetupIntent's, to save a card. A saved
card (``paymentMethodId``) is charged at once (``allow_incomplete``: a card
asking for 3-D Secure leaves it incomplete, authenticated with the secret; a
declined one ends it at once and the payload says CARD_DECLINED).

One subscription per user: refused while the user has a live one, and the
user's open checkout session is expired first (if it was paid meanwhile, the
user is subscribed: refused), so a checkout tab can't be paid into a second
subscription. Two incomplete ones paid at once (another client key) are left to
billing.duplicates, which cancels and refunds the newer. The client's key makes
a retry return the first subscription (Stripe's idempotency key is derived
from it, and the row keeps it beyond Stripe's 24 hours).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from billing.checkout import close_open_checkout, sellable_price
from billing.customers import ensure_customer, with_customer
from billing.entitlements import live_subscription
from billing.ephemeral_keys import check_mobile_api_version, ephemeral_key
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, request_digest, stripe_key
from billing.stripe_gateway import StripeGateway, StripeObject, StripeObjectMissing
from billing.subscriptions import ENDED_STATUSES, mirror_answer, object_id, with_plans
from billing.tokens import Caller
from models.customers import Customer
from models.subscriptions import Subscription, SubscriptionStatus

# What the payload needs from Stripe's answer: the first invoice's client
# secret (includable only) and a trial's SetupIntent.
_EXPAND = ["latest_invoice.confirmation_secret", "pending_setup_intent"]
MAX_PAYMENT_METHOD_ID = 255


@dataclass(frozen=True, slots=True)
class SubscriptionRequest:
    plan_id: str
    interval: str
    idempotency_key: str
    payment_method_id: str | None = None
    mobile_api_version: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedSubscription:
    subscription: Subscription
    client_secret: str | None
    customer_id: str
    ephemeral_key: str | None


def _already_subscribed() -> BillingError:
    return BillingError(
        ErrorCode.ALREADY_SUBSCRIBED,
        "You already have a subscription: change or cancel it instead.",
    )


def _no_such_card() -> BillingError:
    return BillingError(ErrorCode.NOT_FOUND, "No such saved card.", "paymentMethodId")


async def _earlier(user_id: str, request: SubscriptionRequest, digest: str) -> Subscription | None:
    earlier = await Subscription.get_or_none(
        user_id=user_id, idempotency_key=request.idempotency_key
    )
    if earlier is not None and earlier.request_digest != digest:
        raise BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was already used for another subscription.",
            "idempotencyKey",
        )
    return earlier


async def _owned_card(payment_method_id: str, customer: Customer, gateway: StripeGateway) -> str:
    """The id of a card saved on the caller's own customer; any other is unknown."""
    if (
        not 1 <= len(payment_method_id) <= MAX_PAYMENT_METHOD_ID
        or not payment_method_id.isprintable()
    ):
        raise _no_such_card()
    try:
        method = await gateway.retrieve_payment_method(payment_method_id)
    except StripeObjectMissing:
        raise _no_such_card() from None
    if object_id(method.get("customer")) != customer.stripe_customer_id:
        raise _no_such_card()
    return str(method["id"])


def _client_secret(state: StripeObject) -> str | None:
    """What the app confirms: the open first invoice's payment, else a trial's
    SetupIntent; None once nothing is left to confirm."""
    if state["status"] in ENDED_STATUSES:
        return None
    invoice = state.get("latest_invoice")
    if isinstance(invoice, dict) and invoice.get("status") == "open":
        secret = (invoice.get("confirmation_secret") or {}).get("client_secret")
        if secret:
            return str(secret)
    setup = state.get("pending_setup_intent")
    if isinstance(setup, dict) and setup.get("status") not in ("succeeded", "canceled"):
        return str(setup["client_secret"])
    return None


async def _declined(state: StripeObject, gateway: StripeGateway) -> str | None:
    """The decline message when the saved card's charge failed (not when it
    waits for 3-D Secure)."""
    invoice = state.get("latest_invoice")
    if state["status"] != SubscriptionStatus.INCOMPLETE or not isinstance(invoice, dict):
        return None
    paying = (await gateway.retrieve_invoice(str(invoice["id"]))).get("payments") or {}
    for payment in paying.get("data") or []:
        intent_id = object_id((payment.get("payment") or {}).get("payment_intent"))
        if intent_id is None:
            continue
        intent = await gateway.retrieve_payment_intent(intent_id)
        error = intent.get("last_payment_error")
        if intent["status"] == "requires_payment_method" and error:
            return str(error.get("message") or "The card was declined.")
    return None


def _params(
    caller: Caller, price_id: str, trial_days: int, customer_id: str, card: str | None
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "customer": customer_id,
        "items": [{"price": price_id}],
        "metadata": {"user_id": caller.user_id},
        "payment_settings": {"save_default_payment_method": "on_subscription"},
        "expand": _EXPAND,
    }
    if trial_days > 0:
        params["trial_period_days"] = trial_days
    if card is None:
        params["payment_behavior"] = "default_incomplete"
    else:
        params["payment_behavior"] = "allow_incomplete"
        params["default_payment_method"] = card
    return params


async def create_subscription(
    caller: Caller, request: SubscriptionRequest, gateway: StripeGateway
) -> CreatedSubscription:
    check_client_key(request.idempotency_key)
    check_mobile_api_version(request.mobile_api_version)
    plan, price = await sellable_price(request.plan_id, request.interval)
    digest = request_digest(price.stripe_price_id, request.payment_method_id)
    user_id = caller.user_id
    row = await _earlier(user_id, request, digest)
    customer = await ensure_customer(caller, gateway)
    if row is not None:
        state = await gateway.retrieve_subscription(row.stripe_subscription_id, expand=_EXPAND)
    else:
        if await live_subscription(user_id) is not None:
            raise _already_subscribed()
        card = None
        if request.payment_method_id is not None:
            card = await _owned_card(request.payment_method_id, customer, gateway)
        if await close_open_checkout(user_id, gateway):
            raise _already_subscribed()  # its session was paid meanwhile
        key = stripe_key(user_id, "subscription", request.idempotency_key)

        async def create(customer_id: str) -> StripeObject:
            params = _params(caller, price.stripe_price_id, plan.trial_days, customer_id, card)
            return await gateway.create_subscription(params, key)  # type: ignore[arg-type]

        customer, state = await with_customer(caller, gateway, create)
        declined = await _declined(state, gateway) if card is not None else None
        if declined is not None:
            await _end_declined(state, gateway)
            raise BillingError(ErrorCode.CARD_DECLINED, declined, "paymentMethodId")
        await mirror_answer(state)
        await Subscription.filter(stripe_subscription_id=state["id"]).update(
            idempotency_key=request.idempotency_key, request_digest=digest
        )
    subscription = await with_plans(Subscription.filter(stripe_subscription_id=state["id"])).get()
    return CreatedSubscription(
        subscription=subscription,
        client_secret=_client_secret(state),
        customer_id=customer.stripe_customer_id,
        ephemeral_key=await ephemeral_key(
            gateway, customer.stripe_customer_id, request.mobile_api_version
        ),
    )


async def _end_declined(state: StripeObject, gateway: StripeGateway) -> None:
    """Nothing is left behind by a declined saved card: the incomplete
    subscription (and its unpaid invoice) ends now; a retry with the same key
    gets it back from Stripe, ended, and is declined again."""
    if state["status"] not in ENDED_STATUSES:
        with contextlib.suppress(BillingError):  # ended meanwhile (a retry of this request)
            await gateway.cancel_subscription(state["id"])
