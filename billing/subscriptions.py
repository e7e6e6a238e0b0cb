"""Subscriptions: the mirror of Stripe's, listing them and canceling one.

Stripe is the source of truth. Rows are written from webhook events (order
safe through billing.mirroring) and from Stripe's answer to our own cancel
call, so the caller sees the change before the webhook confirms it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.query_utils import Prefetch
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from billing.access import acting_for, ensure_owner, visible_to
from billing.audit import AuditNote, for_another_user
from billing.changes import record_change, snapshot
from billing.discounts import discount_values
from billing.errors import BillingError, ErrorCode
from billing.mirroring import Newest, Seen, VersionMoved, must_write, newest_state
from billing.pagination import Page, paginate
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.tokens import Caller
from models.catalog import PlanPrice
from models.customers import Customer
from models.subscriptions import Subscription, SubscriptionStatus

log = logging.getLogger(__name__)

ENDED_STATUSES = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)


def timestamp(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def object_id(value: str | dict[str, Any] | None) -> str | None:
    """The id of a possibly expanded reference."""
    return value.get("id") if isinstance(value, dict) else value


async def user_of(
    metadata: dict[str, Any] | None, customer: str | dict[str, Any] | None
) -> str | None:
    """Whose object this is: ``metadata.user_id`` (set at checkout), else the
    owner of the Stripe customer."""
    user_id = (metadata or {}).get("user_id")
    if user_id:
        return str(user_id)
    row = await Customer.get_or_none(stripe_customer_id=object_id(customer))
    return row.user_id if row else None


def with_plans(query: QuerySet[Subscription]) -> QuerySet[Subscription]:
    """Load each subscription's plan and its prices on sale alongside (two
    queries for any number of rows), as the Plan type needs them."""
    return query.prefetch_related(
        "plan",
        Prefetch("plan__prices", queryset=PlanPrice.on_sale()),
    )


# ------------------------------------------------------------------ mirror


def scheduled_change(schedule: str | dict[str, Any] | None, item: dict[str, Any]) -> dict[str, Any]:
    """The columns of a change waiting in the subscription's schedule: the
    first phase starting at or after the current period's end, if its price
    differs. A schedule given only by id (not expanded) keeps what is stored."""
    if schedule is None:
        return {"stripe_schedule_id": None, "scheduled_price_id": None, "scheduled_at": None}
    if not isinstance(schedule, dict):
        return {"stripe_schedule_id": schedule}
    current = object_id(item.get("price"))
    later = [
        phase
        for phase in schedule.get("phases") or []
        if phase["start_date"] >= item["current_period_end"] and phase.get("items")
    ]
    price = object_id(later[0]["items"][0]["price"]) if later else None
    changing = price is not None and price != current
    return {
        "stripe_schedule_id": schedule["id"],
        "scheduled_price_id": price if changing else None,
        "scheduled_at": timestamp(later[0]["start_date"]) if changing else None,
    }


async def _write(
    row: Subscription | None, state: StripeObject, version: int | None, seen: Seen | None = None
) -> None:
    """Write Stripe's subscription ``state`` into the locked ``row`` (or a new
    row). The plan follows the first item's Price, inactive Prices included,
    so a plan change made in Stripe (API or portal) shows up here.

    ``seen``: the row as the state was fetched against (see billing.mirroring;
    None for Stripe's answer to our own call). A concurrent event that
    inserted the row first (the first events of a checkout arrive together)
    is VersionMoved too: the event is decided again against that row."""
    items = (state.get("items") or {}).get("data") or []
    item: dict[str, Any] = items[0] if items else {}
    price_id = object_id(item.get("price"))
    price = await PlanPrice.get_or_none(stripe_price_id=price_id) if price_id else None
    values: dict[str, Any] = {
        "status": SubscriptionStatus(state["status"]),
        "stripe_customer_id": object_id(state["customer"]),
        "current_period_start": timestamp(item["current_period_start"]),
        "current_period_end": timestamp(item["current_period_end"]),
        "cancel_at_period_end": bool(state.get("cancel_at_period_end")),
        "canceled_at": timestamp(state.get("canceled_at")),
        "ended_at": timestamp(state.get("ended_at")),
        "trial_end": timestamp(state.get("trial_end")),
        **scheduled_change(state.get("schedule"), item),
        **discount_values(state),
        "stripe_version": version,
    }
    if price is not None:
        values.update(plan_id=price.plan_id, stripe_price_id=price.stripe_price_id)  # type: ignore[attr-defined]
    elif row is not None:
        log.warning("subscription %s is on price %s of no plan; plan kept", row.pk, price_id)
    if seen is not None and not must_write(row, seen, values):
        return
    if row is not None:
        before = snapshot(row)
        await row.update_from_dict(values).save()
        await record_change(before, row)
        return
    user_id = await user_of(state.get("metadata"), state["customer"])
    if price is None or user_id is None:
        log.info("subscription %s is not a billgraph plan of a known user; ignored", state["id"])
        return
    try:
        row = await Subscription.create(
            stripe_subscription_id=state["id"], user_id=user_id, **values
        )
    except IntegrityError:
        raise VersionMoved(f"subscription {state['id']} was inserted meanwhile") from None
    await record_change(None, row)


async def _locked(stripe_subscription_id: str) -> Subscription | None:
    return await Subscription.select_for_update().get_or_none(
        stripe_subscription_id=stripe_subscription_id
    )


async def fetch_subscription(
    stripe_subscription_id: str, created: int, gateway: StripeGateway, *, skip_missing: bool = False
) -> Newest | None:
    """Fetch step of every event that changes a subscription (its own, a
    checkout's, an invoice's): Stripe's current state of it, since a plan is
    granted from it (never from an event's payload)."""
    row = await Subscription.get_or_none(stripe_subscription_id=stripe_subscription_id)
    return await newest_state(
        row,
        event_created=created,
        fetch=lambda: gateway.retrieve_subscription(stripe_subscription_id),
        skip_missing=skip_missing,
    )


async def apply_subscription(newest: Newest | None) -> None:
    """Write step: mirror the fetched state, if the row is as it was seen."""
    if newest is None:
        return
    await _write(await _locked(newest.state["id"]), newest.state, newest.version, newest.seen)


# ------------------------------------------------------------ the API side


async def list_subscriptions(
    caller: Caller,
    user_id: str | None,
    status: SubscriptionStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Subscription]:
    """A user's subscriptions, newest first, with their plans loaded."""
    query = Subscription.filter(user_id=acting_for(caller, user_id))
    if status is not None:
        query = query.filter(status=status)
    return await paginate(with_plans(query), first, after)


def _row_id(subscription_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(subscription_id)
    except ValueError:
        return None


async def find_subscription(caller: Caller, subscription_id: str) -> Subscription | None:
    """One subscription of the caller (anyone's for admins) with its plan;
    None when unknown or someone else's."""
    row_id = _row_id(subscription_id)
    row = await with_plans(Subscription.filter(id=row_id)).first() if row_id else None
    return row if row is not None and visible_to(caller, row.user_id) else None


async def owned_subscription(caller: Caller, subscription_id: str) -> Subscription:
    """The caller's subscription (any for admins and services), else NOT_FOUND/FORBIDDEN."""
    row_id = _row_id(subscription_id)
    row = await Subscription.get_or_none(id=row_id) if row_id else None
    if row is None:
        raise BillingError(ErrorCode.NOT_FOUND, "No such subscription.", "subscriptionId")
    ensure_owner(caller, row.user_id)
    return row


async def cancel_subscription(
    caller: Caller, gateway: StripeGateway, subscription_id: str, *, at_period_end: bool
) -> Subscription:
    """Cancel at the period's end (access stays until then) or now. The row
    takes Stripe's answer at once; the webhook that follows confirms it."""
    row = await owned_subscription(caller, subscription_id)
    if row.status in ENDED_STATUSES:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "This subscription has already ended.", "subscriptionId"
        )
    if at_period_end:
        state = await gateway.update_subscription(
            row.stripe_subscription_id, {"cancel_at_period_end": True}
        )
    else:
        state = await gateway.cancel_subscription(row.stripe_subscription_id)
    details = {"subscriptionId": subscription_id, "atPeriodEnd": at_period_end}
    return await mirror_answer(
        state, for_another_user(caller, "cancelSubscription", row.user_id, details)
    )


async def mirror_answer(state: StripeObject, audit: AuditNote | None = None) -> Subscription:
    """Stripe's answer to our own call, written at once so the caller sees it
    before the webhook; the next event re-fetches (see StripeMirror). A new
    subscription's first event may insert the row meanwhile: then once more.
    ``audit``: the administrative action this answer completes, logged with it.
    Returns the row with its plan loaded."""

    async def write() -> None:
        async with in_transaction():
            await _write(await _locked(state["id"]), state, None)
            if audit is not None:
                await audit.record()

    try:
        await write()
    except VersionMoved:
        await write()
    return await with_plans(Subscription.filter(stripe_subscription_id=state["id"])).get()
