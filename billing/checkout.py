"""Selling a plan: a Stripe Checkout Session in subscription mode.

The subscription itself appears later, from webhooks (billing.subscriptions);
checkout only validates, refuses what must not be sold and hands the browser
Stripe's URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from billing.customers import ensure_customer
from billing.entitlements import live_subscription
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, stripe_key
from billing.redirects import check_redirect_url
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from models.catalog import Plan, PlanPrice
from models.subscriptions import Subscription

# Without a client key, identical requests in the same hour share a Stripe
# idempotency key: a double-click gets the first session back. The hour is
# shorter than a session's 24 h lifetime, so a replay never hands back an
# expired session.
IMPLICIT_KEY_WINDOW = 3600


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    session_id: str
    url: str


async def _sellable_price(plan_id: str) -> tuple[Plan, PlanPrice]:
    """The plan and the price checkout sells: its monthly one (else its yearly one)."""
    plan = await Plan.get_or_none(key=plan_id)
    if plan is None:
        raise BillingError(ErrorCode.NOT_FOUND, f"There is no plan {plan_id!r}.", "planId")
    if plan.free:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "The free plan needs no checkout: it is the default.", "planId"
        )
    price = await PlanPrice.on_sale().filter(plan_id=plan.key).first()
    if not plan.active or price is None:
        raise BillingError(ErrorCode.INVALID_INPUT, "This plan is no longer sold.", "planId")
    return plan, price


def _idempotency_key(
    caller: Caller,
    client_key: str | None,
    request: tuple[str, ...],
    newest: Subscription | None,
    now: datetime,
) -> str:
    """The client's key makes a retry return the first session (and a changed
    request a conflict). Without one, the key is the request itself, the
    user's newest subscription (a completed checkout changes it, so the user
    can buy again after canceling) and the hour."""
    if client_key is not None:
        return stripe_key(caller.user_id, "checkout", client_key)
    window = int(now.timestamp()) // IMPLICIT_KEY_WINDOW
    return stripe_key(caller.user_id, "checkout", *request, newest and newest.pk, window)


async def create_checkout_session(
    caller: Caller,
    gateway: StripeGateway,
    *,
    plan_id: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str | None,
    allowed_hosts: tuple[str, ...],
    now: datetime,
) -> CheckoutSession:
    check_redirect_url(success_url, "successUrl", allowed_hosts)
    check_redirect_url(cancel_url, "cancelUrl", allowed_hosts)
    check_client_key(idempotency_key)
    plan, price = await _sellable_price(plan_id)
    if await live_subscription(caller.user_id) is not None:
        raise BillingError(
            ErrorCode.ALREADY_SUBSCRIBED,
            "You already have a subscription: change or cancel it instead.",
        )
    newest = await Subscription.filter(user_id=caller.user_id).order_by("-created_at").first()
    customer = await ensure_customer(caller, gateway)
    metadata = {"user_id": caller.user_id}
    key = _idempotency_key(
        caller, idempotency_key, (price.stripe_price_id, success_url, cancel_url), newest, now
    )
    session = await gateway.create_checkout_session(
        {
            "mode": "subscription",
            "customer": customer.stripe_customer_id,
            "line_items": [{"price": price.stripe_price_id, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": caller.user_id,
            "metadata": metadata,
            "subscription_data": {
                "metadata": metadata,
                **({"trial_period_days": plan.trial_days} if plan.trial_days > 0 else {}),
            },
            "allow_promotion_codes": True,
        },
        idempotency_key=key,
    )
    return CheckoutSession(session_id=session["id"], url=session["url"])
