"""Invoices (``/v1/invoices``) of subscriptions, in today's shape: the subscription under
``parent.subscription_details`` (with its metadata), prices under each line's
``pricing.price_details``, and the PaymentIntents paying it under ``payments``, an
includable field (only with ``expand[]=payments``, never in events, as on Stripe).
``POST /v1/invoices/{id}/pay`` with ``paid_out_of_band`` marks it paid with no payment.

localstripe's Invoice is the 2017 one; none of its legacy fields (``subscription``,
``charge``, ``payment_intent``, ``paid``, ``tax``, ``tax_percent``, ``date``,
``discount``, ``customer``'s ``account_balance`` as ``starting_balance`` ...) appear here.
An invoice is created, finalized and charged at once (Stripe waits about an hour between
creation and finalization of a renewal invoice): ``invoice.created``,
``invoice.finalized``, then through its PaymentIntent either ``invoice.paid`` and
``invoice.payment_succeeded``, ``invoice.payment_failed`` or
``invoice.payment_action_required``; a payment still ``processing`` keeps it open until
it settles. Its subscription hears each outcome.

The subscription's discounts (sandbox.promotions) take their share of the subtotal
(``discounts``, ``total_discount_amounts``): a ``once`` coupon on the first invoice only,
a ``repeating`` one until its ``end``.

An invoice takes its subscription's pending proration items (sandbox.invoice_items) as
lines, before the period's own. A negative total (a downgrade's credit) is not paid back:
it becomes the customer's credit ``balance``, which the next invoices use up first
(``starting_balance``, ``ending_balance``, ``amount_due``).
"""

import time
from typing import Any

from localstripe.resources import Customer, PaymentMethod, StripeObject, random_id, store

from sandbox import listing
from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.invoice_items import InvoiceItem
from sandbox.invoice_lines import InvoiceLineItem
from sandbox.invoice_payments import InvoicePayment
from sandbox.params import Params
from sandbox.payment_intents import PaymentIntent
from sandbox.promotions import applied_discounts

_STATUSES = ("draft", "open", "paid", "uncollectible", "void")
# Fields that stay null in the sandbox (taxes, Connect, rendering, shipping ...).
_NULLS = (
    "account_tax_ids", "application", "automatically_finalizes_at", "custom_fields",
    "customer_account", "status_details",
    "customer_shipping", "default_payment_method", "default_source", "description",
    "due_date", "effective_at", "ending_balance", "footer", "from_invoice",
    "hosted_invoice_url", "invoice_pdf", "last_finalization_error", "latest_revision",
    "next_payment_attempt", "number", "on_behalf_of", "receipt_number", "rendering",
    "shipping_cost", "shipping_details", "statement_descriptor", "test_clock",
    "threshold_reason", "webhooks_delivered_at",
)  # fmt: skip
_RETRYABLE = ("requires_payment_method", "requires_confirmation", "requires_action")


class Invoice(StripeObject):  # type: ignore[misc]
    object = "invoice"
    _id_prefix = "in_"
    _includable = ("confirmation_secret", "payments")

    def __init__(
        self,
        subscription: Any,
        billing_reason: str,
        period: tuple[int, int],
        trial: bool,
        bill_period: bool = True,
    ) -> None:
        """A draft invoice for ``subscription``'s current period (free when ``trial``; not
        at all without ``bill_period``) and its pending prorations; ``period`` is the
        invoice's own (Stripe's "usage period": the one that ended)."""
        super().__init__(self._id_prefix + random_id(24))
        self._describe(subscription, billing_reason, period)
        self._lines = []
        for proration in InvoiceItem._pending(subscription.id):
            proration.invoice = self.id
            self._lines.append(InvoiceLineItem._for_proration(self.id, proration))
        if bill_period:
            current = subscription._period()
            self._lines += [
                InvoiceLineItem._for_period(self.id, item, current, trial)
                for item in subscription._items
            ]
        self._discount(subscription, billing_reason)
        self._payments: list[InvoicePayment] = []
        emit("invoice.created", self)

    def _describe(self, subscription: Any, billing_reason: str, period: tuple[int, int]) -> None:
        """Every field of a draft invoice of ``subscription`` but its lines (an invoice
        preview shares them: sandbox.invoice_previews)."""
        customer = Customer._api_retrieve(subscription.customer)
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.account_country = "US"
        self.account_name = "billgraph sandbox"
        self.amount_overpaid = 0
        self.amount_paid = 0
        self.amount_paid_off_stripe = 0
        self.amount_shipping = 0
        self.attempt_count = 0
        self.attempted = False
        self.auto_advance = True
        self.automatic_tax = {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        }
        self.billing_reason = billing_reason
        self.collection_method = "charge_automatically"
        self.currency = subscription.currency
        self.customer = customer.id
        self.customer_address = customer.address
        self.customer_email = customer.email
        self.customer_name = customer.name
        self.customer_phone = customer.phone
        self.customer_tax_exempt = "none"
        self.customer_tax_ids: list[Any] = []
        self.default_tax_rates: list[Any] = []
        self.issuer = {"type": "self"}
        self.metadata: dict[str, str] = {}
        self.parent: dict[str, Any] = {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(subscription.metadata),
                "subscription": subscription.id,
            },
        }
        self.payment_settings = {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        }
        self.period_start, self.period_end = period
        self.post_payment_credit_notes_amount = 0
        self.pre_payment_credit_notes_amount = 0
        self.starting_balance = 0
        self.status = "draft"
        self.status_transitions: dict[str, int | None] = {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        }
        self.total_pretax_credit_amounts: list[Any] = []
        self.total_taxes: list[Any] = []

    def _discount(self, subscription: Any, billing_reason: str) -> None:
        """The subscription's discounts that apply, on the lines (sandbox.promotions)."""
        discounts = applied_discounts(subscription, billing_reason, self.subtotal)
        self.discounts = [discount for discount, _ in discounts]
        self.total_discount_amounts: list[dict[str, Any]] = [
            {"amount": amount, "discount": discount} for discount, amount in discounts
        ]

    # Amounts (no taxes in the sandbox)

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self._lines)

    @property
    def subtotal_excluding_tax(self) -> int:
        return self.subtotal

    @property
    def total(self) -> int:
        return self.subtotal - sum(int(d["amount"]) for d in self.total_discount_amounts)

    @property
    def total_excluding_tax(self) -> int:
        return self.subtotal

    @property
    def amount_due(self) -> int:
        """The total, less the customer's credit (a negative ``starting_balance``)."""
        return max(self.total + self.starting_balance, 0)

    @property
    def amount_remaining(self) -> int:
        return self.amount_due - self.amount_paid

    @property
    def lines(self) -> listing.Page:
        return listing.Page(f"/v1/invoices/{self.id}/lines", self._lines, has_more=False)

    def _include(self, name: str) -> Any:
        if name == "payments":
            url = f"/v1/invoice_payments?invoice={self.id}"
            return listing.Page(url, self._payments, has_more=False)._export()
        intent = self._open_intent()
        if intent is None:
            return None
        return {"client_secret": intent.client_secret, "type": "payment_intent"}

    # Life cycle

    def _finalize(self) -> None:
        """Number it and make it payable; an invoice of nothing is paid at once."""
        customer = Customer._api_retrieve(self.customer)
        self.number = f"{customer.invoice_prefix}-{customer.next_invoice_sequence:04d}"
        self.status = "open"
        self.effective_at = self.status_transitions["finalized_at"] = int(time.time())
        # localstripe's account_balance is today's balance with the sign flipped.
        self.starting_balance = -customer.account_balance
        self.ending_balance = min(self.total + self.starting_balance, 0)
        customer.account_balance = -self.ending_balance
        emit("invoice.finalized", self)
        if self.amount_due == 0:
            self._mark_paid(None)

    def _payment_intent(self) -> Any:
        """The PaymentIntent to confirm: the open one if any, else a new one."""
        intent = self._open_intent()
        if intent is None:
            intent = PaymentIntent(
                amount=self.amount_remaining,
                currency=self.currency,
                customer=self.customer,
                description=(
                    "Subscription creation"
                    if self.billing_reason == "subscription_create"
                    else "Subscription update"
                ),
            )
            intent._paying = f"{self.object}:{self.id}"
            self._payments.append(InvoicePayment(self, intent))
        return intent

    def _open_intent(self) -> Any:
        for payment in self._payments:
            intent = PaymentIntent._api_retrieve(payment.payment["payment_intent"])
            if payment.status == "open" and intent.status in _RETRYABLE:
                return intent
        return None

    def _attempt(self, method: Any, off_session: bool) -> None:
        """Charge ``method`` (by default the subscription's or customer's default); a
        decline is raised as the 402 card error, after the invoice heard of it."""
        method = method or self._default_payment_method()
        self.attempted = True
        self.attempt_count += 1
        if method is None:  # nothing to charge: a failed attempt all the same
            emit("invoice.payment_failed", self)
            self._subscription()._invoice_failed(self)
            return
        self._payment_intent()._confirm(method, None, off_session)

    def _default_payment_method(self) -> Any:
        subscription = self._subscription()
        if subscription.default_payment_method is not None:
            return PaymentMethod._api_retrieve(subscription.default_payment_method)
        return Customer._api_retrieve(self.customer)._get_default_payment_method_or_source()

    def _payment_settled(self, intent: Any) -> None:
        """What the PaymentIntent paying this invoice reports after each attempt."""
        if intent.status == "succeeded":
            self._mark_paid(intent)
        elif intent.status == "requires_action":
            emit("invoice.payment_action_required", self)
        elif intent.status != "processing":  # a processing payment keeps it open
            emit("invoice.payment_failed", self)
            self._subscription()._invoice_failed(self)

    def _mark_paid(self, intent: Any) -> None:
        self.status = "paid"
        self.amount_paid = self.amount_due
        self.auto_advance = False
        self.status_transitions["paid_at"] = int(time.time())
        for payment in self._payments:
            if intent is not None and payment.payment["payment_intent"] == intent.id:
                payment._settle("paid")
        emit("invoice.paid", self)
        emit("invoice.payment_succeeded", self)
        self._subscription()._invoice_paid(self, intent)

    def _cancel_open_payment(self) -> None:
        """Void or paid elsewhere: the PaymentIntent waiting to pay it is canceled."""
        intent = self._open_intent()
        if intent is not None:
            intent._paying = None
            PaymentIntent._api_cancel(intent.id)
        for payment in self._payments:
            if payment.status == "open":
                payment._settle("canceled")

    def _paid_out_of_band(self) -> None:
        """Paid outside Stripe (a bank transfer, a cheque): no PaymentIntent pays it."""
        self._cancel_open_payment()
        self.amount_paid_off_stripe = self.amount_due
        self._mark_paid(None)

    def _subscription(self) -> Any:
        return store["subscription:" + self.parent["subscription_details"]["subscription"]]

    # Endpoints

    @classmethod
    def _api_pay(cls, id: str, **data: Any) -> Any:
        """Charge an open invoice again, e.g. after the customer fixed their card."""
        params = Params(data)
        method = params.reference("payment_method", PaymentMethod)
        off_session = params.boolean("off_session") or False
        out_of_band = params.boolean("paid_out_of_band") or False
        params.done()
        if out_of_band and method is not None:
            raise invalid_request(
                "You may only specify one of these parameters: paid_out_of_band, payment_method."
            )
        invoice = cls._api_retrieve(id)
        if invoice.status != "open":
            raise invalid_request(
                f"Only an open invoice can be paid; this one is {invoice.status}.",
            )
        if any(
            PaymentIntent._api_retrieve(p.payment["payment_intent"]).status == "processing"
            for p in invoice._payments
        ):
            raise invalid_request("This invoice's payment is processing: wait until it settles.")
        if out_of_band:
            invoice._paid_out_of_band()
        else:
            invoice._attempt(method, off_session)
        return invoice

    @classmethod
    def _api_void(cls, id: str, **data: Any) -> Any:
        Params(data).done()
        invoice = cls._api_retrieve(id)
        if invoice.status != "open":
            raise invalid_request(
                f"Only an open invoice can be voided; this one is {invoice.status}.",
            )
        invoice._cancel_open_payment()
        invoice.status = "void"
        invoice.auto_advance = False
        invoice.status_transitions["voided_at"] = int(time.time())
        emit("invoice.voided", invoice)
        return invoice

    @classmethod
    def _api_lines(cls, id: str, **data: Any) -> Any:
        Params(data).done()
        return cls._api_retrieve(id).lines

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        customer = params.string("customer")
        subscription = params.string("subscription")
        status = params.string("status", choices=_STATUSES)

        def keep(invoice: Any) -> bool:
            return (
                (customer is None or invoice.customer == customer)
                and (subscription is None or invoice._subscription().id == subscription)
                and (status is None or invoice.status == status)
            )

        return listing.paginate(cls.object, url, params, keep)


ROUTES = (
    ("POST", "/v1/invoices/{id}/pay", Invoice._api_pay),
    ("POST", "/v1/invoices/{id}/void", Invoice._api_void),
    ("GET", "/v1/invoices/{id}/lines", Invoice._api_lines),
)
