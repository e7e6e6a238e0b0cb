"""Each user's Stripe customer, created lazily and exactly once, and created again when
Stripe no longer knows it (deleted in the dashboard, or a sandbox that was reset); the
billing profile (name, address) kept on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from billing.access import acting_for
from billing.audit import for_another_user
from billing.countries import COUNTRY_CODES
from billing.errors import BillingError, ErrorCode
from billing.events import DomainEvent, record
from billing.idempotency import stripe_key
from billing.pagination import Page, paginate
from billing.stripe_gateway import (
    CustomerMissing,
    StripeGateway,
    StripeObject,
    StripeObjectMissing,
)
from billing.tokens import Caller
from models.customers import Customer

T = TypeVar("T")


async def ensure_customer(caller: Caller, gateway: StripeGateway) -> Customer:
    """The caller's customer, creating it on first use.

    Two first requests racing both reach Stripe with the same idempotency key
    (so Stripe makes one customer) and the unique user_id lets one insert win.
    Later email changes in the token are pushed to Stripe.
    """
    customer = await Customer.get_or_none(user_id=caller.user_id)
    if customer is None:
        created = await _create_in_stripe(caller, gateway, stripe_key(caller.user_id, "customer"))
        try:
            return await Customer.create(
                user_id=caller.user_id, stripe_customer_id=created["id"], email=caller.email
            )
        except IntegrityError:
            return await Customer.get(user_id=caller.user_id)
    if caller.email and caller.email != customer.email:
        try:
            await gateway.update_customer(customer.stripe_customer_id, {"email": caller.email})
        except StripeObjectMissing:
            return await recreate_customer(caller, gateway, customer)
        customer.email = caller.email
        await customer.save(update_fields=["email", "updated_at"])
    return customer


async def with_customer(
    caller: Caller, gateway: StripeGateway, call: Callable[[str], Awaitable[T]]
) -> tuple[Customer, T]:
    """``call(stripe_customer_id)`` for the caller's customer; when Stripe answers that the
    customer no longer exists, recreate it once and call again."""
    customer = await ensure_customer(caller, gateway)
    try:
        return customer, await call(customer.stripe_customer_id)
    except CustomerMissing:
        customer = await recreate_customer(caller, gateway, customer)
        return customer, await call(customer.stripe_customer_id)


async def recreate_customer(caller: Caller, gateway: StripeGateway, gone: Customer) -> Customer:
    """A new Stripe customer in place of ``gone``'s, which Stripe no longer knows.

    The idempotency key names the customer being replaced: the first key maps to the
    deleted customer, and requests racing to replace the same one get the same new
    customer from Stripe. The row moves only if it still names the gone customer
    (a compare-and-set, no transaction around the Stripe call).
    """
    key = stripe_key(caller.user_id, "customer", "replaces", gone.stripe_customer_id)
    created = await _create_in_stripe(caller, gateway, key)
    await Customer.filter(id=gone.id, stripe_customer_id=gone.stripe_customer_id).update(
        stripe_customer_id=created["id"], email=caller.email or gone.email
    )
    return await Customer.get(id=gone.id)


async def _create_in_stripe(
    caller: Caller, gateway: StripeGateway, idempotency_key: str
) -> dict[str, object]:
    return await gateway.create_customer(
        {
            "metadata": {"user_id": caller.user_id},
            **({"email": caller.email} if caller.email else {}),
        },
        idempotency_key=idempotency_key,
    )


MAX_NAME = 200
MAX_ADDRESS_LINE = 200
MAX_SEARCH = 320  # the longest email
# Address keys as Stripe names them -> as the GraphQL input names them.
ADDRESS_FIELDS = {
    "line1": "line1",
    "line2": "line2",
    "city": "city",
    "state": "state",
    "postal_code": "postalCode",
    "country": "country",
}


@dataclass(frozen=True, slots=True)
class CustomerUpdate:
    """What updateCustomer asks; None leaves a part as it is. ``address``
    replaces the whole address (keys of ADDRESS_FIELDS)."""

    user_id: str | None
    name: str | None
    address: dict[str, str | None] | None


async def find_customer(caller: Caller, user_id: str | None) -> Customer | None:
    """The user's billing profile; None before their first Stripe-backed action."""
    return await Customer.get_or_none(user_id=acting_for(caller, user_id))


def _invalid(message: str, field: str) -> BillingError:
    return BillingError(ErrorCode.INVALID_INPUT, message, field)


def _checked_name(name: str) -> str:
    name = name.strip()
    if len(name) > MAX_NAME or not name.isprintable():
        raise _invalid(f"name must be at most {MAX_NAME} printable characters.", "name")
    return name


def _checked_address(address: dict[str, str | None]) -> dict[str, str]:
    """The address's non-blank parts; the country as an ISO 3166-1 alpha-2 code."""
    checked: dict[str, str] = {}
    for key, value in address.items():
        field = f"address.{ADDRESS_FIELDS[key]}"
        value = (value or "").strip()
        if len(value) > MAX_ADDRESS_LINE or not value.isprintable():
            raise _invalid(
                f"{field} must be at most {MAX_ADDRESS_LINE} printable characters.", field
            )
        if value:
            checked[key] = value
    if "country" in checked:
        checked["country"] = checked["country"].upper()
        if checked["country"] not in COUNTRY_CODES:
            raise _invalid(
                "address.country must be an ISO 3166-1 alpha-2 country code, such as US or DE.",
                "address.country",
            )
    return checked


async def update_customer(
    caller: Caller, update: CustomerUpdate, gateway: StripeGateway
) -> Customer:
    """Set the name and address on the Stripe customer, then on the row. Every
    part is checked before Stripe is asked; admins and services may update any
    user that has a customer."""
    user_id = acting_for(caller, update.user_id)
    params: dict[str, Any] = {}
    if update.name is not None:
        params["name"] = _checked_name(update.name)  # "" unsets it in Stripe
    if update.address is not None:
        params["address"] = _checked_address(update.address) or ""
    if user_id == caller.user_id:
        customer = await ensure_customer(caller, gateway)
    else:
        found = await Customer.get_or_none(user_id=user_id)
        if found is None:
            raise BillingError(
                ErrorCode.NOT_FOUND, "This user has no billing profile yet.", "userId"
            )
        customer = found
    if not params:
        return customer
    answer = await gateway.update_customer(customer.stripe_customer_id, params)  # type: ignore[arg-type]
    values = profile(answer)
    details = {"userId": user_id, "name": update.name, "address": update.address}
    note = for_another_user(caller, "updateCustomer", user_id, details)
    async with in_transaction():
        # The customer.updated webhook may have written it first (and told consumers).
        locked = await Customer.select_for_update().get(id=customer.id)
        if any(getattr(locked, key) != value for key, value in values.items()):
            await locked.update_from_dict(values).save(update_fields=[*values, "updated_at"])
            await record([customer_updated(locked)])
        if note is not None:
            await note.record()
    return await Customer.get(id=customer.id)


def profile(stripe_customer: StripeObject) -> dict[str, Any]:
    """The columns a Stripe customer object sets on our row."""
    address = stripe_customer.get("address")
    return {
        "name": stripe_customer.get("name") or None,
        "address": {key: address.get(key) for key in ADDRESS_FIELDS} if address else None,
    }


def customer_updated(customer: Customer) -> DomainEvent:
    """The ``customer.updated`` domain event, in the public API's shape."""
    address = customer.address
    payload: dict[str, Any] = {
        "userId": customer.user_id,
        "stripeCustomerId": customer.stripe_customer_id,
        "name": customer.name,
        "address": (
            {field: address.get(key) for key, field in ADDRESS_FIELDS.items()} if address else None
        ),
        "defaultPaymentMethod": customer.default_payment_method,
    }
    return DomainEvent("customer.updated", customer.user_id, payload)


async def search_customers(
    caller: Caller, search: str | None, first: int | None, after: str | None
) -> Page[Customer]:
    """Administrators find a customer by exact user id or Stripe customer id,
    or by part of the email or name (any case); newest first."""
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Searching customers is for administrators.")
    query = Customer.all()
    text = (search or "").strip()
    if len(text) > MAX_SEARCH:
        raise _invalid(f"search must be at most {MAX_SEARCH} characters.", "search")
    if text:
        query = query.filter(
            Q(user_id=text)
            | Q(stripe_customer_id=text)
            | Q(email__icontains=text)
            | Q(name__icontains=text)
        )
    return await paginate(query, first, after)
