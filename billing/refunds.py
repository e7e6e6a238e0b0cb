"""Refunds: issued by admins through billgraph or in Stripe's dashboard, and
mirrored from refund and charge events.

A payment's ``amount_refunded`` is always the sum of its refunds that have not
failed, so it converges whatever order the events arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args
from uuid import UUID

from tortoise.transactions import in_transaction

from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, stripe_key
from billing.mirroring import newest_state
from billing.payments import refunded_status
from billing.stripe_gateway import RefundReason, StripeGateway, StripeObject
from billing.tokens import Caller
from models.payments import Payment, PaymentStatus, Refund

# Refund statuses that hold money back from the payer's charge.
_COUNTED = ("pending", "requires_action", "succeeded")
_REFUNDABLE = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)


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
    caller: Caller, request: RefundRequest, gateway: StripeGateway
) -> Refunded:
    """Refund all or part of what is left of a payment.

    The payment row stays locked from the check to the stored answer, so two
    refunds racing each other are decided one after the other and can never
    add up to more than was paid (Stripe would refuse too; we don't rely on it).
    """
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Only administrators may refund.")
    if request.reason is not None and request.reason not in get_args(RefundReason):
        raise BillingError(ErrorCode.INVALID_INPUT, "Unknown refund reason.", "reason")
    check_client_key(request.idempotency_key)
    payment_id = _payment_uuid(request.payment_id)
    async with in_transaction():
        payment = await Payment.select_for_update().get_or_none(id=payment_id)
        if payment is None:
            raise BillingError(ErrorCode.NOT_FOUND, "No such payment.", "paymentId")
        if request.idempotency_key is not None:
            earlier = await Refund.get_or_none(
                payment_id=payment.id, idempotency_key=request.idempotency_key
            )
            if earlier is not None:
                return Refunded(_same_request(earlier, request), payment)
        amount = _refund_amount(payment, request.amount)
        answer = await gateway.create_refund(
            payment.stripe_payment_intent_id,
            amount,
            request.reason,
            {"payment_id": str(payment.id), "refunded_by": caller.user_id},
            await _stripe_key(payment, request, amount),
        )
        refund = await _upsert_refund(payment, answer, None, request.idempotency_key)
        await _recount(payment)
    return Refunded(refund, payment)


async def _stripe_key(payment: Payment, request: RefundRequest, amount: int) -> str:
    """With a client key, that key. Without one, the payment's refund count
    and the amount: an admin retrying after a lost answer gets Stripe's first
    refund back, while a later, separate refund gets a fresh key."""
    if request.idempotency_key is not None:
        return stripe_key("refund", payment.id, request.idempotency_key)
    return stripe_key(
        "refund", payment.id, await Refund.filter(payment_id=payment.id).count(), amount
    )


def _same_request(refund: Refund, request: RefundRequest) -> Refund:
    if (request.amount is not None and request.amount != refund.amount) or (
        request.reason is not None and request.reason != refund.reason
    ):
        raise BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was already used for a different refund.",
            "idempotencyKey",
        )
    return refund


def _refund_amount(payment: Payment, requested: int | None) -> int:
    if payment.status not in _REFUNDABLE:
        raise _not_refundable(
            f"Only succeeded payments can be refunded (this one is {payment.status.value})."
        )
    if payment.disputed:
        raise _not_refundable("This payment is disputed; the dispute decides what is returned.")
    remaining = payment.amount - payment.amount_refunded
    if remaining <= 0:
        raise _not_refundable("This payment has been refunded in full.")
    amount = remaining if requested is None else requested
    if not 1 <= amount <= remaining:
        raise _not_refundable(
            f"Refund amount must be between 1 and {remaining}, what is left of the payment.",
            "amount",
        )
    return amount


async def _upsert_refund(
    payment: Payment, state: StripeObject, version: int | None, idempotency_key: str | None = None
) -> Refund:
    refund = await Refund.get_or_none(stripe_refund_id=state["id"])
    values: dict[str, object] = {
        "amount": int(state["amount"]),
        "currency": str(state["currency"]),
        "reason": state.get("reason"),
        "status": str(state["status"]),
        "stripe_version": version,
    }
    if idempotency_key is not None:
        values["idempotency_key"] = idempotency_key
    if refund is None:
        return await Refund.create(payment=payment, stripe_refund_id=state["id"], **values)  # type: ignore[arg-type]
    await refund.update_from_dict(values).save()
    return refund


async def _recount(payment: Payment) -> None:
    """``amount_refunded`` from the refunds that hold money; status follows."""
    refunds = await Refund.filter(payment_id=payment.id, status__in=_COUNTED)
    payment.amount_refunded = sum(r.amount for r in refunds)
    if payment.status in (*_REFUNDABLE, PaymentStatus.REFUNDED):
        payment.status = refunded_status(payment.amount, payment.amount_refunded)
    await payment.save(update_fields=["amount_refunded", "status", "updated_at"])


async def apply_refund_event(refund: StripeObject, created: int, gateway: StripeGateway) -> None:
    """refund.created / updated / failed: mirror the refund, recount its payment."""
    payment = await Payment.select_for_update().get_or_none(
        stripe_payment_intent_id=refund.get("payment_intent")
    )
    if payment is None:
        return
    await _mirror_refund(payment, refund, created, gateway)
    await _recount(payment)


async def _mirror_refund(
    payment: Payment, refund: StripeObject, created: int, gateway: StripeGateway
) -> None:
    stored = await Refund.get_or_none(stripe_refund_id=refund["id"])
    newest = await newest_state(
        exists=stored is not None,
        stored_version=stored.stripe_version if stored else None,
        event_created=created,
        payload=refund,
        fetch=lambda: gateway.retrieve_refund(refund["id"]),
    )
    if newest is not None:
        await _upsert_refund(payment, newest.state, newest.version)


async def apply_charge_refunded(charge: StripeObject, created: int, gateway: StripeGateway) -> None:
    """charge.refunded also covers refunds made in the dashboard whose own
    refund.created we may not have yet: mirror every refund of the charge."""
    payment = await Payment.select_for_update().get_or_none(
        stripe_payment_intent_id=charge.get("payment_intent")
    )
    if payment is None:
        return
    for refund in await gateway.list_refunds(str(charge["id"])):
        await _mirror_refund(payment, refund, created, gateway)
    await _recount(payment)
