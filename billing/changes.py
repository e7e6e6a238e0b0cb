"""The domain events of payment and subscription writes.

Every write of a payment or subscription row (Stripe mirror or our own
command) takes a ``Snapshot`` of the row before it and records what the row's
change means after it, in the same transaction, under the row's lock. The
events come from comparing the two, so a duplicate or out-of-order delivery
that writes nothing new yields no event; transitions that happen once in a
payment's or subscription's life also get a deterministic id (``once_id``), so
even a racing twin cannot record them twice.

A credit pack's payment also buys or takes back its credits here
(billing.credits), in the same transaction.

Payloads are the public API's ``Payment`` and ``Subscription`` (camelCase,
money as ``{"amount", "currency"}``), plus ``changed`` on subscriptions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from billing.credits import payment_changed
from billing.discounts import NO_DISCOUNT
from billing.entitlements import subscription_changed
from billing.events import DomainEvent, once_id, record
from models.payments import SETTLED, Payment, PaymentStatus
from models.subscriptions import Subscription, SubscriptionStatus

# A row's public fields (camelCase) and the model attribute each one reads
# (a subscription's plan also changes with its price: monthly to yearly; its price,
# a scheduled change and its discount, compared by all its columns, are named too).
_PAYMENT_FIELDS = {"status": "status", "amountRefunded": "amount_refunded", "disputed": "disputed"}
_SUBSCRIPTION_FIELDS = {
    "status": "status",
    "plan": "plan_id",
    "currentPeriodStart": "current_period_start",
    "currentPeriodEnd": "current_period_end",
    "cancelAtPeriodEnd": "cancel_at_period_end",
    "canceledAt": "canceled_at",
    "endedAt": "ended_at",
    "trialEnd": "trial_end",
}

Snapshot = dict[str, Any] | None  # None: the row did not exist


def snapshot(row: Payment | Subscription | None) -> Snapshot:
    """The public fields of ``row`` as they are now, to compare after a write."""
    return _fields(row) if row is not None else None


def _fields(row: Payment | Subscription) -> dict[str, Any]:
    if isinstance(row, Payment):
        return {name: getattr(row, attribute) for name, attribute in _PAYMENT_FIELDS.items()}
    fields = {name: getattr(row, attribute) for name, attribute in _SUBSCRIPTION_FIELDS.items()}
    return {
        **fields,
        "plan": (fields["plan"], row.stripe_price_id),
        "price": row.stripe_price_id,
        "scheduledChange": (row.scheduled_price_id, row.scheduled_at),
        "discount": tuple(getattr(row, column) for column in NO_DISCOUNT),
    }


def money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def payment_payload(row: Payment) -> dict[str, Any]:
    """The payment in the public API's shape (``Payment``)."""
    return {
        "id": str(row.id),
        "amount": money(row.amount, row.currency),
        "amountRefunded": money(row.amount_refunded, row.currency),
        "status": row.status.name,
        "description": row.description,
        "failureMessage": row.failure_message,
        "disputed": row.disputed,
        "stripePaymentIntentId": row.stripe_payment_intent_id,
        "createdAt": _iso(row.created_at),
    }


def subscription_payload(row: Subscription) -> dict[str, Any]:
    """The subscription in the public API's shape (``Subscription``; the plan
    by its catalog id)."""
    return {
        "id": str(row.pk),
        "plan": {"id": row.plan_id},  # type: ignore[attr-defined]
        "status": row.status.name,
        "currentPeriodStart": _iso(row.current_period_start),
        "currentPeriodEnd": _iso(row.current_period_end),
        "cancelAtPeriodEnd": row.cancel_at_period_end,
        "canceledAt": _iso(row.canceled_at),
        "endedAt": _iso(row.ended_at),
        "trialEnd": _iso(row.trial_end),
        "stripeSubscriptionId": row.stripe_subscription_id,
        "createdAt": _iso(row.created_at),
    }


def payment_events(before: Snapshot, row: Payment) -> list[DomainEvent]:
    """What the write that took the payment from ``before`` to ``row`` means."""
    was = before or {"status": None, "amountRefunded": 0, "disputed": False}
    payload = payment_payload(row)
    events: list[tuple[str, uuid.UUID | None]] = []
    if row.status in SETTLED and was["status"] not in SETTLED:
        events.append(("payment.succeeded", once_id(row.id, "succeeded")))
    if row.status is PaymentStatus.FAILED and was["status"] is not PaymentStatus.FAILED:
        events.append(("payment.failed", None))
    if row.amount_refunded > was["amountRefunded"]:
        events.append(("payment.refunded", once_id(row.id, "refunded", row.amount_refunded)))
    if row.disputed and not was["disputed"]:
        events.append(("payment.disputed", None))
    return [_event(kind, row.user_id, payload, event_id) for kind, event_id in events]


def subscription_events(before: Snapshot, row: Subscription) -> list[DomainEvent]:
    """``created`` for a new row, ``canceled`` when it reached canceled, else
    ``updated``; each names the public fields that ``changed``."""
    changed = [
        name for name, value in _fields(row).items() if before is None or before[name] != value
    ]
    if not changed:
        return []
    payload = {**subscription_payload(row), "changed": changed}
    event_id: uuid.UUID | None
    if before is None:
        kind, event_id = "subscription.created", once_id(row.pk, "created")
    elif row.status is SubscriptionStatus.CANCELED and "status" in changed:
        kind, event_id = "subscription.canceled", once_id(row.pk, "canceled")
    else:
        kind, event_id = "subscription.updated", None
    return [_event(kind, row.user_id, payload, event_id)]


def _event(
    kind: str, user_id: str, payload: dict[str, Any], event_id: uuid.UUID | None
) -> DomainEvent:
    return DomainEvent(kind, user_id, payload, id=event_id or uuid.uuid4())


async def record_change(before: Snapshot, row: Payment | Subscription) -> None:
    """Record the events of the write just made to ``row``, in its transaction."""
    if isinstance(row, Payment):
        await record(payment_events(before, row))
        await payment_changed(before, row)
    else:
        await record(subscription_events(before, row))
        subscription_changed([row.user_id])  # again after the commit: entitlements.committed
