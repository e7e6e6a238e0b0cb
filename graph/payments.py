"""Payments: types, the ``payments`` history and the createPaymentIntent and
refundPayment mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from strawberry import UNSET

from billing.pagination import DEFAULT_PAGE_SIZE
from billing.payments import PaymentRequest, create_payment, list_payments
from billing.refunds import RefundRequest, refund_payment
from graph.arguments import given
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.pagination import Connection
from graph.permissions import IsAdmin, IsAuthenticated, require_caller
from models import payments as rows

PaymentStatus = strawberry.enum(rows.PaymentStatus, name="PaymentStatus")
DisputeStatus = strawberry.enum(rows.DisputeStatus, name="DisputeStatus")


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
    def from_row(cls, row: rows.Refund) -> Refund:
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

    @classmethod
    def from_row(cls, row: rows.Dispute) -> Dispute:
        return cls(
            amount=Money.of(row.amount, row.currency),
            status=row.status,
            reason=row.reason,
            created_at=row.opened_at,
        )


@strawberry.type
class Payment:
    id: strawberry.ID
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

    @strawberry.field
    async def refunds(self, info: Info) -> list[Refund]:
        return [Refund.from_row(r) for r in await info.context.loaders.refunds.load(self.row_id)]

    @strawberry.field
    async def dispute(self, info: Info) -> Dispute | None:
        row = await info.context.loaders.disputes.load(self.row_id)
        return Dispute.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: rows.Payment) -> Payment:
        return cls(
            id=strawberry.ID(str(row.id)),
            amount=Money.of(row.amount, row.currency),
            amount_refunded=Money.of(row.amount_refunded, row.currency),
            status=row.status,
            description=row.description,
            failure_message=row.failure_message,
            disputed=row.disputed,
            stripe_payment_intent_id=row.stripe_payment_intent_id,
            created_at=row.created_at,
            row_id=row.id,
        )


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
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[Payment]:
        caller = require_caller(info)
        page = await query_or_error(
            list_payments(caller, given(user_id), given(status), first, given(after))
        )
        return Connection.of(page, Payment.from_row)


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
    )
    context = info.context
    created = await create_payment(
        require_caller(info), request, context.settings, context.stripe()
    )
    return CreatePaymentIntentPayload(
        payment=Payment.from_row(created.payment),
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
        refund=Refund.from_row(refunded.refund), payment=Payment.from_row(refunded.payment)
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
