"""Refunds: issued by admins through billgraph or in Stripe's dashboard, and
mirrored from refund and charge events.

An admin's refund is an attempt first (``RefundAttempt``), committed under
the payment's lock with its amount reserved, so racing refunds can never add
up to more than was paid; then Stripe is asked with no transaction open,
under an idempotency key made from the attempt's id; then the answer is
recorded. Asking again for the same refund (same client key, or without one
the same amount and reason within ``SAME_REQUEST_WINDOW``, or while the
first is still unanswered) re-sends that attempt: Stripe answers with the
refund it already made, whatever happened to the first answer.

A payment's ``amount_refunded`` is always the sum of its refunds that have not
failed, so it converges whatever order the events arrive in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import cache
from typing import get_args
from uuid import UUID

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from billing import audit
from billing.changes import record_change, snapshot
from billing.clock import Clock, utcnow
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, stripe_key
from billing.mirroring import Newest, changes, ensure_unchanged, stamped
from billing.payments import refunded_status
from billing.stripe_gateway import RefundReason, StripeGateway, StripeObject
from billing.tokens import Caller
from models.payments import (
    COUNTED_REFUNDS,
    AttemptStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundAttempt,
)
from models.sql import Statement, column, fetch, python_rows

_REFUNDABLE = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)
# Stripe refused the refund: nothing was refunded, the reservation ends.
# (Unavailable or rate limited: the outcome is unknown, the attempt stays open.)
_REFUSED = (ErrorCode.CARD_DECLINED, ErrorCode.PAYMENT_FAILED)
SAME_REQUEST_WINDOW = timedelta(minutes=10)
# Refund metadata naming the attempt, so a refund webhook can settle an
# attempt whose answer was lost.
ATTEMPT_METADATA = "billgraph_refund_attempt"


@dataclass(frozen=True, slots=True)
class RefundRequest:
    payment_id: str
    amount: int | None = None
    reason: RefundReason | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Refunded:
    refund: Refund
    payment: Payment


def _not_refundable(message: str, field: str | None = None) -> BillingError:
    return BillingError(ErrorCode.NOT_REFUNDABLE, message, field)


def _payment_uuid(payment_id: str) -> UUID:
    try:
        return UUID(payment_id)
    except ValueError:
        raise BillingError(ErrorCode.NOT_FOUND, "No such payment.", "paymentId") from None


async def refund_payment(
    caller: Caller, request: RefundRequest, gateway: StripeGateway, clock: Clock = utcnow
) -> Refunded:
    """Refund all or part of what is left of a payment (see the module)."""
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Only administrators may refund.")
    if request.reason is not None and request.reason not in get_args(RefundReason):
        raise BillingError(ErrorCode.INVALID_INPUT, "Unknown refund reason.", "reason")
    check_client_key(request.idempotency_key)
    attempt = await _attempt(caller, request, _payment_uuid(request.payment_id), clock)
    if attempt.status is AttemptStatus.ANSWERED:
        refund = await Refund.get(id=attempt.refund_id)  # type: ignore[attr-defined]
        return Refunded(refund, await Payment.get(id=attempt.payment_id))  # type: ignore[attr-defined]
    if attempt.status is AttemptStatus.REFUSED:
        raise BillingError(
            ErrorCode(attempt.error_code or ErrorCode.PAYMENT_FAILED.value),
            attempt.error or "The payment provider refused this refund.",
        )
    return await _send(caller, request, attempt, gateway)


async def _attempt(
    caller: Caller, request: RefundRequest, payment_id: UUID, clock: Clock
) -> RefundAttempt:
    """The same request's attempt, or a new one with its amount reserved,
    committed before Stripe is asked."""
    async with in_transaction():
        payment = await Payment.select_for_update().get_or_none(id=payment_id)
        if payment is None:
            raise BillingError(ErrorCode.NOT_FOUND, "No such payment.", "paymentId")
        now = clock()
        same = await _same_request(payment, request, now)
        if same is not None:
            return same
        reserved = await _reserved(payment)
        return await RefundAttempt.create(
            payment=payment,
            amount=_refund_amount(payment, request.amount, reserved),
            requested_amount=request.amount,
            reason=request.reason,
            idempotency_key=request.idempotency_key,
            requested_by=caller.user_id,
            requested_at=now,
        )


async def _same_request(
    payment: Payment, request: RefundRequest, now: datetime
) -> RefundAttempt | None:
    if request.idempotency_key is not None:
        earlier = await RefundAttempt.get_or_none(
            payment_id=payment.id, idempotency_key=request.idempotency_key
        )
        if earlier is not None and (
            earlier.requested_amount != request.amount or earlier.reason != request.reason
        ):
            raise BillingError(
                ErrorCode.IDEMPOTENCY_CONFLICT,
                "This idempotency key was already used for a different refund.",
                "idempotencyKey",
            )
        return earlier
    # Without a key: the same amount and reason, unanswered or recent. A
    # refused attempt refunded nothing, so asking again is a new attempt.
    return (
        await RefundAttempt.filter(
            Q(status=AttemptStatus.OPEN)
            | Q(status=AttemptStatus.ANSWERED, requested_at__gte=now - SAME_REQUEST_WINDOW),
            payment_id=payment.id,
            idempotency_key=None,
            requested_amount=request.amount,
            reason=request.reason,
        )
        .order_by("-requested_at")
        .first()
    )


async def _reserved(payment: Payment) -> int:
    """What unanswered attempts may still refund."""
    amounts = await RefundAttempt.filter(
        payment_id=payment.id, status=AttemptStatus.OPEN
    ).values_list("amount", flat=True)
    return sum(int(a) for a in amounts)  # type: ignore[call-overload]


def _refund_amount(payment: Payment, requested: int | None, reserved: int) -> int:
    if payment.status not in _REFUNDABLE:
        raise _not_refundable(
            f"Only succeeded payments can be refunded (this one is {payment.status.value})."
        )
    if payment.disputed:
        raise _not_refundable("This payment is disputed; the dispute decides what is returned.")
    remaining = payment.amount - payment.amount_refunded - reserved
    if remaining <= 0:
        if reserved:
            raise _not_refundable("The rest of this payment is being refunded already.")
        raise _not_refundable("This payment has been refunded in full.")
    amount = remaining if requested is None else requested
    if not 1 <= amount <= remaining:
        raise _not_refundable(
            f"Refund amount must be between 1 and {remaining}, what is left of the payment.",
            "amount",
        )
    return amount


async def _send(
    caller: Caller, request: RefundRequest, attempt: RefundAttempt, gateway: StripeGateway
) -> Refunded:
    """Ask Stripe (no transaction open), then record its answer (and log it)."""
    payment = await Payment.get(id=attempt.payment_id)  # type: ignore[attr-defined]
    try:
        answer = await gateway.create_refund(
            payment.stripe_payment_intent_id,
            attempt.amount,
            attempt.reason,  # type: ignore[arg-type]
            {
                "payment_id": str(payment.id),
                "refunded_by": attempt.requested_by,
                ATTEMPT_METADATA: str(attempt.id),
            },
            stripe_key("refund", attempt.id),
        )
    except BillingError as exc:
        if exc.code in _REFUSED:
            await RefundAttempt.filter(id=attempt.id, status=AttemptStatus.OPEN).update(
                status=AttemptStatus.REFUSED, error_code=exc.code.value, error=exc.message
            )
        raise
    async with in_transaction():
        payment = await Payment.select_for_update().get(id=payment.id)
        # A refund webhook may have been first: its row is as new as this answer.
        refund = await Refund.get_or_none(stripe_refund_id=answer["id"])
        if refund is None:
            refund = await _upsert_refund(payment, answer, None)
        await _settle(payment, refund, str(attempt.id))
        await _recount(payment)
        await audit.record(
            caller,
            "refundPayment",
            payment.user_id,
            {
                "paymentId": request.payment_id,
                "amount": request.amount,
                "reason": request.reason,
                "idempotencyKey": request.idempotency_key,
                "refundId": refund.id,
                "refunded": refund.amount,
            },
        )
    return Refunded(refund, payment)


def _values(state: StripeObject, version: int | None) -> dict[str, object]:
    return {
        "amount": int(state["amount"]),
        "currency": str(state["currency"]),
        "reason": state.get("reason"),
        "status": str(state["status"]),
        "stripe_version": version,
    }


async def _upsert_refund(
    payment: Payment, state: StripeObject, version: int | None, refund: Refund | None = None
) -> Refund:
    values = _values(state, version)
    if refund is None:
        refund = await Refund.create(payment=payment, stripe_refund_id=state["id"], **values)  # type: ignore[arg-type]
    else:
        await refund.update_from_dict(values).save()
    await _settle(payment, refund, (state.get("metadata") or {}).get(ATTEMPT_METADATA))
    return refund


async def _settle(payment: Payment, refund: Refund, attempt_id: str | None) -> None:
    """The attempt that made ``refund`` is answered: its reservation ends and
    the refund counts instead (found by the refund's metadata when a webhook
    brings the answer first)."""
    try:
        attempt = UUID(attempt_id) if attempt_id else None
    except ValueError:
        attempt = None
    if attempt is not None:
        await RefundAttempt.filter(
            id=attempt, payment_id=payment.id, status=AttemptStatus.OPEN
        ).update(status=AttemptStatus.ANSWERED, refund_id=refund.id)


async def _recount(payment: Payment) -> None:
    """``amount_refunded`` from the refunds that hold money; status follows."""
    refunds = await Refund.filter(payment_id=payment.id, status__in=COUNTED_REFUNDS)
    refunded = sum(r.amount for r in refunds)
    status = payment.status
    if status in (*_REFUNDABLE, PaymentStatus.REFUNDED):
        status = refunded_status(payment.amount, refunded)
    if (refunded, status) != (payment.amount_refunded, payment.status):
        before = snapshot(payment)
        payment.amount_refunded, payment.status = refunded, status
        await payment.save(update_fields=["amount_refunded", "status", "updated_at"])
        await record_change(before, payment)


# ---------------------------------------------------------------- mirroring


async def _decided(states: list[StripeObject], created: int) -> tuple[Newest, ...]:
    """Each of one payment's refunds, as Stripe has it, against its row."""
    if not states:
        return ()
    payment = await Payment.get_or_none(stripe_payment_intent_id=states[0].get("payment_intent"))
    if payment is None:
        return ()
    rows = {
        r.stripe_refund_id: r
        for r in await Refund.filter(stripe_refund_id__in=[s["id"] for s in states])
    }
    decided = (stamped(rows.get(s["id"]), s, event_created=created, guard=payment) for s in states)
    return tuple(newest for newest in decided if newest is not None)


async def fetch_refund(refund_id: str, created: int, gateway: StripeGateway) -> tuple[Newest, ...]:
    """Fetch step of refund.*: the refund as Stripe has it."""
    return await _decided([await gateway.retrieve_refund(refund_id)], created)


async def fetch_charge_refunds(
    charge_id: str, created: int, gateway: StripeGateway
) -> tuple[Newest, ...]:
    """Fetch step of charge.refunded, which also covers refunds made in the
    dashboard whose own refund.created we may not have yet: every refund of
    the charge, as Stripe lists them."""
    return await _decided(await gateway.list_refunds(charge_id), created)


async def apply_refunds(refunds: tuple[Newest, ...]) -> None:
    """Write step: mirror the refunds under their payment's lock, recount."""
    if not refunds:
        return
    payment = await Payment.select_for_update().get_or_none(
        stripe_payment_intent_id=refunds[0].state["payment_intent"]
    )
    if payment is None:
        ensure_unchanged(payment, refunds[0].seen)  # it existed when fetched: moved
        return
    rows = {
        r.stripe_refund_id: r
        for r in await Refund.filter(stripe_refund_id__in=[n.state["id"] for n in refunds])
    }
    changed = [
        (newest, rows.get(newest.state["id"]))
        for newest in refunds
        if changes(rows.get(newest.state["id"]), _values(newest.state, newest.version))
    ]
    if not changed:
        return
    ensure_unchanged(payment, refunds[0].seen)
    for newest, row in changed:
        await _upsert_refund(payment, newest.state, newest.version, row)
    await _recount(payment)


# ------------------------------------------------------------------ reading


@dataclass(frozen=True, slots=True)
class RefundRow:
    """A listed refund: the fields its GraphQL type shows, read as values."""

    id: UUID
    payment_id: UUID
    amount: int
    currency: str
    reason: str | None
    status: str
    created_at: datetime


@cache
def _refunds_in(count: int) -> Statement:
    """The refunds of ``count`` payments, oldest first (one text per count, as
    a page's are read: the page size)."""
    selected = ", ".join(f'"{column(Refund, f.name)}" "{f.name}"' for f in fields(RefundRow))
    return Statement(
        f'SELECT {selected} FROM "refund" WHERE "payment_id" IN ({", ".join("?" * count)}) '  # noqa: S608 (names)
        'ORDER BY "created_at", "id"'
    )


async def refunds_of(payment_ids: Sequence[UUID]) -> list[list[RefundRow]]:
    """Each payment's refunds, oldest first, in one query."""
    grouped: dict[UUID, list[RefundRow]] = {payment_id: [] for payment_id in payment_ids}
    if payment_ids:
        pk = Refund._meta.fields_map["payment_id"]
        values = [pk.to_db_value(payment_id, Refund) for payment_id in payment_ids]
        for row in python_rows(Refund, await fetch(_refunds_in(len(values)), values)):
            refund = RefundRow(**row)
            grouped[refund.payment_id].append(refund)
    return [grouped[payment_id] for payment_id in payment_ids]
