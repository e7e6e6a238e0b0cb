"""Credits: the public ``creditPacks``, the wallet (``credits``) with its
ledger, and the buyCredits, spendCredits and grantCredits mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from strawberry import UNSET

from billing.credits import (
    Account,
    account_of,
    credit_account,
    grant_credits,
    list_transactions,
    spend_credits,
)
from billing.packs import buy_credits, credit_packs
from graph.arguments import given
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.pagination import Connection
from graph.payments import Payment
from graph.permissions import IsAdmin, IsAuthenticated, require_caller
from models import credits as rows


@strawberry.type(description="A one-time purchase of credits.")
class CreditPack:
    id: strawberry.ID
    name: str
    credits: int
    price: Money

    @classmethod
    def from_row(cls, row: rows.CreditPack) -> CreditPack:
        return cls(
            id=strawberry.ID(row.key),
            name=row.name,
            credits=row.credits,
            price=Money.of(row.amount, row.currency),
        )


@strawberry.enum
class CreditTransactionKind(Enum):
    PURCHASE = rows.CreditKind.PURCHASE
    PLAN_GRANT = strawberry.enum_value(
        rows.CreditKind.PLAN_GRANT, description="creditsPerPeriod of a paid period."
    )
    ADJUSTMENT = strawberry.enum_value(
        rows.CreditKind.ADJUSTMENT,
        description="grantCredits by an administrator (amount may be negative).",
    )
    SPEND = rows.CreditKind.SPEND
    OVERAGE = strawberry.enum_value(
        rows.CreditKind.OVERAGE, description="trackUsage beyond the allowance, paid in credits."
    )
    CLAWBACK = strawberry.enum_value(
        rows.CreditKind.CLAWBACK,
        description="A refunded or lost-dispute purchase takes its credits back.",
    )
    EXPIRY = rows.CreditKind.EXPIRY
    REVERSAL = strawberry.enum_value(
        rows.CreditKind.REVERSAL,
        description="A refund that failed gives back the credits its CLAWBACK took.",
    )


@strawberry.type
class CreditTransaction:
    id: strawberry.ID
    kind: CreditTransactionKind
    amount: int = strawberry.field(
        description="Signed: positive adds credits, negative removes them."
    )
    balance_after: int
    reason: str | None
    expires_at: datetime | None = strawberry.field(
        description="For grants: when what is left of them expires."
    )
    created_at: datetime
    shortfall: int = strawberry.field(
        description="CLAWBACK: credits that could not be taken back (already spent); "
        "REVERSAL: the part of that shortfall a failed refund forgave."
    )
    payment_id: strawberry.Private[UUID | None]

    @strawberry.field(description="The purchase, for PURCHASE, CLAWBACK and REVERSAL.")
    async def payment(self, info: Info) -> Payment | None:
        if self.payment_id is None:
            return None
        row = await info.context.loaders.payments.load(self.payment_id)
        return None if row is None else Payment.from_row(row, info)

    @classmethod
    def from_row(cls, row: rows.CreditTransaction) -> CreditTransaction:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=CreditTransactionKind(row.kind),
            amount=row.amount,
            balance_after=row.balance_after,
            reason=row.reason,
            expires_at=row.expires_at,
            created_at=row.created_at,
            shortfall=row.shortfall,
            payment_id=row.payment_id,  # type: ignore[attr-defined]
        )


@strawberry.type
class CreditAccount:
    user_id: strawberry.ID
    balance: int
    expiring_soon: int = strawberry.field(description="Credits that expire within 7 days.")

    @strawberry.field
    async def transactions(
        self, first: int | None = 20, after: str | None = UNSET
    ) -> Connection[CreditTransaction]:
        page = await query_or_error(list_transactions(str(self.user_id), first, given(after)))
        return Connection.of(page, CreditTransaction.from_row)

    @classmethod
    def of(cls, account: Account) -> CreditAccount:
        return cls(
            user_id=strawberry.ID(account.user_id),
            balance=account.balance,
            expiring_soon=account.expiring_soon,
        )


@strawberry.type
class CreditQuery:
    @strawberry.field(description="Public: no token needed.")
    async def credit_packs(self) -> list[CreditPack]:
        return [CreditPack.from_row(row) for row in await credit_packs()]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def credits(self, info: Info, user_id: strawberry.ID | None = UNSET) -> CreditAccount:
        caller = require_caller(info)
        account = await query_or_error(credit_account(caller, given(user_id), info.context.clock()))
        return CreditAccount.of(account)


# ------------------------------------------------------------------ mutations


@strawberry.input
class BuyCreditsInput:
    pack_id: strawberry.ID
    idempotency_key: str
    mobile_api_version: str | None = None
    payment_method_id: strawberry.ID | None = None


@strawberry.type
class BuyCreditsPayload:
    payment: Payment | None = strawberry.field(
        default=None, description="Credits are added when this payment succeeds, exactly once."
    )
    client_secret: str | None = None
    customer_id: str | None = None
    ephemeral_key: str | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class SpendCreditsInput:
    amount: int
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only admins and services may spend for another user."
    )
    reason: str | None = None
    idempotency_key: str


@strawberry.type
class CreditsPayload:
    account: CreditAccount | None = None
    transaction: CreditTransaction | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class GrantCreditsInput:
    user_id: strawberry.ID
    amount: int = strawberry.field(
        description="Positive grants, negative removes (never below zero)."
    )
    reason: str
    expires_at: datetime | None = None
    idempotency_key: str | None = None


async def _buy(info: Info, input: BuyCreditsInput) -> BuyCreditsPayload:
    context = info.context
    created = await buy_credits(
        require_caller(info),
        pack_id=str(input.pack_id),
        idempotency_key=input.idempotency_key,
        mobile_api_version=input.mobile_api_version,
        payment_method_id=None if input.payment_method_id is None else str(input.payment_method_id),
        settings=context.settings,
        gateway=context.stripe(),
    )
    return BuyCreditsPayload(
        payment=Payment.from_row(created.payment, info),
        client_secret=created.client_secret,
        customer_id=created.customer_id,
        ephemeral_key=created.ephemeral_key,
    )


async def _account_after(info: Info, row: rows.CreditTransaction) -> CreditsPayload:
    """The transaction and the account as it stands now."""
    account = await account_of(row.user_id, info.context.clock())
    return CreditsPayload(
        account=CreditAccount.of(account), transaction=CreditTransaction.from_row(row)
    )


async def _spend(info: Info, input: SpendCreditsInput) -> CreditsPayload:
    row = await spend_credits(
        require_caller(info),
        amount=input.amount,
        user_id=None if input.user_id is None else str(input.user_id),
        reason=input.reason,
        idempotency_key=input.idempotency_key,
        now=info.context.clock(),
    )
    return await _account_after(info, row)


async def _grant(info: Info, input: GrantCreditsInput) -> CreditsPayload:
    row = await grant_credits(
        require_caller(info),
        user_id=str(input.user_id),
        amount=input.amount,
        reason=input.reason,
        expires_at=input.expires_at,
        idempotency_key=input.idempotency_key,
        now=info.context.clock(),
    )
    return await _account_after(info, row)


@strawberry.type
class CreditMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def buy_credits(self, info: Info, input: BuyCreditsInput) -> BuyCreditsPayload:
        return await payload_or_errors(BuyCreditsPayload, _buy(info, input))

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def spend_credits(self, info: Info, input: SpendCreditsInput) -> CreditsPayload:
        return await payload_or_errors(CreditsPayload, _spend(info, input))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Administrators only.")
    async def grant_credits(self, info: Info, input: GrantCreditsInput) -> CreditsPayload:
        return await payload_or_errors(CreditsPayload, _grant(info, input))
