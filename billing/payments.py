"""One-time payments: create a PaymentIntent for web or mobile, list a user's
payments, and mirror Stripe's view of each payment from its events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

from tortoise.exceptions import IntegrityError

from billing.access import acting_for
from billing.customers import ensure_customer, with_customer
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, stripe_key
from billing.mirroring import EventContradicted, Newest, ensure_unchanged, must_write, stamped
from billing.money import MAX_AMOUNT, format_money, minimum_charge
from billing.pagination import Page, paginate
from billing.settings import Settings
from billing.stripe_gateway import StripeGateway, StripeObject
from billing.tokens import Caller
from models.payments import Payment, PaymentStatus

MAX_DESCRIPTION = 500

# Stripe's PaymentIntent statuses that are not ours verbatim. Manual capture
# is not offered, so an authorised-but-uncaptured intent counts as processing.
_INTENT_STATUS = {"requires_capture": PaymentStatus.PROCESSING}


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    amount: int
    currency: str
    description: str | None
    idempotency_key: str
    mobile_api_version: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedPayment:
    payment: Payment
    client_secret: str
    customer_id: str
    ephemeral_key: str | None


def _validated(request: PaymentRequest, settings: Settings) -> PaymentRequest:
    currency = request.currency.strip().lower()
    if currency not in settings.billgraph_currencies:
        accepted = ", ".join(settings.billgraph_currencies)
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"Currency must be one of: {accepted}.", "currency"
        )
    minimum = minimum_charge(currency)
    if request.amount < minimum:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"Amount must be at least {format_money(minimum, currency)} ({minimum} minor units).",
            "amount",
        )
    if request.amount > MAX_AMOUNT:
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"Amount must be at most {MAX_AMOUNT} minor units.", "amount"
        )
    if request.description is not None and len(request.description) > MAX_DESCRIPTION:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"Description must be at most {MAX_DESCRIPTION} characters.",
            "description",
        )
    check_client_key(request.idempotency_key)
    version = request.mobile_api_version
    if version is not None and not (1 <= len(version) <= 64 and version.isprintable()):
        raise BillingError(
            ErrorCode.INVALID_INPUT, "Unrecognised mobile API version.", "mobileApiVersion"
        )
    return replace(request, currency=currency)


def _digest(request: PaymentRequest) -> str:
    text = f"{request.amount}\x1f{request.currency}\x1f{request.description or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _conflict() -> BillingError:
    return BillingError(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        "This idempotency key was already used for a different payment.",
        "idempotencyKey",
    )


async def create_payment(
    caller: Caller, request: PaymentRequest, settings: Settings, gateway: StripeGateway
) -> CreatedPayment:
    """A PaymentIntent for the caller; a repeated idempotency key returns the
    first payment and never reaches Stripe's create again."""
    request = _validated(request, settings)
    digest = _digest(request)
    payment = await Payment.get_or_none(
        user_id=caller.user_id, idempotency_key=request.idempotency_key
    )
    if payment is not None and payment.request_digest != digest:
        raise _conflict()
    if payment is None:
        customer, intent = await with_customer(
            caller, gateway, lambda customer: _create_intent(caller, request, customer, gateway)
        )
        payment = await _store(caller, request, digest, intent)
    else:
        customer = await ensure_customer(caller, gateway)
        # Stripe forgets idempotency keys after 24 hours; our row does not.
        intent = await gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    ephemeral = None
    if request.mobile_api_version:
        key = await gateway.create_ephemeral_key(
            customer.stripe_customer_id, request.mobile_api_version
        )
        ephemeral = str(key["secret"])
    return CreatedPayment(
        payment=payment,
        client_secret=str(intent["client_secret"]),
        customer_id=customer.stripe_customer_id,
        ephemeral_key=ephemeral,
    )


async def _create_intent(
    caller: Caller, request: PaymentRequest, customer_id: str, gateway: StripeGateway
) -> StripeObject:
    params: dict[str, Any] = {
        "amount": request.amount,
        "currency": request.currency,
        "customer": customer_id,
        "automatic_payment_methods": {"enabled": True},
        "metadata": {"user_id": caller.user_id, "idempotency_key": request.idempotency_key},
    }
    if request.description:
        params["description"] = request.description
    # Two racing requests with one key reach Stripe with one Stripe key: the
    # second gets the first intent back (or an idempotency error if it asked
    # for something else).
    return await gateway.create_payment_intent(
        params,  # type: ignore[arg-type]
        idempotency_key=stripe_key(caller.user_id, "payment_intent", request.idempotency_key),
    )


async def _store(
    caller: Caller, request: PaymentRequest, digest: str, intent: StripeObject
) -> Payment:
    try:
        return await Payment.create(
            user_id=caller.user_id,
            stripe_payment_intent_id=intent["id"],
            amount=request.amount,
            currency=request.currency,
            status=payment_status(intent),
            description=request.description,
            idempotency_key=request.idempotency_key,
            request_digest=digest,
        )
    except IntegrityError:
        # The same request racing itself: the first insert won.
        payment = await Payment.get(user_id=caller.user_id, idempotency_key=request.idempotency_key)
        if payment.request_digest != digest:
            raise _conflict() from None
        return payment


async def list_payments(
    caller: Caller,
    user_id: str | None,
    status: PaymentStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Payment]:
    query = Payment.filter(user_id=acting_for(caller, user_id))
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first, after)


# ------------------------------------------------------------- mirroring


def payment_status(intent: StripeObject, amount_refunded: int = 0) -> PaymentStatus:
    """Stripe's PaymentIntent status plus what billgraph adds: a failed attempt
    (Stripe goes back to requires_payment_method) and refunds."""
    status = str(intent.get("status"))
    if status == "succeeded":
        return refunded_status(int(intent.get("amount") or 0), amount_refunded)
    if status == "requires_payment_method" and intent.get("last_payment_error"):
        return PaymentStatus.FAILED
    return _INTENT_STATUS.get(status) or PaymentStatus(status)


def refunded_status(amount: int, amount_refunded: int) -> PaymentStatus:
    if amount_refunded <= 0:
        return PaymentStatus.SUCCEEDED
    if amount_refunded >= amount:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED


def _failure_message(intent: StripeObject) -> str | None:
    error = intent.get("last_payment_error") or {}
    message = error.get("message")
    return str(message) if message else None


async def fetch_payment_intent(
    intent_id: str, created: int, claimed: str | None, gateway: StripeGateway
) -> Newest | None:
    """Fetch step of payment_intent.*: Stripe's state of the intent, if it is
    one of our payments (intents billgraph did not create, such as a
    subscription invoice's, are recorded when their invoice is paid).
    ``claimed``: the status the event says the intent reached for good
    (succeeded); Stripe must agree, or the event is refused."""
    state = await gateway.retrieve_payment_intent(intent_id)
    if claimed is not None and state.get("status") != claimed:
        raise EventContradicted(
            f"payment_intent {intent_id} is {state.get('status')} in Stripe, not {claimed}"
        )
    payment = await Payment.get_or_none(stripe_payment_intent_id=intent_id)
    return stamped(payment, state, event_created=created) if payment is not None else None


async def apply_payment_intent(newest: Newest | None) -> None:
    """Write step of payment_intent.*: the payment takes Stripe's status."""
    if newest is None:
        return
    payment = await Payment.select_for_update().get_or_none(
        stripe_payment_intent_id=newest.state["id"]
    )
    if payment is None:
        ensure_unchanged(payment, newest.seen)  # it existed when fetched: moved
        return
    status = payment_status(newest.state, payment.amount_refunded)
    failed = status in (PaymentStatus.FAILED, PaymentStatus.REQUIRES_ACTION)
    values = {
        "status": status,
        "failure_message": _failure_message(newest.state) if failed else None,
        "stripe_version": newest.version,
    }
    if must_write(payment, newest.seen, values):
        await payment.update_from_dict(values).save(update_fields=[*values, "updated_at"])
