"""The only module that talks to Stripe.

Everything else sees plain JSON dicts (the same shape as webhook payloads, so
a handler parses one form whether the data came from an event or a fetch)
and ``BillingError``s. Requests are typed by the SDK's generated params, so
mypy checks what we send against the pinned API version.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Coroutine
from typing import Any, Literal, TypeVar, get_args, get_type_hints
from urllib.parse import quote_plus

import stripe
from stripe._base_address import BaseAddresses
from stripe.params import (
    CustomerCreateParams,
    CustomerUpdateParams,
    EventListParams,
    InvoiceCreatePreviewParams,
    InvoicePaymentListParams,
    PaymentIntentCreateParams,
    PriceCreateParams,
    PriceListParams,
    PriceModifyParams,
    ProductModifyParams,
    RefundCreateParams,
    RefundListParams,
    SetupIntentCreateParams,
    SubscriptionCreateParams,
    SubscriptionRetrieveParams,
    SubscriptionScheduleCreateParams,
    SubscriptionScheduleUpdateParams,
    SubscriptionUpdateParams,
)
from stripe.params import (
    ProductCreateParams as ProductCreateParams,  # for billing.catalog
)
from stripe.params.checkout import SessionCreateParams
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connections

from billing.errors import BillingError, ErrorCode
from billing.metrics import STRIPE_CALLS, STRIPE_ERRORS, STRIPE_LATENCY
from billing.settings import Settings

log = logging.getLogger(__name__)

# httpcore (under the SDK's httpx) runs `import sniffio` twice per request and
# falls back to asyncio when it is missing, as it is here; a missing module is
# searched for on sys.path again at every import (a tenth of a webhook's CPU).
# Recording its absence makes that import fail at once.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

API_VERSION: str = stripe.api_version
# Every event type of the pinned API version, from the SDK's own annotations.
EVENT_TYPES: frozenset[str] = frozenset(get_args(get_type_hints(stripe.Event)["type"]))
StripeObject = dict[str, Any]
RefundReason = Literal["duplicate", "fraudulent", "requested_by_customer"]
T = TypeVar("T")
# What the subscription mirror reads of a subscription beyond its own fields
# (the schedule holds a plan change waiting for the period end).
SUBSCRIPTION_EXPAND = ["discounts.source.coupon", "discounts.promotion_code", "schedule"]
_REJECTED = "The payment provider rejected the request."


class StripeObjectMissing(Exception):
    """Stripe answered 404 for an object we asked about by id."""


class StripeInTransaction(RuntimeError):
    """A Stripe call was made while a database transaction was open."""


def in_transaction() -> bool:
    """Whether this task holds an open database transaction (Tortoise keeps
    it per task, so another request's transaction doesn't count)."""
    try:
        opened = get_connections()._get_storage().values()
    except RuntimeError:  # Tortoise not initialised: no database, no transaction
        return False
    return any(isinstance(connection, TransactionalDBClient) for connection in opened)


class CustomerMissing(BillingError):
    """Stripe refused a request because the ``customer`` it names no longer exists; a
    caller that can create it again catches this, the others see PAYMENT_FAILED."""


class CardDeclined(BillingError):
    """CARD_DECLINED, with the PaymentIntent Stripe made and failed, when the request
    created one (a confirmed create): it exists in Stripe, so it is a payment of ours."""

    def __init__(self, message: str, payment_intent: StripeObject | None) -> None:
        super().__init__(ErrorCode.CARD_DECLINED, message)
        self.payment_intent = payment_intent


def _translate(exc: stripe.StripeError) -> Exception:
    """Map a Stripe failure to what the caller may see; log the rest."""
    if isinstance(exc, stripe.CardError):
        body = exc.json_body if isinstance(exc.json_body, dict) else {}
        intent = (body.get("error") or {}).get("payment_intent")
        return CardDeclined(
            exc.user_message or "The card was declined.",
            intent if isinstance(intent, dict) else None,
        )
    if isinstance(exc, stripe.IdempotencyError):
        return BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotency key was already used with different parameters.",
        )
    if isinstance(exc, stripe.RateLimitError):
        return BillingError(ErrorCode.RATE_LIMITED, "Too many requests to Stripe; retry shortly.")
    if isinstance(exc, stripe.InvalidRequestError) and exc.http_status == 404:
        return StripeObjectMissing(exc.user_message or "No such object")
    if exc.code == "resource_missing" and getattr(exc, "param", None) == "customer":
        log.warning("stripe no longer knows the customer: %s", exc.user_message)
        return CustomerMissing(ErrorCode.PAYMENT_FAILED, _REJECTED)
    if isinstance(exc, stripe.APIConnectionError | stripe.APIError):
        log.warning("stripe unavailable: %s", type(exc).__name__)
        return BillingError(
            ErrorCode.STRIPE_UNAVAILABLE, "The payment provider is unreachable; retry shortly."
        )
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        log.error("stripe refused our credentials: %s", type(exc).__name__)
        return BillingError(
            ErrorCode.STRIPE_UNAVAILABLE, "The payment provider is not configured correctly."
        )
    log.error(
        "stripe rejected a request: %s code=%s param=%s message=%s",
        type(exc).__name__,
        exc.code,
        getattr(exc, "param", None),
        exc.user_message,
    )
    return BillingError(ErrorCode.PAYMENT_FAILED, _REJECTED)


def _method(request: Awaitable[object]) -> str:
    """The SDK method a request came from: ``PaymentIntent.create`` for
    ``PaymentIntentService.create_async``."""
    service, _, method = getattr(request, "__qualname__", "unknown").rpartition(".")
    return f"{service.removesuffix('Service')}.{method.removesuffix('_async')}".lstrip(".")


class StripeGateway:
    """Async Stripe access with retries, error translation and idempotency keys."""

    def __init__(self, settings: Settings) -> None:
        if settings.stripe_secret_key is None:
            raise BillingError(ErrorCode.STRIPE_UNAVAILABLE, "STRIPE_SECRET_KEY is not set")
        base: BaseAddresses = {}
        if settings.stripe_api_base:
            base["api"] = settings.stripe_api_base
        self._client = stripe.StripeClient(
            settings.stripe_secret_key.get_secret_value(),
            base_addresses=base,
            max_network_retries=settings.stripe_max_network_retries,
            http_client=stripe.HTTPXClient(timeout=settings.stripe_timeout),
        )
        self._raise_in_transaction = settings.stripe_in_transaction == "raise"

    def _guard(self) -> None:
        """Stripe may take seconds to answer; a transaction held meanwhile
        blocks every writer on SQLite and the locked rows on PostgreSQL."""
        if not in_transaction():
            return
        if self._raise_in_transaction:
            raise StripeInTransaction("Stripe called inside a database transaction")
        log.error("Stripe called inside a database transaction", stack_info=True)

    async def _call(self, request: Awaitable[T], method: str | None = None) -> T:
        """``request`` with the guard, metrics (``method``: the label, else the
        SDK method's name) and error translation."""
        try:
            self._guard()
        except StripeInTransaction:
            if isinstance(request, Coroutine):
                request.close()  # never sent
            raise
        method = method or _method(request)
        STRIPE_CALLS.labels(method).inc()
        started = time.perf_counter()
        try:
            return await request
        except stripe.StripeError as exc:
            STRIPE_ERRORS.labels(method, type(exc).__name__).inc()
            raise _translate(exc) from None
        finally:
            STRIPE_LATENCY.labels(method).observe(time.perf_counter() - started)

    async def _retrieve(
        self, kind: str, object_id: str, params: dict[str, Any] | None = None
    ) -> StripeObject:
        """A GET by id as the JSON Stripe sent (a raw request: no StripeObject
        built to be turned back into a dict, the webhook path's main cost); a
        404 says which object Stripe doesn't know. Metrics name it as the SDK
        would (``PaymentIntent.retrieve``)."""
        label = "".join(part.title() for part in kind.split("_")) + ".retrieve"
        path = f"/v1/{kind}s/{quote_plus(object_id)}"
        try:
            found = await self._call(
                self._client.raw_request_async("get", path, **(params or {})), label
            )
        except StripeObjectMissing:
            raise StripeObjectMissing(f"{kind} {object_id} not found in Stripe") from None
        answer: StripeObject = found.data
        return answer

    @staticmethod
    def _options(idempotency_key: str | None) -> stripe.RequestOptions:
        return {"idempotency_key": idempotency_key} if idempotency_key else {}

    # ------------------------------------------------------------- events

    async def list_events(self, created_gte: int) -> AsyncIterator[StripeObject]:
        """Every event since ``created_gte``, oldest page last (Stripe's order)."""
        params: EventListParams = {"created": {"gte": created_gte}, "limit": 100}
        while True:
            page = await self._call(self._client.v1.events.list_async(params))
            for event in page.data:
                yield event.to_dict(for_json=True)
            if not page.has_more or not page.data:
                return
            params["starting_after"] = page.data[-1].id

    async def list_webhook_endpoints(self) -> list[StripeObject]:
        """The account's webhook endpoints (Stripe allows 16), with their API versions."""
        listed = await self._call(self._client.v1.webhook_endpoints.list_async({"limit": 100}))
        return [endpoint.to_dict(for_json=True) for endpoint in listed.data]

    # ------------------------------------------------------------ catalog

    async def retrieve_product(self, product_id: str) -> StripeObject:
        return await self._retrieve("product", product_id)

    async def create_product(
        self, params: ProductCreateParams, idempotency_key: str
    ) -> StripeObject:
        product = await self._call(
            self._client.v1.products.create_async(params, self._options(idempotency_key))
        )
        return product.to_dict(for_json=True)

    async def update_product(self, product_id: str, params: ProductModifyParams) -> StripeObject:
        product = await self._call(self._client.v1.products.update_async(product_id, params))
        return product.to_dict(for_json=True)

    async def retrieve_price(self, price_id: str) -> StripeObject:
        return await self._retrieve("price", price_id)

    async def prices_by_lookup_keys(self, lookup_keys: list[str]) -> list[StripeObject]:
        """Active and inactive prices holding these lookup keys (Stripe: at most 10 a call)."""
        found: list[StripeObject] = []
        for start in range(0, len(lookup_keys), 10):
            params: PriceListParams = {"lookup_keys": lookup_keys[start : start + 10], "limit": 100}
            listed = await self._call(self._client.v1.prices.list_async(params))
            found.extend(item.to_dict(for_json=True) for item in listed.data)
        return found

    async def create_price(self, params: PriceCreateParams, idempotency_key: str) -> StripeObject:
        price = await self._call(
            self._client.v1.prices.create_async(params, self._options(idempotency_key))
        )
        return price.to_dict(for_json=True)

    async def update_price(self, price_id: str, params: PriceModifyParams) -> StripeObject:
        price = await self._call(self._client.v1.prices.update_async(price_id, params))
        return price.to_dict(for_json=True)

    # ---------------------------------------------------------- customers

    async def create_customer(
        self, params: CustomerCreateParams, idempotency_key: str
    ) -> StripeObject:
        customer = await self._call(
            self._client.v1.customers.create_async(params, self._options(idempotency_key))
        )
        return customer.to_dict(for_json=True)

    async def update_customer(self, customer_id: str, params: CustomerUpdateParams) -> StripeObject:
        customer = await self._call(self._client.v1.customers.update_async(customer_id, params))
        return customer.to_dict(for_json=True)

    async def retrieve_customer(self, customer_id: str) -> StripeObject:
        return await self._retrieve("customer", customer_id)

    async def create_setup_intent(
        self, params: SetupIntentCreateParams, idempotency_key: str
    ) -> StripeObject:
        intent = await self._call(
            self._client.v1.setup_intents.create_async(params, self._options(idempotency_key))
        )
        return intent.to_dict(for_json=True)

    async def retrieve_payment_method(self, payment_method_id: str) -> StripeObject:
        method = await self._call(self._client.v1.payment_methods.retrieve_async(payment_method_id))
        return method.to_dict(for_json=True)

    async def detach_payment_method(self, payment_method_id: str) -> StripeObject:
        method = await self._call(self._client.v1.payment_methods.detach_async(payment_method_id))
        return method.to_dict(for_json=True)

    # ----------------------------------------------------------- payments

    async def create_payment_intent(
        self, params: PaymentIntentCreateParams, idempotency_key: str
    ) -> StripeObject:
        intent = await self._call(
            self._client.v1.payment_intents.create_async(params, self._options(idempotency_key))
        )
        return intent.to_dict(for_json=True)

    async def retrieve_payment_intent(self, intent_id: str) -> StripeObject:
        return await self._retrieve("payment_intent", intent_id)

    async def create_ephemeral_key(self, customer_id: str, api_version: str) -> StripeObject:
        """A key for the mobile SDK, minted for the SDK's own API version."""
        key = await self._call(
            self._client.v1.ephemeral_keys.create_async(
                {"customer": customer_id}, {"stripe_version": api_version}
            )
        )
        return key.to_dict(for_json=True)

    async def create_refund(
        self,
        payment_intent: str,
        amount: int,
        reason: RefundReason | None,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> StripeObject:
        params: RefundCreateParams = {
            "payment_intent": payment_intent,
            "amount": amount,
            "metadata": metadata,
        }
        if reason:
            params["reason"] = reason
        refund = await self._call(
            self._client.v1.refunds.create_async(params, self._options(idempotency_key))
        )
        return refund.to_dict(for_json=True)

    async def retrieve_refund(self, refund_id: str) -> StripeObject:
        return await self._retrieve("refund", refund_id)

    async def retrieve_dispute(self, dispute_id: str) -> StripeObject:
        return await self._retrieve("dispute", dispute_id)

    async def list_refunds(self, charge_id: str) -> list[StripeObject]:
        params: RefundListParams = {"charge": charge_id, "limit": 100}
        refunds: list[StripeObject] = []
        while True:
            page = await self._call(self._client.v1.refunds.list_async(params))
            refunds.extend(refund.to_dict(for_json=True) for refund in page.data)
            if not page.has_more or not page.data:
                return refunds
            params["starting_after"] = page.data[-1].id

    # ------------------------------------------------------ subscriptions

    async def create_checkout_session(
        self, params: SessionCreateParams, idempotency_key: str
    ) -> StripeObject:
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(params, self._options(idempotency_key))
        )
        return session.to_dict(for_json=True)

    async def retrieve_subscription(
        self, subscription_id: str, expand: list[str] | None = None
    ) -> StripeObject:
        """With its discounts' coupon and promotion code (Stripe serves
        Discount objects only expanded), and whatever ``expand`` adds."""
        params: SubscriptionRetrieveParams = {"expand": [*SUBSCRIPTION_EXPAND, *(expand or [])]}
        return await self._retrieve("subscription", subscription_id, dict(params))

    async def update_subscription(
        self,
        subscription_id: str,
        params: SubscriptionUpdateParams,
        idempotency_key: str | None = None,
    ) -> StripeObject:
        subscription = await self._call(
            self._client.v1.subscriptions.update_async(
                subscription_id, params, self._options(idempotency_key)
            )
        )
        return subscription.to_dict(for_json=True)

    async def cancel_subscription(self, subscription_id: str) -> StripeObject:
        """End it now (``DELETE /v1/subscriptions/{id}``)."""
        subscription = await self._call(self._client.v1.subscriptions.cancel_async(subscription_id))
        return subscription.to_dict(for_json=True)

    async def retrieve_invoice(self, invoice_id: str) -> StripeObject:
        """The invoice with its ``payments`` (an includable field: Stripe sends
        it only when expanded), all of them even past the first page."""
        invoice = await self._retrieve("invoice", invoice_id, {"expand": ["payments"]})
        if (invoice.get("payments") or {}).get("has_more"):
            invoice["payments"] = {"data": await self._invoice_payments(invoice_id)}
        return invoice

    async def _invoice_payments(self, invoice_id: str) -> list[StripeObject]:
        params: InvoicePaymentListParams = {"invoice": invoice_id, "limit": 100}
        payments: list[StripeObject] = []
        while True:
            page = await self._call(self._client.v1.invoice_payments.list_async(params))
            payments.extend(payment.to_dict(for_json=True) for payment in page.data)
            if not page.has_more or not page.data:
                return payments
            params["starting_after"] = page.data[-1].id

    async def create_billing_portal_session(
        self, customer_id: str, return_url: str
    ) -> StripeObject:
        session = await self._call(
            self._client.v1.billing_portal.sessions.create_async(
                {"customer": customer_id, "return_url": return_url}
            )
        )
        return session.to_dict(for_json=True)

    # ---------------------------------------------------- checkout sessions

    async def retrieve_checkout_session(self, session_id: str) -> StripeObject:
        session = await self._call(self._client.v1.checkout.sessions.retrieve_async(session_id))
        return session.to_dict(for_json=True)

    async def expire_checkout_session(self, session_id: str, idempotency_key: str) -> StripeObject:
        """Close an open session: paying it is refused from now on."""
        session = await self._call(
            self._client.v1.checkout.sessions.expire_async(
                session_id, options=self._options(idempotency_key)
            )
        )
        return session.to_dict(for_json=True)

    # ------------------------------------------------------- plan changes

    async def preview_invoice(self, params: InvoiceCreatePreviewParams) -> StripeObject:
        """What Stripe would invoice (``POST /v1/invoices/create_preview``)."""
        preview = await self._call(self._client.v1.invoices.create_preview_async(params))
        return preview.to_dict(for_json=True)

    async def create_subscription_schedule(
        self, params: SubscriptionScheduleCreateParams, idempotency_key: str | None
    ) -> StripeObject:
        schedule = await self._call(
            self._client.v1.subscription_schedules.create_async(
                params, self._options(idempotency_key)
            )
        )
        return schedule.to_dict(for_json=True)

    async def update_subscription_schedule(
        self,
        schedule_id: str,
        params: SubscriptionScheduleUpdateParams,
        idempotency_key: str | None,
    ) -> StripeObject:
        schedule = await self._call(
            self._client.v1.subscription_schedules.update_async(
                schedule_id, params, self._options(idempotency_key)
            )
        )
        return schedule.to_dict(for_json=True)

    async def release_subscription_schedule(
        self, schedule_id: str, idempotency_key: str
    ) -> StripeObject:
        """Stop the schedule; the subscription stays as it is now."""
        schedule = await self._call(
            self._client.v1.subscription_schedules.release_async(
                schedule_id, options=self._options(idempotency_key)
            )
        )
        return schedule.to_dict(for_json=True)

    # ------------------------------------------------ subscriptions paid in the app

    async def create_subscription(
        self, params: SubscriptionCreateParams, idempotency_key: str
    ) -> StripeObject:
        subscription = await self._call(
            self._client.v1.subscriptions.create_async(params, self._options(idempotency_key))
        )
        return subscription.to_dict(for_json=True)
