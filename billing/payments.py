"""One-time payments: create a PaymentIntent for web or mobile, list a user's
payments, and mirror Stripe's view of each payment from its events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from billing.access import acting_for
from billing.changes import record_change, snapshot
from billing.clock import Clock
from billing.customers import ensure_customer, with_customer
from billing.ephemeral_keys import check_mobile_api_version, ephemeral_key
from billing.errors import BillingError, ErrorCode
from billing.idempotency import check_client_key, request_digest, stripe_key
from billing.mirroring import (
    EventContradicted,
    Newest,
    VersionMoved,
    ensure_unchanged,
    must_write,
    stamped,
)
from billing.money import MAX_AMOUNT, format_money, minimum_charge
from billing.pagination import Condition, Page, paginate_rows
from billing.payment_methods import owned_method
from billing.settings import Settings
from billing.stripe_gateway import CardDeclined, StripeGateway, StripeObject
from billing.tokens import Caller
from models.payments import Payment, PaymentPurpose, PaymentStatus
from models.sql import find_row, update_row

MAX_DESCRIPTION = 500
T = TypeVar("T")

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
    # A saved method of the caller: billgraph confirms the payment with it.
    payment_method_id: str | None = None
    purpose: PaymentPurpose = PaymentPurpose.ONE_TIME
    # CREDIT_PACK: the credits the payment buys once it succeeds.
    credits: int | None = None


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
    check_mobile_api_version(request.mobile_api_version)
    return replace(request, currency=currency)


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
    first payment and never reaches Stripe's create again. With a saved
    payment method it is confirmed at once: succeeded, requiring 3-D Secure
    (the client secret completes it) or CARD_DECLINED."""
    request = _validated(request, settings)
    if request.payment_method_id is not None:
        await owned_method(caller.user_id, request.payment_method_id)
    digest = request_digest(
        request.amount,
        request.currency,
        request.description,
        request.payment_method_id,
        *(() if request.purpose is PaymentPurpose.ONE_TIME else (request.purpose, request.credits)),
    )
    payment = await Payment.get_or_none(
        user_id=caller.user_id, idempotency_key=request.idempotency_key
    )
    if payment is not None and payment.request_digest != digest:
        raise _conflict()
    if payment is not None and request.payment_method_id and payment.status is PaymentStatus.FAILED:
        # The first answer again: this key's server-side charge was declined.
        message = payment.failure_message or "The card was declined."
        raise BillingError(ErrorCode.CARD_DECLINED, message)
    if payment is None:
        try:
            customer, intent = await with_customer(
                caller, gateway, lambda customer: _create_intent(caller, request, customer, gateway)
            )
        except CardDeclined as declined:
            if declined.payment_intent is not None:  # made and declined: a failed payment
                await _store(caller, request, digest, declined.payment_intent)
            raise
        payment = await _store(caller, request, digest, intent)
    else:
        customer = await ensure_customer(caller, gateway)
        # Stripe forgets idempotency keys after 24 hours; our row does not.
        intent = await gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    return CreatedPayment(
        payment=payment,
        client_secret=str(intent["client_secret"]),
        customer_id=customer.stripe_customer_id,
        ephemeral_key=await ephemeral_key(
            gateway, customer.stripe_customer_id, request.mobile_api_version
        ),
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
    if request.payment_method_id is not None:
        # Confirmed here with the saved card; 3-D Secure goes through the
        # client SDK with the client secret, never a redirect.
        params.update(
            payment_method=request.payment_method_id,
            confirm=True,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
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
    """The payment row of a new intent, announced in the same transaction when
    it is already settled (a saved card's charge: payment.succeeded, or
    payment.failed with Stripe's message): its webhooks then find nothing new."""
    status = payment_status(intent)
    try:
        async with in_transaction():
            payment = await Payment.create(
                user_id=caller.user_id,
                stripe_payment_intent_id=intent["id"],
                amount=request.amount,
                currency=request.currency,
                status=status,
                failure_message=failure_message(intent) if status is PaymentStatus.FAILED else None,
                description=request.description,
                idempotency_key=request.idempotency_key,
                request_digest=digest,
                purpose=request.purpose,
                credits=request.credits,
            )
            await record_change(None, payment)
            return payment
    except IntegrityError:
        # The same request racing itself: the first insert won.
        payment = await Payment.get(user_id=caller.user_id, idempotency_key=request.idempotency_key)
        if payment.request_digest != digest:
            raise _conflict() from None
        return payment


@dataclass(frozen=True, slots=True)
class PaymentFilter:
    """What ``payments`` narrows the history to; None is "any"."""

    status: PaymentStatus | None = None
    purpose: PaymentPurpose | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    disputed: bool | None = None

    def conditions(self) -> list[Condition]:
        since, until = self.created_after, self.created_before
        if since is not None and until is not None and since > until:
            raise BillingError(
                ErrorCode.INVALID_INPUT,
                "createdAfter must not be later than createdBefore.",
                "createdAfter",
            )
        chosen: list[Condition] = [
            ("status", "=", self.status),
            ("purpose", "=", self.purpose),
            ("disputed", "=", self.disputed),
            ("created_at", ">=", since),
            ("created_at", "<", until),
        ]
        return [condition for condition in chosen if condition[2] is not None]


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A listed payment: the fields its GraphQL type shows, read as values
    (a page of model instances cost more to build than its SQL takes to run);
    a list's ``build`` takes them as keyword arguments."""

    id: UUID
    user_id: str
    purpose: PaymentPurpose
    stripe_subscription_id: str | None
    amount: int
    amount_refunded: int
    currency: str
    status: PaymentStatus
    description: str | None
    failure_message: str | None
    disputed: bool
    stripe_payment_intent_id: str
    created_at: datetime


async def list_payments(
    caller: Caller,
    user_id: str | None,
    where: PaymentFilter,
    first: int | None,
    after: str | None,
    build: Callable[..., T],
) -> Page[T]:
    """The caller's payments (or ``user_id``'s, when the caller may act for
    them), newest first, each made by ``build`` from ``PaymentRow``'s fields."""
    owner: Condition = ("user_id", "=", acting_for(caller, user_id))
    conditions = [owner, *where.conditions()]
    return await paginate_rows(Payment, PaymentRow, build, conditions, first, after)


async def list_all_payments(
    caller: Caller,
    where: PaymentFilter,
    first: int | None,
    after: str | None,
    build: Callable[..., T],
) -> Page[T]:
    """Every user's payments, newest first: for administrators."""
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Every user's payments are for administrators.")
    return await paginate_rows(Payment, PaymentRow, build, where.conditions(), first, after)


async def find_payment(caller: Caller, payment_id: str) -> Payment | None:
    """The payment, or None when it doesn't exist or isn't the caller's to see."""
    try:
        row_id = UUID(payment_id)
    except ValueError:
        return None
    payment = await Payment.get_or_none(id=row_id)
    if payment is None or (payment.user_id != caller.user_id and not caller.is_privileged):
        return None
    return payment


async def refreshed_payment(
    caller: Caller, payment_id: str, gateway: StripeGateway, clock: Clock
) -> Payment | None:
    """``payment(id, refresh: true)``: Stripe's current state first, written
    through the mirror like an event's (so an app may grant access on it even
    when a webhook was lost), stamped with now so older events can't undo it."""
    payment = await find_payment(caller, payment_id)
    if payment is None:
        return None
    intent_id = payment.stripe_payment_intent_id
    try:
        await _mirror_now(intent_id, gateway, clock)
    except VersionMoved:
        await _mirror_now(intent_id, gateway, clock)
    return await Payment.get(id=payment.id)


async def _mirror_now(intent_id: str, gateway: StripeGateway, clock: Clock) -> None:
    newest = await fetch_payment_intent(intent_id, int(clock().timestamp()), None, gateway)
    async with in_transaction():
        await apply_payment_intent(newest)


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


def failure_message(intent: StripeObject) -> str | None:
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
    payment = await find_row(Payment, "stripe_payment_intent_id", intent_id)
    return stamped(payment, state, event_created=created) if payment is not None else None


async def apply_payment_intent(newest: Newest | None) -> None:
    """Write step of payment_intent.*: the payment takes Stripe's status."""
    if newest is None:
        return
    payment = await find_row(Payment, "stripe_payment_intent_id", newest.state["id"], lock=True)
    if payment is None:
        ensure_unchanged(payment, newest.seen)  # it existed when fetched: moved
        return
    status = payment_status(newest.state, payment.amount_refunded)
    failed = status in (PaymentStatus.FAILED, PaymentStatus.REQUIRES_ACTION)
    values = {
        "status": status,
        "failure_message": failure_message(newest.state) if failed else None,
        "stripe_version": newest.version,
    }
    if must_write(payment, newest.seen, values):
        before = snapshot(payment)
        await update_row(payment.update_from_dict(values), [*values, "updated_at"])
        await record_change(before, payment)
