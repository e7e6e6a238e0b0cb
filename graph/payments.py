"""Payments: types, the ``payments`` history and the createPaymentIntent and
refundPayment mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Generator
from dataclasses import fields
from datetime import datetime
from enum import Enum
from functools import partial
from typing import Any
from uuid import UUID

import strawberry
from strawberry import UNSET
from strawberry.dataloader import DataLoader

from billing.pagination import DEFAULT_PAGE_SIZE, Page
from billing.payments import (
    PaymentFilter,
    PaymentRequest,
    PaymentRow,
    create_payment,
    find_payment,
    list_payments,
    refreshed_payment,
)
from billing.refunds import RefundRequest, RefundRow, refund_payment, refunds_of
from graph.arguments import given
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.pagination import Connection
from graph.permissions import IsAdmin, IsAuthenticated, require_caller
from graph.selections import selects
from graph.subscriptions import Subscription
from models import payments as rows

PaymentStatus = strawberry.enum(rows.PaymentStatus, name="PaymentStatus")
DisputeStatus = strawberry.enum(rows.DisputeStatus, name="DisputeStatus")


@strawberry.enum
class PaymentPurpose(Enum):
    ONE_TIME = strawberry.enum_value(
        rows.PaymentPurpose.ONE_TIME, description="createPaymentIntent"
    )
    SUBSCRIPTION = strawberry.enum_value(
        rows.PaymentPurpose.SUBSCRIPTION,
        description="A subscription invoice (first payment, renewal, proration).",
    )
    CREDIT_PACK = strawberry.enum_value(rows.PaymentPurpose.CREDIT_PACK, description="buyCredits")


@strawberry.enum
class RefundReason(Enum):
    DUPLICATE = "duplicate"
    FRAUDULENT = "fraudulent"
    REQUESTED_BY_CUSTOMER = "requested_by_customer"


@strawberry.type
class Refund:
    id: strawberry.ID
    amount: Money
    reason: RefundReason | None
    status: str = strawberry.field(
        description="Stripe's refund status: pending, succeeded, failed, canceled."
    )
    created_at: datetime

    @classmethod
    def from_row(cls, row: rows.Refund | RefundRow) -> Refund:
        return cls(
            id=strawberry.ID(str(row.id)),
            amount=Money.of(row.amount, row.currency),
            reason=RefundReason(row.reason) if row.reason else None,
            status=row.status,
            created_at=row.created_at,
        )


@strawberry.type
class Dispute:
    amount: Money
    status: DisputeStatus  # type: ignore[valid-type]
    reason: str = strawberry.field(
        description="Stripe's reason, e.g. fraudulent, product_not_received."
    )
    created_at: datetime
    closed_at: datetime | None = strawberry.field(
        description="When it was won or lost: the time of the Stripe event that said so."
    )

    @classmethod
    def from_row(cls, row: rows.Dispute) -> Dispute:
        return cls(
            amount=Money.of(row.amount, row.currency),
            status=row.status,
            reason=row.reason,
            created_at=row.opened_at,
            closed_at=row.closed_at,
        )


@strawberry.type
class Payment:
    id: strawberry.ID
    user_id: strawberry.ID
    purpose: PaymentPurpose
    amount: Money
    amount_refunded: Money
    status: PaymentStatus  # type: ignore[valid-type]
    description: str | None
    failure_message: str | None = strawberry.field(
        description="Why the last attempt failed, in words fit to show the payer."
    )
    disputed: bool = strawberry.field(
        description="The payer opened a dispute (chargeback) that is not yet won."
    )
    stripe_payment_intent_id: str
    created_at: datetime
    row_id: strawberry.Private[UUID]
    stripe_subscription_id: strawberry.Private[str | None]

    refunds: list[Refund] | Awaitable[list[Refund]] = strawberry.field(graphql_type=list[Refund])

    @strawberry.field
    async def dispute(self, info: Info) -> Dispute | None:
        row = await info.context.loaders.disputes.load(self.row_id)
        return Dispute.from_row(row) if row is not None else None

    @strawberry.field(description="Set for SUBSCRIPTION payments.")
    async def subscription(self, info: Info) -> Subscription | None:
        if self.stripe_subscription_id is None:
            return None
        row = await info.context.loaders.subscriptions_by_stripe_id.load(
            self.stripe_subscription_id
        )
        return None if row is None else Subscription.from_row(row)

    @classmethod
    def from_row(cls, row: rows.Payment, info: Info) -> Payment:
        return cls.listed(info, **{name: getattr(row, name) for name in _COLUMNS})

    @classmethod
    def listed(
        cls,
        info: Info,
        *,
        id: UUID,
        user_id: str,
        purpose: rows.PaymentPurpose,
        stripe_subscription_id: str | None,
        amount: int,
        amount_refunded: int,
        currency: str,
        status: rows.PaymentStatus,
        description: str | None,
        failure_message: str | None,
        disputed: bool,
        stripe_payment_intent_id: str,
        created_at: datetime,
    ) -> Payment:
        """The payment from ``PaymentRow``'s fields (a page builds its nodes
        straight from the values read); its refunds loaded (batched per request)
        only if asked for, unless the page sets them."""
        return cls(
            id=strawberry.ID(str(id)),
            user_id=strawberry.ID(user_id),
            purpose=PaymentPurpose[purpose.name],
            stripe_subscription_id=stripe_subscription_id,
            amount=Money.of(amount, currency),
            amount_refunded=Money.of(amount_refunded, currency),
            status=status,
            description=description,
            failure_message=failure_message,
            disputed=disputed,
            stripe_payment_intent_id=stripe_payment_intent_id,
            created_at=created_at,
            row_id=id,
            refunds=_LaterRefunds(info.context.loaders.refunds, id),
        )


_COLUMNS = tuple(f.name for f in fields(PaymentRow))


class _LaterRefunds:
    """A payment's refunds that were not read with it: ``refunds`` is a plain
    field (a page's lists are completed without a resolver per payment), and
    this is its value when the list isn't at hand. Awaited only if the field is
    selected, through the request's loader (batched with any others due then)."""

    __slots__ = ("_loader", "_payment_id")

    def __init__(self, loader: DataLoader[UUID, list[RefundRow]], payment_id: UUID) -> None:
        self._loader = loader
        self._payment_id = payment_id

    def __await__(self) -> Generator[Any, None, list[Refund]]:
        return self._refunds().__await__()

    async def _refunds(self) -> list[Refund]:
        return [Refund.from_row(r) for r in await self._loader.load(self._payment_id)]


async def payment_connection(info: Info, page: Page[Payment]) -> Connection[Payment]:
    """The page, its refunds read in one query with it when the query asks for
    them: each payment then holds its list, and the executor completes the
    whole page as plain values (a resolver per payment cost more than the rest
    of the page)."""
    if page.items and selects(info, "edges", "node", "refunds"):
        listed = await refunds_of([payment.row_id for payment in page.items])
        for payment, refunds in zip(page.items, listed, strict=True):
            payment.refunds = [Refund.from_row(r) for r in refunds]
    return Connection.of(page, _same)


def _same(payment: Payment) -> Payment:
    return payment


@strawberry.type
class PaymentQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The caller's payments (any user's for admins and services), newest first.",
    )
    async def payments(
        self,
        info: Info,
        user_id: strawberry.ID | None = UNSET,
        status: PaymentStatus | None = UNSET,  # type: ignore[valid-type]
        purpose: PaymentPurpose | None = UNSET,
        created_after: datetime | None = UNSET,
        created_before: datetime | None = UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[Payment]:
        caller = require_caller(info)
        chosen = given(purpose)
        where = PaymentFilter(
            status=given(status),
            purpose=None if chosen is None else rows.PaymentPurpose[chosen.name],
            created_after=given(created_after),
            created_before=given(created_before),
        )
        page = await query_or_error(
            list_payments(
                caller, given(user_id), where, first, given(after), partial(Payment.listed, info)
            )
        )
        return await payment_connection(info, page)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="refresh: ask Stripe for the current state first (and update the mirror).",
    )
    async def payment(
        self, info: Info, id: strawberry.ID, refresh: bool | None = False
    ) -> Payment | None:
        context = info.context
        caller = require_caller(info)
        found = await query_or_error(
            refreshed_payment(caller, str(id), context.stripe(), context.clock)
            if refresh
            else find_payment(caller, str(id))
        )
        return None if found is None else Payment.from_row(found, info)


# ---------------------------------------------------------- createPaymentIntent


@strawberry.input
class CreatePaymentIntentInput:
    amount: int = strawberry.field(
        description="Minor units; at least the currency's Stripe minimum, at most 99999999."
    )
    currency: str
    description: str | None = None
    idempotency_key: str = strawberry.field(
        description="Required: the same key returns the same payment instead of a second charge."
    )
    mobile_api_version: str | None = strawberry.field(
        default=None,
        description="Mobile clients pass their Stripe SDK API version to receive an ephemeral key.",
    )
    payment_method_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A saved payment method of the caller: billgraph confirms the payment itself.",
    )


@strawberry.type
class CreatePaymentIntentPayload:
    payment: Payment | None = None
    client_secret: str | None = None
    customer_id: str | None = strawberry.field(
        default=None, description="Stripe customer id (cus_...), for the mobile PaymentSheet."
    )
    ephemeral_key: str | None = strawberry.field(
        default=None, description="Set only when mobileApiVersion was given."
    )
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _create_payment_intent(
    info: Info, input: CreatePaymentIntentInput
) -> CreatePaymentIntentPayload:
    request = PaymentRequest(
        amount=input.amount,
        currency=input.currency,
        description=input.description,
        idempotency_key=input.idempotency_key,
        mobile_api_version=input.mobile_api_version,
        payment_method_id=None if input.payment_method_id is None else str(input.payment_method_id),
    )
    context = info.context
    created = await create_payment(
        require_caller(info), request, context.settings, context.stripe()
    )
    return CreatePaymentIntentPayload(
        payment=Payment.from_row(created.payment, info),
        client_secret=created.client_secret,
        customer_id=created.customer_id,
        ephemeral_key=created.ephemeral_key,
    )


# ---------------------------------------------------------------- refundPayment


@strawberry.input
class RefundPaymentInput:
    payment_id: strawberry.ID
    amount: int | None = strawberry.field(
        default=None, description="Minor units; omitted means the whole remaining amount."
    )
    reason: RefundReason | None = None
    idempotency_key: str | None = None


@strawberry.type
class RefundPaymentPayload:
    refund: Refund | None = None
    payment: Payment | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _refund_payment(info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
    request = RefundRequest(
        payment_id=str(input.payment_id),
        amount=input.amount,
        reason=input.reason.value if input.reason else None,
        idempotency_key=input.idempotency_key,
    )
    refunded = await refund_payment(
        require_caller(info), request, info.context.stripe(), info.context.clock
    )
    return RefundPaymentPayload(
        refund=Refund.from_row(refunded.refund),
        payment=Payment.from_row(refunded.payment, info),
    )


@strawberry.type
class PaymentMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_payment_intent(
        self, info: Info, input: CreatePaymentIntentInput
    ) -> CreatePaymentIntentPayload:
        return await payload_or_errors(
            CreatePaymentIntentPayload, _create_payment_intent(info, input)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Administrators only: refund all or part."
    )
    async def refund_payment(self, info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
        return await payload_or_errors(RefundPaymentPayload, _refund_payment(info, input))
