"""Customers and saved payment methods: the billing profile, cards saved with
SetupIntents, the default method, removing one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import UNSET

from billing.customers import ADDRESS_FIELDS, CustomerUpdate, find_customer, update_customer
from billing.payment_methods import (
    SavedMethod,
    create_setup_intent,
    detach_payment_method,
    list_payment_methods,
    set_default_payment_method,
)
from graph.arguments import given
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.permissions import IsAuthenticated, require_caller
from graph.subscriptions import Subscription
from models import customers as rows


@strawberry.type
class Address:
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2.")

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> Address | None:
        if not stored:
            return None
        # Stripe's keys are the attributes' Python names (postal_code).
        return cls(**{key: stored.get(key) for key in ADDRESS_FIELDS})


@strawberry.type
class PaymentMethod:
    id: strawberry.ID = strawberry.field(
        description="Stripe's pm_... id (the client SDKs need it)."
    )
    type: str = strawberry.field(description="card, sepa_debit, link, ...")
    brand: str | None = strawberry.field(description="visa, mastercard, amex ... (cards only).")
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    wallet: str | None = strawberry.field(
        description="apple_pay or google_pay when the card came from a wallet."
    )
    is_default: bool

    @classmethod
    def from_row(cls, row: rows.PaymentMethod, is_default: bool) -> PaymentMethod:
        return cls(
            id=strawberry.ID(row.stripe_payment_method_id),
            type=row.type,
            brand=row.brand,
            last4=row.last4,
            exp_month=row.exp_month,
            exp_year=row.exp_year,
            wallet=row.wallet,
            is_default=is_default,
        )

    @classmethod
    def of(cls, saved: SavedMethod) -> PaymentMethod:
        return cls.from_row(saved.method, saved.is_default)


@strawberry.type
class Customer:
    user_id: strawberry.ID
    email: str | None
    name: str | None
    address: Address | None
    stripe_customer_id: str
    created_at: datetime
    row: strawberry.Private[rows.Customer]

    @strawberry.field
    async def default_payment_method(self, info: Info) -> PaymentMethod | None:
        stripe_id = self.row.default_payment_method
        if stripe_id is None:
            return None
        method = await info.context.loaders.payment_methods_by_stripe_id.load(stripe_id)
        if method is None or method.customer_id != self.row.id:  # type: ignore[attr-defined]
            return None
        return PaymentMethod.from_row(method, is_default=True)

    @strawberry.field(description="The newest live (trialing, active, past due) subscription.")
    async def current_subscription(self, info: Info) -> Subscription | None:
        row = await info.context.loaders.current_subscriptions.load(self.row.user_id)
        return None if row is None else Subscription.from_row(row)

    @strawberry.field(description="The credits wallet's balance.")
    async def credit_balance(self, info: Info) -> int:
        return await info.context.loaders.credit_balances.load(self.row.user_id)

    @strawberry.field(
        description="Settled payments less their refunds, per currency, over the customer's life."
    )
    async def lifetime_paid(self, info: Info) -> list[Money]:
        paid = await info.context.loaders.lifetime_paid.load(self.row.user_id)
        return [Money.of(amount, currency) for currency, amount in paid]

    @classmethod
    def from_row(cls, row: rows.Customer) -> Customer:
        return cls(
            user_id=strawberry.ID(row.user_id),
            email=row.email,
            name=row.name,
            address=Address.of(row.address),
            stripe_customer_id=row.stripe_customer_id,
            created_at=row.created_at,
            row=row,
        )


@strawberry.type
class CustomerQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Null until the user's first Stripe-backed action.",
    )
    async def customer(self, info: Info, user_id: strawberry.ID | None = UNSET) -> Customer | None:
        found = await query_or_error(find_customer(require_caller(info), given(user_id)))
        return None if found is None else Customer.from_row(found)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def payment_methods(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> list[PaymentMethod]:
        saved = await query_or_error(list_payment_methods(require_caller(info), given(user_id)))
        return [PaymentMethod.of(s) for s in saved]


# ---------------------------------------------------------------- mutations


@strawberry.input
class CreateSetupIntentInput:
    idempotency_key: str
    mobile_api_version: str | None = None


@strawberry.type
class CreateSetupIntentPayload:
    client_secret: str | None = strawberry.field(
        default=None,
        description="Confirm with Stripe.js or the PaymentSheet to save a payment method.",
    )
    customer_id: str | None = None
    ephemeral_key: str | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class PaymentMethodIdInput:
    payment_method_id: strawberry.ID


@strawberry.type
class PaymentMethodsPayload:
    payment_methods: list[PaymentMethod] = strawberry.field(
        default_factory=list, description="The caller's payment methods after the change."
    )
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class AddressInput:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


@strawberry.input
class UpdateCustomerInput:
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins and services only."
    )
    name: str | None = None
    address: AddressInput | None = None


@strawberry.type
class UpdateCustomerPayload:
    customer: Customer | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _create_setup_intent(
    info: Info, input: CreateSetupIntentInput
) -> CreateSetupIntentPayload:
    created = await create_setup_intent(
        require_caller(info), input.idempotency_key, input.mobile_api_version, info.context.stripe()
    )
    return CreateSetupIntentPayload(
        client_secret=created.client_secret,
        customer_id=created.customer_id,
        ephemeral_key=created.ephemeral_key,
    )


async def _set_default(info: Info, input: PaymentMethodIdInput) -> PaymentMethodsPayload:
    saved = await set_default_payment_method(
        require_caller(info), str(input.payment_method_id), info.context.stripe()
    )
    return PaymentMethodsPayload(payment_methods=[PaymentMethod.of(s) for s in saved])


async def _detach(info: Info, input: PaymentMethodIdInput) -> PaymentMethodsPayload:
    saved = await detach_payment_method(
        require_caller(info), str(input.payment_method_id), info.context.stripe()
    )
    return PaymentMethodsPayload(payment_methods=[PaymentMethod.of(s) for s in saved])


async def _update_customer(info: Info, input: UpdateCustomerInput) -> UpdateCustomerPayload:
    address = None
    if input.address is not None:
        address = {key: getattr(input.address, key) for key in ADDRESS_FIELDS}
    update = CustomerUpdate(
        user_id=None if input.user_id is None else str(input.user_id),
        name=input.name,
        address=address,
    )
    customer = await update_customer(require_caller(info), update, info.context.stripe())
    return UpdateCustomerPayload(customer=Customer.from_row(customer))


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_setup_intent(
        self, info: Info, input: CreateSetupIntentInput
    ) -> CreateSetupIntentPayload:
        return await payload_or_errors(CreateSetupIntentPayload, _create_setup_intent(info, input))

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def set_default_payment_method(
        self, info: Info, input: PaymentMethodIdInput
    ) -> PaymentMethodsPayload:
        return await payload_or_errors(PaymentMethodsPayload, _set_default(info, input))

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def detach_payment_method(
        self, info: Info, input: PaymentMethodIdInput
    ) -> PaymentMethodsPayload:
        return await payload_or_errors(PaymentMethodsPayload, _detach(info, input))

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_customer(
        self, info: Info, input: UpdateCustomerInput
    ) -> UpdateCustomerPayload:
        return await payload_or_errors(UpdateCustomerPayload, _update_customer(info, input))
