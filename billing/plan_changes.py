"""Changing a subscription's plan: upgrades now, downgrades at the period end.

- An upgrade (a higher monthly-equivalent price, or month -> year) is applied
  at once and its proration invoiced and charged at once
  (``proration_behavior=always_invoice``, ``payment_behavior=
  error_if_incomplete``: a declined card leaves the subscription on its old
  plan, and a scheduled downgrade scheduled). Its preview is Stripe's invoice
  preview of that very update, never our own arithmetic. Stripe prorates to
  the second, so the proration date of the last preview is kept on the
  subscription (the "quote") and passed to the update that follows, as Stripe
  recommends: the charge is then exactly the previewed amount.
- A downgrade waits for the period end: a Subscription Schedule whose next
  phase puts the new price in place at the renewal, without proration. Its
  preview is Stripe's preview of the renewal at the new price.
  ``cancelScheduledChange`` releases the schedule.
- The free plan is a cancellation at the period end; ``resumeSubscription``
  undoes a cancellation while the period lasts.

Stripe is never called with a transaction open; the subscription row takes
Stripe's answer at once (billing.subscriptions.mirror_answer) and the
webhooks that follow confirm it. With a client key, the Stripe idempotency
keys derive from it (two racing calls make one change) and the first
result is stored (models.plan_changes).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from billing.audit import for_another_user
from billing.checkout import sellable_price
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, request_digest, stripe_key
from billing.invoices import apply_paid_invoice, fetch_paid_invoice
from billing.mirroring import VersionMoved
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.subscriptions import (
    mirror_answer,
    object_id,
    owned_subscription,
    timestamp,
    with_plans,
)
from billing.tokens import Caller
from models.catalog import Plan, PlanPrice
from models.payments import Payment
from models.plan_changes import PlanChange
from models.subscriptions import LIVE_STATUSES, Subscription

# How long a preview's proration date is reused by changePlan.
QUOTE_LIFETIME = timedelta(minutes=15)


class Kind(StrEnum):
    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class Target:
    """A validated request: the subscription, where it goes, and how."""

    row: Subscription
    plan: Plan
    price: PlanPrice | None  # None: the free plan
    kind: Kind


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    amount: int
    proration: bool


@dataclass(frozen=True, slots=True)
class Preview:
    immediate: bool
    effective_at: datetime
    amount_due_now: int
    next_invoice_amount: int
    next_invoice_at: datetime
    currency: str
    lines: list[Line]


@dataclass(frozen=True, slots=True)
class Changed:
    subscription: Subscription
    payment: Payment | None


def monthly_equivalent(price: PlanPrice) -> Fraction:
    return Fraction(price.amount, 12 if price.interval == "year" else 1)


def is_upgrade(current: PlanPrice, new: PlanPrice) -> bool:
    return monthly_equivalent(new) > monthly_equivalent(current) or (
        current.interval == "month" and new.interval == "year"
    )


async def _target(caller: Caller, subscription_id: str, plan_id: str, interval: str) -> Target:
    row = await owned_subscription(caller, subscription_id)
    if row.status not in LIVE_STATUSES:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "Only a live subscription can change plans.", "subscriptionId"
        )
    if row.cancel_at_period_end:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "This subscription ends at the period end: resume it first.",
            "subscriptionId",
        )
    free = await Plan.get_or_none(key=plan_id, free=True, active=True)
    if free is not None:
        return Target(row, free, None, Kind.CANCEL)
    plan, price = await sellable_price(plan_id, interval)
    if price.stripe_price_id == row.stripe_price_id:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "The subscription is already on this plan and interval.",
            "planId",
        )
    current = await PlanPrice.get(stripe_price_id=row.stripe_price_id)
    kind = Kind.UPGRADE if is_upgrade(current, price) else Kind.DOWNGRADE
    return Target(row, plan, price, kind)


def _item_id(state: StripeObject) -> str:
    return str(state["items"]["data"][0]["id"])


def _is_proration(line: StripeObject) -> bool:
    return bool(
        ((line.get("parent") or {}).get("subscription_item_details") or {}).get("proration")
    )


def _proration_date(invoice: StripeObject) -> int | None:
    """When Stripe prorated from: the start of the preview's proration lines."""
    for line in invoice["lines"]["data"]:
        if _is_proration(line):
            return int(line["period"]["start"])
    return None


def _quote(row: Subscription, price: PlanPrice, now: datetime) -> int | None:
    """The proration date of a recent preview of this very change, if any."""
    quoted = row.quoted_proration_date
    if row.quoted_price_id != price.stripe_price_id or quoted is None:
        return None
    if quoted < row.current_period_start or now - quoted > QUOTE_LIFETIME:
        return None
    return int(quoted.timestamp())


async def preview_plan_change(
    caller: Caller,
    gateway: StripeGateway,
    *,
    subscription_id: str,
    plan_id: str,
    interval: str,
    now: datetime,
) -> Preview:
    """Exactly what change_plan with the same input will do."""
    target = await _target(caller, subscription_id, plan_id, interval)
    row, price = target.row, target.price
    end = row.current_period_end
    if price is None:  # the free plan: a cancellation at the period end, nothing billed
        return Preview(False, end, 0, 0, end, target.plan.currency, [])
    upgrade = target.kind is Kind.UPGRADE
    item_id = _item_id(await gateway.retrieve_subscription(row.stripe_subscription_id))
    # The renewal at the new price, without proration: what a downgrade puts in
    # place at the period end, and what an upgrade bills from then on.
    renewal = await _invoice_preview(gateway, row, item_id, price, "none")
    next_amount = int(renewal["amount_due"])
    if not upgrade:
        end_lines = _lines(renewal)
        return Preview(False, end, 0, next_amount, end, str(renewal["currency"]), end_lines)
    # The upgrade as changePlan will send it.
    quote = _quote(row, price, now)
    invoice = await _invoice_preview(gateway, row, item_id, price, "always_invoice", quote)
    currency, amount = str(invoice["currency"]), int(invoice["amount_due"])
    if invoice["billing_reason"] != "subscription_update":
        # Nothing invoiced now (a trial: Stripe prorates nothing): the new price
        # applies at once and Stripe's preview is the invoice at the trial's end.
        return Preview(True, now, 0, next_amount, end, currency, _lines(renewal))
    prorated_from = _proration_date(invoice)
    if prorated_from is not None:
        await Subscription.filter(id=row.pk).update(
            quoted_price_id=price.stripe_price_id, quoted_proration_date=timestamp(prorated_from)
        )
    lines = invoice["lines"]["data"]
    return Preview(
        immediate=True,
        effective_at=timestamp(prorated_from or invoice["created"]) or now,
        amount_due_now=amount,
        next_invoice_amount=next_amount,
        next_invoice_at=max(timestamp(line["period"]["end"]) or now for line in lines),
        currency=currency,
        lines=_lines(invoice),
    )


async def _invoice_preview(
    gateway: StripeGateway,
    row: Subscription,
    item_id: str,
    price: PlanPrice,
    proration: str,
    proration_date: int | None = None,
) -> StripeObject:
    """Stripe's invoice preview of the subscription with ``price`` on its item."""
    params: Any = {  # typed by the gateway's signature; this module doesn't import stripe
        "customer": row.stripe_customer_id,
        "subscription": row.stripe_subscription_id,
        "subscription_details": {
            "items": [{"id": item_id, "price": price.stripe_price_id}],
            "proration_behavior": proration,
            **_proration(proration_date),
        },
    }
    return await gateway.preview_invoice(params)


def _lines(invoice: StripeObject) -> list[Line]:
    return [
        Line(str(line.get("description") or ""), int(line["amount"]), _is_proration(line))
        for line in invoice["lines"]["data"]
    ]


def _proration(proration_date: int | None) -> dict[str, Any]:
    return {} if proration_date is None else {"proration_date": proration_date}


async def _replayed(caller: Caller, key: str | None, digest: str) -> Changed | None:
    """The first result of this client key, or None for a new key."""
    if key is None:
        return None
    earlier = await PlanChange.get_or_none(user_id=caller.user_id, idempotency_key=key)
    if earlier is None:
        return None
    if earlier.request_digest != digest:
        raise BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was already used for another plan change.",
            "idempotencyKey",
        )
    return await _result(earlier.subscription_id, earlier.stripe_invoice_id)  # type: ignore[attr-defined]


async def _result(subscription_pk: Any, invoice_id: str | None) -> Changed:
    row = await with_plans(Subscription.filter(id=subscription_pk)).get()
    payment = await Payment.get_or_none(stripe_invoice_id=invoice_id) if invoice_id else None
    return Changed(row, payment)


async def change_plan(
    caller: Caller,
    gateway: StripeGateway,
    *,
    subscription_id: str,
    plan_id: str,
    interval: str,
    idempotency_key: str | None,
    now: datetime,
) -> Changed:
    check_client_key(idempotency_key)
    digest = request_digest(subscription_id, plan_id, interval)
    replayed = await _replayed(caller, idempotency_key, digest)
    if replayed is not None:
        return replayed
    target = await _target(caller, subscription_id, plan_id, interval)

    def key(step: str) -> str | None:
        if idempotency_key is None:
            return None
        return stripe_key(caller.user_id, "change-plan", idempotency_key, step)

    invoice: StripeObject | None = None
    if target.kind is Kind.UPGRADE:
        state, invoice = await _upgrade(gateway, target, now, key)
    elif target.kind is Kind.DOWNGRADE:
        state = await _schedule_downgrade(gateway, target, key)
    else:
        await _release_schedule(gateway, target.row)
        params: Any = {"cancel_at_period_end": True, "expand": ["schedule"]}
        state = await gateway.update_subscription(
            target.row.stripe_subscription_id, params, key("cancel")
        )
    details = {
        "subscriptionId": subscription_id,
        "planId": plan_id,
        "interval": interval,
        "kind": target.kind.value,
    }
    await mirror_answer(state, for_another_user(caller, "changePlan", target.row.user_id, details))
    invoice_id = invoice["id"] if invoice else None
    if invoice_id is not None:
        await _record_payment(invoice_id, gateway)
    record = PlanChange(
        user_id=caller.user_id,
        subscription_id=target.row.pk,
        kind=target.kind.value,
        stripe_price_id=target.price.stripe_price_id if target.price else None,
        stripe_invoice_id=invoice_id,
        request_digest=digest,
        idempotency_key=idempotency_key,
    )
    with contextlib.suppress(IntegrityError):  # a racing twin with the same key stored it first
        await record.save()
    return await _result(target.row.pk, invoice_id)


async def _record_payment(invoice_id: str, gateway: StripeGateway) -> None:
    """The proration invoice's payment joins the history at once (its
    invoice.paid confirms it): fetched, then written, once more if a webhook
    or a racing twin wrote first (billing.mirroring)."""
    try:
        await _write_paid(invoice_id, gateway)
    except VersionMoved:
        await _write_paid(invoice_id, gateway)


async def _write_paid(invoice_id: str, gateway: StripeGateway) -> None:
    paid = await fetch_paid_invoice(invoice_id, 0, gateway)  # 0: no event, only an API answer
    async with in_transaction():
        await apply_paid_invoice(paid)


async def _upgrade(
    gateway: StripeGateway, target: Target, now: datetime, key: Any
) -> tuple[StripeObject, StripeObject | None]:
    """Apply now and charge the proration now (its invoice returned), or change
    nothing: a declined card is Stripe's 402, CARD_DECLINED, with the update not
    applied (``error_if_incomplete``). A scheduled downgrade is released only once
    the upgrade went through, so a refused one leaves it scheduled, unannounced."""
    row, price = target.row, target.price
    assert price is not None
    current = await gateway.retrieve_subscription(row.stripe_subscription_id)
    params: Any = {
        "items": [{"id": _item_id(current), "price": price.stripe_price_id}],
        "proration_behavior": "always_invoice",
        "payment_behavior": "error_if_incomplete",
        "expand": ["schedule", "latest_invoice"],
        **_proration(_quote(row, price, now)),
    }
    state = await gateway.update_subscription(row.stripe_subscription_id, params, key("upgrade"))
    # The proration invoice (none in a trial, which is free). The same answer
    # again for a racing twin with the same key: one change, one invoice.
    invoice = state.get("latest_invoice")
    prorated = isinstance(invoice, dict) and invoice.get("billing_reason") == "subscription_update"
    schedule_id = object_id(state.get("schedule"))
    if schedule_id is not None:  # the upgrade replaces the scheduled downgrade
        await gateway.release_subscription_schedule(schedule_id, stripe_key("release", schedule_id))
        state = await gateway.retrieve_subscription(row.stripe_subscription_id)
    return state, invoice if prorated and state["status"] != "trialing" else None


async def _schedule_downgrade(gateway: StripeGateway, target: Target, key: Any) -> StripeObject:
    """The new price from the period end: the schedule's second phase."""
    row, price = target.row, target.price
    assert price is not None
    schedule_id = row.stripe_schedule_id
    if schedule_id is None:
        created = await gateway.create_subscription_schedule(
            {"from_subscription": row.stripe_subscription_id}, key("schedule")
        )
        schedule_id = str(created["id"])
        phase = created["phases"][0]
    else:
        current = await gateway.retrieve_subscription(row.stripe_subscription_id)
        phase = current["schedule"]["phases"][0]
    await gateway.update_subscription_schedule(
        schedule_id,
        {
            "end_behavior": "release",
            "proration_behavior": "none",
            "phases": [
                {
                    "items": [
                        {"price": object_id(item["price"]) or "", "quantity": item["quantity"]}
                        for item in phase["items"]
                    ],
                    "start_date": phase["start_date"],
                    "end_date": phase["end_date"],
                },
                {
                    "items": [{"price": price.stripe_price_id, "quantity": 1}],
                    "duration": {"interval": price.interval},
                },
            ],
        },
        key("phases"),
    )
    return await gateway.retrieve_subscription(row.stripe_subscription_id)


async def _release_schedule(gateway: StripeGateway, row: Subscription) -> None:
    """Drop a pending downgrade (an upgrade or a cancellation replaces it)."""
    if row.stripe_schedule_id is not None:
        await gateway.release_subscription_schedule(
            row.stripe_schedule_id, stripe_key("release", row.stripe_schedule_id)
        )


async def cancel_scheduled_change(
    caller: Caller, gateway: StripeGateway, subscription_id: str
) -> Subscription:
    row = await owned_subscription(caller, subscription_id)
    if row.scheduled_price_id is None or row.stripe_schedule_id is None:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "No plan change is scheduled.", "subscriptionId"
        )
    await gateway.release_subscription_schedule(
        row.stripe_schedule_id, stripe_key("release", row.stripe_schedule_id)
    )
    return await mirror_answer(
        await gateway.retrieve_subscription(row.stripe_subscription_id),
        for_another_user(
            caller, "cancelScheduledChange", row.user_id, {"subscriptionId": subscription_id}
        ),
    )


async def resume_subscription(
    caller: Caller, gateway: StripeGateway, subscription_id: str, now: datetime
) -> Subscription:
    """Undo a cancellation at the period end, while the period lasts."""
    row = await owned_subscription(caller, subscription_id)
    if not row.cancel_at_period_end or row.status not in LIVE_STATUSES:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "Only a subscription canceled at the period end can be resumed.",
            "subscriptionId",
        )
    if now >= row.current_period_end:
        raise BillingError(
            ErrorCode.INVALID_INPUT, "The period has ended: subscribe again.", "subscriptionId"
        )
    params: Any = {"cancel_at_period_end": False, "expand": ["schedule"]}
    return await mirror_answer(
        await gateway.update_subscription(row.stripe_subscription_id, params),
        for_another_user(
            caller, "resumeSubscription", row.user_id, {"subscriptionId": subscription_id}
        ),
    )
