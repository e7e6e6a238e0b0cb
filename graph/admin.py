"""Administrators' views across all users: the financial summary, customer
search, every payment, the Stripe event log (and replaying an event) and the
audit log. Every field is for administrators only (FORBIDDEN otherwise)."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from functools import partial
from typing import Annotated

import strawberry
from strawberry import UNSET

from billing.audit import list_audit
from billing.customers import search_customers
from billing.errors import BillingError, ErrorCode
from billing.event_log import list_webhook_events
from billing.finance import CurrencyFigures, financial_summary
from billing.pagination import DEFAULT_PAGE_SIZE
from billing.payments import PaymentFilter, list_all_payments
from graph.arguments import given
from graph.catalog import Plan
from graph.context import Info
from graph.customers import Customer
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.pagination import Connection
from graph.payments import Payment, PaymentPurpose, PaymentStatus, payment_connection
from graph.permissions import IsAdmin, require_caller
from models import audit as audit_rows
from models import payments as payment_rows
from models import webhooks as webhook_rows


@strawberry.type
class CurrencySummary:
    currency: str
    gross: Money = strawberry.field(
        description="Succeeded payments created in the window, before refunds."
    )
    refunded: Money = strawberry.field(
        description="Refunds created in the window, whatever the payment's date."
    )
    disputed: Money = strawberry.field(description="Amount of disputes opened in the window.")
    net: Money = strawberry.field(description="gross - refunded - disputes lost in the window.")
    payments: int = strawberry.field(
        description="Number of succeeded payments created in the window."
    )
    mrr: Money = strawberry.field(
        description="Monthly recurring revenue of the subscriptions live at the window's end, "
        "after discounts (yearly / 12)."
    )

    @classmethod
    def of(cls, figures: CurrencyFigures) -> CurrencySummary:
        def money(amount: int) -> Money:
            return Money.of(amount, figures.currency)

        return cls(
            currency=figures.currency,
            gross=money(figures.gross),
            refunded=money(figures.refunded),
            disputed=money(figures.disputed),
            net=money(figures.net),
            payments=figures.payments,
            mrr=money(figures.mrr),
        )


@strawberry.type
class PlanSummary:
    active_subscriptions: int = strawberry.field(
        description="Live at the window's end and out of trial (past due included)."
    )
    trialing_subscriptions: int = strawberry.field(
        description="Live at the window's end and in their trial."
    )
    plan_key: strawberry.Private[str]

    @strawberry.field
    async def plan(self, info: Info) -> Plan:
        row = await info.context.loaders.plans.load(self.plan_key)
        assert row is not None  # the summary names only stored plans
        return Plan.from_row(row)


@strawberry.type
class FinancialSummary:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    currencies: list[CurrencySummary]
    plans: list[PlanSummary]
    new_subscriptions: int
    churned_subscriptions: int = strawberry.field(
        description="Subscriptions that ended in the window."
    )
    churn_rate: float = strawberry.field(
        description="churnedSubscriptions / subscriptions live at the window's start (0 when none)."
    )
    credits_sold: int = strawberry.field(description="Credits of the packs bought in the window.")
    credits_spent: int = strawberry.field(
        description="Credits spent in the window (spendCredits and usage overage)."
    )


@strawberry.enum
class WebhookEventStatus(Enum):
    PENDING = "PENDING"
    PROCESSED = "PROCESSED"
    IGNORED = "IGNORED"
    FAILED = "FAILED"


_EVENT_STATUS = {
    webhook_rows.EventStatus.RECEIVED: WebhookEventStatus.PENDING,
    webhook_rows.EventStatus.PROCESSED: WebhookEventStatus.PROCESSED,
    webhook_rows.EventStatus.IGNORED: WebhookEventStatus.IGNORED,
    webhook_rows.EventStatus.FAILED: WebhookEventStatus.FAILED,
}
_STORED_STATUS = {shown: stored for stored, shown in _EVENT_STATUS.items()}


@strawberry.type(description="A Stripe event as billgraph received it.")
class WebhookEvent:
    id: strawberry.ID
    stripe_event_id: str
    type: str
    status: WebhookEventStatus
    attempts: int
    last_error: str | None
    received_at: datetime
    processed_at: datetime | None

    @classmethod
    def from_row(cls, row: webhook_rows.WebhookEvent) -> WebhookEvent:
        return cls(
            id=strawberry.ID(str(row.id)),
            stripe_event_id=row.stripe_event_id,
            type=row.type,
            status=_EVENT_STATUS[row.status],
            attempts=row.attempts,
            last_error=row.last_error,
            received_at=row.received_at,
            processed_at=row.processed_at,
        )


@strawberry.type
class AuditEntry:
    id: strawberry.ID
    actor: strawberry.ID = strawberry.field(
        description="The userId of the administrator or service that acted."
    )
    action: str = strawberry.field(
        description="e.g. refundPayment, grantCredits, replayWebhookEvent, changePlan."
    )
    subject_user_id: strawberry.ID | None = strawberry.field(
        description="The user the action was about, if any."
    )
    details: str = strawberry.field(description="JSON of the action's input, secrets removed.")
    created_at: datetime

    @classmethod
    def from_row(cls, row: audit_rows.AuditEntry) -> AuditEntry:
        subject = row.subject_user_id
        return cls(
            id=strawberry.ID(str(row.id)),
            actor=strawberry.ID(row.actor),
            action=row.action,
            subject_user_id=None if subject is None else strawberry.ID(subject),
            details=json.dumps(row.details, sort_keys=True),
            created_at=row.created_at,
        )


@strawberry.input
class ReplayWebhookEventInput:
    id: strawberry.ID


@strawberry.type
class ReplayWebhookEventPayload:
    event: WebhookEvent | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _summary(info: Info, start: datetime, end: datetime) -> FinancialSummary:
    summary = await financial_summary(require_caller(info), start, end)
    return FinancialSummary(
        from_=summary.start,
        to=summary.end,
        currencies=[CurrencySummary.of(c) for c in summary.currencies],
        plans=[
            PlanSummary(
                plan_key=p.plan_key,
                active_subscriptions=p.active,
                trialing_subscriptions=p.trialing,
            )
            for p in summary.plans
        ],
        new_subscriptions=summary.new_subscriptions,
        churned_subscriptions=summary.churned_subscriptions,
        churn_rate=summary.churn_rate,
        credits_sold=summary.credits_sold,
        credits_spent=summary.credits_spent,
    )


async def _replay(info: Info, data: ReplayWebhookEventInput) -> ReplayWebhookEventPayload:
    replayer = info.context.replayer
    if replayer is None:
        raise BillingError(
            ErrorCode.STRIPE_UNAVAILABLE, "Stripe is not configured (STRIPE_SECRET_KEY)."
        )
    replayed = await replayer(require_caller(info), str(data.id))
    errors = [] if replayed.error is None else [BillingErrorType.of(replayed.error)]
    return ReplayWebhookEventPayload(event=WebhookEvent.from_row(replayed.event), errors=errors)


@strawberry.type
class AdminQuery:
    @strawberry.field(permission_classes=[IsAdmin])
    async def financial_summary(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> FinancialSummary:
        return await query_or_error(_summary(info, from_, to))

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Search matches userId, email, name or Stripe customer id.",
    )
    async def customers(
        self,
        info: Info,
        search: str | None = UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[Customer]:
        page = await query_or_error(
            search_customers(require_caller(info), given(search), first, given(after))
        )
        return Connection.of(page, Customer.from_row)

    @strawberry.field(
        permission_classes=[IsAdmin], description="Every user's payments, newest first."
    )
    async def all_payments(
        self,
        info: Info,
        status: PaymentStatus | None = UNSET,  # type: ignore[valid-type]
        purpose: PaymentPurpose | None = UNSET,
        disputed: bool | None = UNSET,
        created_after: datetime | None = UNSET,
        created_before: datetime | None = UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[Payment]:
        chosen = given(purpose)
        where = PaymentFilter(
            status=given(status),
            purpose=None if chosen is None else payment_rows.PaymentPurpose[chosen.name],
            created_after=given(created_after),
            created_before=given(created_before),
            disputed=given(disputed),
        )
        page = await query_or_error(
            list_all_payments(
                require_caller(info), where, first, given(after), partial(Payment.listed, info)
            )
        )
        return await payment_connection(info, page)

    @strawberry.field(permission_classes=[IsAdmin])
    async def webhook_events(
        self,
        info: Info,
        status: WebhookEventStatus | None = UNSET,
        type: str | None = UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[WebhookEvent]:
        shown = given(status)
        page = await query_or_error(
            list_webhook_events(
                require_caller(info),
                None if shown is None else _STORED_STATUS[shown],
                given(type),
                first,
                given(after),
            )
        )
        return Connection.of(page, WebhookEvent.from_row)

    @strawberry.field(permission_classes=[IsAdmin])
    async def audit_log(
        self,
        info: Info,
        actor: strawberry.ID | None = UNSET,
        action: str | None = UNSET,
        subject_user_id: strawberry.ID | None = UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[AuditEntry]:
        page = await query_or_error(
            list_audit(
                require_caller(info),
                given(actor),
                given(action),
                given(subject_user_id),
                first,
                given(after),
            )
        )
        return Connection.of(page, AuditEntry.from_row)


@strawberry.type
class AdminMutation:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def replay_webhook_event(
        self, info: Info, input: ReplayWebhookEventInput
    ) -> ReplayWebhookEventPayload:
        return await payload_or_errors(ReplayWebhookEventPayload, _replay(info, input))
