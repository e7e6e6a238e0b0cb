"""Selling a plan: a Stripe Checkout Session in subscription mode.

The subscription itself appears later, from webhooks (billing.subscriptions);
checkout validates, refuses what must not be sold and hands the browser
Stripe's URL.

A user has at most one open subscription checkout (every plan of the
catalog is one family), so two tabs can't be paid into two subscriptions:
the same request again (price, return URLs and client key) gets the open
session back, another one first expires the older session in Stripe (paying
it is refused from then on). Sessions are stored (models.checkout) and follow Stripe's
checkout.session events. Stripe is never called with a transaction open:
the unique "open slot" of a user settles racing requests instead of a lock.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from billing.access import visible_to
from billing.customers import with_customer
from billing.entitlements import live_subscription
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, request_digest, stripe_key
from billing.redirects import check_redirect_url
from billing.stripe_gateway import StripeGateway, StripeObject, StripeObjectMissing
from billing.subscriptions import object_id
from billing.tokens import Caller
from models.catalog import Plan, PlanPrice
from models.checkout import CheckoutSession, CheckoutStatus
from models.subscriptions import Subscription

log = logging.getLogger(__name__)

# Without a client key, identical requests in the same hour share a Stripe
# idempotency key: two tabs racing get one session. The hour is shorter than
# a session's 24 h lifetime, so a replay never hands back an expired session.
IMPLICIT_KEY_WINDOW = 3600
# An open session this close to its end is replaced rather than handed out:
# the customer needs time to pay.
MIN_TIME_LEFT = timedelta(hours=1)
# Rounds of "another request took the slot meanwhile" before giving up. A
# round is lost only to another request's successful claim, so this bounds
# the concurrent checkouts of one user, not the retries of one.
CLAIM_ATTEMPTS = 10


async def sellable_price(plan_id: str, interval: str) -> tuple[Plan, PlanPrice]:
    """The plan and its price on sale for ``interval`` (month or year)."""
    plan = await Plan.get_or_none(key=plan_id)
    if plan is None:
        raise BillingError(ErrorCode.NOT_FOUND, f"There is no plan {plan_id!r}.", "planId")
    if plan.free:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "The free plan needs no checkout: it is the default.", "planId"
        )
    prices = await PlanPrice.on_sale().filter(plan_id=plan.key)
    if not plan.active or not prices:
        raise BillingError(ErrorCode.INVALID_INPUT, "This plan is no longer sold.", "planId")
    price = next((p for p in prices if p.interval == interval), None)
    if price is None:
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"This plan is not sold {interval}ly.", "interval"
        )
    return plan, price


def _same_request(row: CheckoutSession, digest: str, client_key: str | None) -> bool:
    return row.request_digest == digest and row.idempotency_key == client_key


async def _held(user_id: str) -> CheckoutSession | None:
    """The session the user is currently handed, if any."""
    return await CheckoutSession.get_or_none(open_slot=user_id)


async def _release(row: CheckoutSession) -> bool:
    """Take the slot from ``row`` (False: someone else already did)."""
    return bool(
        await CheckoutSession.filter(id=row.id, open_slot=row.user_id).update(open_slot=None)
    )


async def mirror_checkout_session(state: StripeObject, version: int | None) -> None:
    """Stripe's state of one of our sessions (a checkout.session event or an
    API answer). Complete and expired are final, so no older event can undo
    one; the conditional update needs no lock."""
    status = CheckoutStatus(state["status"])
    if status is CheckoutStatus.OPEN:
        return
    await CheckoutSession.filter(stripe_session_id=state["id"], status=CheckoutStatus.OPEN).update(
        status=status,
        open_slot=None,
        url=None,
        stripe_subscription_id=object_id(state.get("subscription")),
        stripe_version=version,
    )


async def _expire_in_stripe(session_id: str, gateway: StripeGateway) -> StripeObject:
    """Expire a session; if Stripe refuses, it is no longer open (paid or
    expired) and its current state says which."""
    try:
        return await gateway.expire_checkout_session(
            session_id, stripe_key("checkout-expire", session_id)
        )
    except BillingError:
        state = await gateway.retrieve_checkout_session(session_id)
        if state["status"] == CheckoutStatus.OPEN:
            raise
        return state


async def _expire_displaced(user_id: str, gateway: StripeGateway) -> bool:
    """Expire in Stripe every session of the user that is still open but no
    longer handed out. True when one of them turned out to be paid."""
    paid = False
    displaced = CheckoutSession.filter(
        user_id=user_id, status=CheckoutStatus.OPEN, open_slot__isnull=True
    )
    for row in await displaced:
        try:
            state = await _expire_in_stripe(row.stripe_session_id, gateway)
        except StripeObjectMissing:
            state = {"id": row.stripe_session_id, "status": CheckoutStatus.EXPIRED}
        await mirror_checkout_session(state, None)
        paid = paid or state["status"] == CheckoutStatus.COMPLETE
        log.info("checkout session %s of user %s is %s", row.pk, user_id, state["status"])
    return paid


class _SlotMoved(Exception):
    """Another request took or released the slot since we looked."""


async def _claim(session: CheckoutSession) -> CheckoutSession:
    """Make ``session`` (unsaved) the user's open one and store it.

    Racing requests end with one holder: the unique slot lets one insert
    win; a loser re-reads. The same request again (with its own Stripe
    session) keeps the holder, and ours is stored unheld so it gets expired;
    another request takes the slot from the holder, the last one winning."""
    for _ in range(CLAIM_ATTEMPTS):
        stored = await CheckoutSession.get_or_none(stripe_session_id=session.stripe_session_id)
        if stored is not None:  # a twin request reached Stripe with the same key
            return stored
        held = await _held(session.user_id)
        if held is not None and _same_request(
            held, session.request_digest, session.idempotency_key
        ):
            session.open_slot = None
            with contextlib.suppress(IntegrityError):  # the twin stored it already
                await session.save()
            return held
        try:
            async with in_transaction():
                if held is not None and not await _release(held):
                    raise _SlotMoved
                session.open_slot = session.user_id
                await session.save()
                return session
        except (IntegrityError, _SlotMoved):
            continue
    raise BillingError(
        ErrorCode.RATE_LIMITED, "Too many checkouts opened at once; retry in a moment."
    )


async def _stripe_idempotency_key(
    caller: Caller, client_key: str | None, digest: str, now: datetime
) -> str:
    """The client's key makes a retry return the first session. Without one,
    the key is the request, the user's newest subscription and checkout
    session (a completed or replaced checkout changes them, so an old
    session is never handed back) and the hour."""
    if client_key is not None:
        return stripe_key(caller.user_id, "checkout", client_key)
    newest = await Subscription.filter(user_id=caller.user_id).order_by("-created_at").first()
    last = await CheckoutSession.filter(user_id=caller.user_id).order_by("-created_at").first()
    window = int(now.timestamp()) // IMPLICIT_KEY_WINDOW
    return stripe_key(
        caller.user_id, "checkout", digest, newest and newest.pk, last and last.pk, window
    )


async def _by_client_key(
    user_id: str, client_key: str | None, digest: str
) -> CheckoutSession | None:
    """The first answer to this client key (whatever became of it since)."""
    if client_key is None:
        return None
    earlier = await CheckoutSession.get_or_none(user_id=user_id, idempotency_key=client_key)
    if earlier is not None and earlier.request_digest != digest:
        raise BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was already used for another checkout.",
            "idempotencyKey",
        )
    return earlier


async def close_open_checkout(user_id: str, gateway: StripeGateway) -> bool:
    """Take away the user's open checkout session (another way to subscribe is
    being taken) and expire it in Stripe. True when it turned out to be paid."""
    held = await _held(user_id)
    if held is not None:
        await _release(held)
    return await _expire_displaced(user_id, gateway)


def _already_subscribed() -> BillingError:
    return BillingError(
        ErrorCode.ALREADY_SUBSCRIBED,
        "You already have a subscription: change or cancel it instead.",
    )


async def create_checkout_session(
    caller: Caller,
    gateway: StripeGateway,
    *,
    plan_id: str,
    interval: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str | None,
    allowed_hosts: tuple[str, ...],
    now: datetime,
    app_schemes: tuple[str, ...] = (),
) -> CheckoutSession:
    check_redirect_url(success_url, "successUrl", allowed_hosts, app_schemes)
    check_redirect_url(cancel_url, "cancelUrl", allowed_hosts, app_schemes)
    check_client_key(idempotency_key)
    plan, price = await sellable_price(plan_id, interval)
    user_id = caller.user_id
    digest = request_digest(price.stripe_price_id, success_url, cancel_url)
    earlier = await _by_client_key(user_id, idempotency_key, digest)
    if earlier is not None:
        return earlier
    if await live_subscription(user_id) is not None:
        raise _already_subscribed()

    held = await _held(user_id)
    if held is not None and not (
        _same_request(held, digest, idempotency_key) and held.expires_at - now >= MIN_TIME_LEFT
    ):
        await _release(held)
        held = None
    if await _expire_displaced(user_id, gateway):
        raise _already_subscribed()  # the older session was paid meanwhile
    if held is not None:
        return held

    metadata = {"user_id": user_id}
    key = await _stripe_idempotency_key(caller, idempotency_key, digest, now)

    async def create(customer_id: str) -> StripeObject:
        return await gateway.create_checkout_session(
            {
                "mode": "subscription",
                "customer": customer_id,
                "line_items": [{"price": price.stripe_price_id, "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "client_reference_id": user_id,
                "metadata": metadata,
                "subscription_data": {
                    "metadata": metadata,
                    **({"trial_period_days": plan.trial_days} if plan.trial_days > 0 else {}),
                },
                "allow_promotion_codes": True,
            },
            idempotency_key=key,
        )

    _, state = await with_customer(caller, gateway, create)
    session = await _claim(
        CheckoutSession(
            user_id=user_id,
            stripe_session_id=state["id"],
            plan_id=plan.key,
            stripe_price_id=price.stripe_price_id,
            interval=price.interval,
            url=state["url"],
            expires_at=datetime.fromtimestamp(state["expires_at"], UTC),
            request_digest=digest,
            idempotency_key=idempotency_key,
        )
    )
    if await _expire_displaced(user_id, gateway):  # a racing tab's session was paid
        await _release(session)
        await _expire_displaced(user_id, gateway)
        raise _already_subscribed()
    return session


async def find_checkout_session(
    caller: Caller, session_id: str, gateway: StripeGateway | None
) -> CheckoutSession | None:
    """One of the caller's sessions by Stripe's id (anyone's for admins); None
    when unknown or someone else's. An open one is asked of Stripe first: the
    customer is back from paying before the webhook says so."""
    row = await CheckoutSession.get_or_none(stripe_session_id=session_id[:255])
    if row is None or not visible_to(caller, row.user_id):
        return None
    if row.status is CheckoutStatus.OPEN and gateway is not None:
        try:
            state = await gateway.retrieve_checkout_session(row.stripe_session_id)
            await mirror_checkout_session(state, None)
        except (BillingError, StripeObjectMissing) as exc:  # the mirror's state stands
            log.warning("checkout session %s not refreshed: %s", row.pk, exc)
        await row.refresh_from_db()
    return row
