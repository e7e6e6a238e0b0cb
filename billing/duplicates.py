"""A user's second live subscription is canceled and refunded automatically.

Checkout keeps one open session per user, but Stripe can't stop every second
subscription: two sessions paid before either webhook arrived, or one made
in the dashboard. When an event leaves a user with more than one live
subscription, the oldest (by Stripe's ``created``) is kept; each newer one
is canceled now and its paid invoice refunded in full.

This runs after the event's transaction committed: Stripe is never called
with a transaction open. A ``DuplicateSubscription`` row is recorded before
Stripe is called, and the refund's Stripe idempotency key is derived from
the duplicate's id, so a replayed, retried or concurrent event never cancels
or refunds twice; a failed attempt is recorded and retried by the next event.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from billing.errors import BillingError
from billing.idempotency import stripe_key
from billing.invoices import paid_intent
from billing.stripe_gateway import StripeGateway, StripeObject, StripeObjectMissing
from billing.subscriptions import object_id, user_of
from models.duplicates import DuplicateSubscription, ResolutionStatus
from models.subscriptions import LIVE_STATUSES, Subscription

log = logging.getLogger(__name__)

_LIVE = frozenset(status.value for status in LIVE_STATUSES)


async def resolve_duplicates_of(stripe_object: StripeObject, gateway: StripeGateway) -> None:
    """After an event about a subscription, its checkout or its invoice: resolve
    the duplicates of the user it belongs to."""
    user_id = await user_of(stripe_object.get("metadata"), stripe_object.get("customer"))
    if user_id is not None:
        await resolve_duplicate_subscriptions(user_id, gateway)


async def resolve_duplicate_subscriptions(
    user_id: str, gateway: StripeGateway
) -> list[DuplicateSubscription]:
    """Cancel and refund every live subscription of the user but the oldest,
    and finish resolutions an earlier attempt left unfinished. Returns the
    records of this user that are resolved now."""
    unfinished = {
        row.duplicate_stripe_subscription_id: row
        for row in await DuplicateSubscription.filter(
            user_id=user_id, status__not=ResolutionStatus.RESOLVED
        )
    }
    found = await _duplicates(user_id, gateway)
    resolved = []
    for kept, duplicate in found:
        record = unfinished.pop(duplicate["id"], None) or await _record(user_id, kept, duplicate)
        resolved.append(await _resolve(record, duplicate, gateway))
    for record in unfinished.values():
        try:
            state = await gateway.retrieve_subscription(record.duplicate_stripe_subscription_id)
        except StripeObjectMissing:
            continue
        resolved.append(await _resolve(record, state, gateway))
    return [record for record in resolved if record.status is ResolutionStatus.RESOLVED]


async def _duplicates(user_id: str, gateway: StripeGateway) -> list[tuple[str, StripeObject]]:
    """(kept id, duplicate) pairs. Our mirror says which subscriptions may be
    live; Stripe's current state decides, and orders them by its ``created``
    (ties, within a second, in the order we mirrored them)."""
    mirrored = (
        await Subscription.filter(user_id=user_id, status__in=LIVE_STATUSES)
        .order_by("created_at", "id")
        .values_list("stripe_subscription_id", flat=True)
    )
    if len(mirrored) < 2:
        return []
    live = []
    for subscription_id in mirrored:
        try:
            state = await gateway.retrieve_subscription(str(subscription_id))
        except StripeObjectMissing:
            continue
        if state["status"] in _LIVE:
            live.append(state)
    live.sort(key=lambda state: int(state["created"]))  # stable: ties keep the mirror's order
    return [(live[0]["id"], duplicate) for duplicate in live[1:]]


async def _record(user_id: str, kept: str, duplicate: StripeObject) -> DuplicateSubscription:
    try:
        return await DuplicateSubscription.create(
            user_id=user_id,
            kept_stripe_subscription_id=kept,
            duplicate_stripe_subscription_id=duplicate["id"],
        )
    except IntegrityError:  # a concurrent event recorded it first
        return await DuplicateSubscription.get(duplicate_stripe_subscription_id=duplicate["id"])


async def _resolve(
    record: DuplicateSubscription, duplicate: StripeObject, gateway: StripeGateway
) -> DuplicateSubscription:
    if record.status is ResolutionStatus.RESOLVED:
        return record
    try:
        await _cancel(duplicate, gateway)
        refund = await _refund(record, duplicate, gateway)
    except Exception as exc:  # recorded for the operator; a concurrent success stays
        await DuplicateSubscription.filter(
            id=record.id, status__not=ResolutionStatus.RESOLVED
        ).update(status=ResolutionStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    if refund is not None:
        record.stripe_payment_intent_id = object_id(refund["payment_intent"])
        record.stripe_refund_id = refund["id"]
        record.refunded_amount = int(refund["amount"])
        record.currency = str(refund["currency"])
    record.status = ResolutionStatus.RESOLVED
    record.error = None
    record.resolved_at = datetime.now(UTC)
    await record.save()
    log.warning(
        "duplicate subscription %s of user %s canceled, refund %s of %s %s (kept %s)",
        record.duplicate_stripe_subscription_id,
        record.user_id,
        record.stripe_refund_id,
        record.refunded_amount,
        record.currency,
        record.kept_stripe_subscription_id,
    )
    return record


async def _cancel(duplicate: StripeObject, gateway: StripeGateway) -> None:
    """End it now. Canceling is a DELETE, idempotent in Stripe's terms: when
    Stripe refuses, the subscription has ended already (or we re-raise)."""
    if duplicate["status"] not in _LIVE:
        return
    try:
        await gateway.cancel_subscription(duplicate["id"])
    except BillingError:
        state = await gateway.retrieve_subscription(duplicate["id"])
        if state["status"] in _LIVE:
            raise


async def _refund(
    record: DuplicateSubscription, duplicate: StripeObject, gateway: StripeGateway
) -> StripeObject | None:
    """Refund in full what its latest invoice was paid; None when nothing was
    paid (a trial). The key makes a repeat return the first refund."""
    invoice = object_id(duplicate.get("latest_invoice"))
    found = paid_intent(await gateway.retrieve_invoice(invoice)) if invoice else None
    if found is None:
        return None
    intent_id, paid = found
    return await gateway.create_refund(
        intent_id,
        int(paid["amount_paid"]),
        "duplicate",
        {
            "duplicate_subscription": record.duplicate_stripe_subscription_id,
            "kept_subscription": record.kept_stripe_subscription_id,
        },
        stripe_key("duplicate-subscription-refund", record.duplicate_stripe_subscription_id),
    )
