"""Checkout Sessions (``/v1/checkout/sessions``) in ``subscription`` and ``payment`` mode,
in today's shape, with a hosted page at ``url`` (sandbox.pages) where a developer pays with
a test card.

``POST /_sandbox/checkout/sessions/{id}/complete`` (also what the page's button does) plays
the customer paying: the card is checked first, so a decline answers the 402 card error
the page would show and leaves the session open and nothing created. Otherwise, in
subscription mode: the customer (created if the session had none, ``customer.created``),
the card attached (``payment_method.attached``), the subscription with the session's
``subscription_data`` (and the ``promotion_code`` the customer entered, where the session
``allow_promotion_codes``) and its first invoice paid (sandbox.subscriptions), then
``checkout.session.completed``; in payment mode a PaymentIntent confirmed with the card.
Cards that require 3-D Secure are refused: the page does not play the challenge.
"""

import time
from typing import Any

from localstripe.resources import PaymentMethod, StripeObject, random_id

from sandbox import cards, listing, payment_methods, promotions
from sandbox.context import public_url
from sandbox.customers import Customer
from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.payment_intents import PaymentIntent
from sandbox.prices import Price
from sandbox.products import Product
from sandbox.subscriptions import Subscription, check_chargeable

_MODES = ("payment", "subscription")
_GUEST_EMAIL = "customer@example.com"  # the email of a customer nobody gave one
_STATUSES = ("complete", "expired", "open")
_LIFETIME = (30 * 60, 24 * 3600)  # the shortest and longest expires_at, from now
_NULLS = (
    "after_expiration", "client_secret", "collected_information", "consent",
    "consent_collection", "currency_conversion", "customer_account", "invoice", "locale",
    "payment_intent", "payment_link", "payment_method_configuration_details",
    "presentment_details", "recovered_from", "return_url",
    "saved_payment_method_options", "setup_intent", "shipping_address_collection",
    "shipping_cost", "submit_type", "subscription", "wallet_options",
)  # fmt: skip


class CheckoutLineItem(StripeObject):  # type: ignore[misc]
    """One ``line_items`` entry of a session (``object: item``)."""

    object = "item"
    _id_prefix = "li_"

    def __init__(self, price: Any, quantity: int) -> None:
        super().__init__(self._id_prefix + random_id(24))
        amount = int(price.unit_amount or 0) * quantity
        self.amount_discount = 0
        self.amount_subtotal = amount
        self.amount_tax = 0
        self.amount_total = amount
        self.currency = price.currency
        self.description = Product._api_retrieve(price.product).name
        self.price = price
        self.quantity = quantity


class CheckoutSession(StripeObject):  # type: ignore[misc]
    object = "checkout.session"
    _id_prefix = "cs_test_"
    _collection = "/v1/checkout/sessions"
    _includable = ("line_items",)

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        mode = params.string("mode", required=True, choices=_MODES)
        assert mode is not None
        lines = _line_items(params, mode)
        customer = params.reference("customer", Customer)
        email = params.string("customer_email", max_length=800)
        creation = params.string("customer_creation", choices=("always", "if_required"))
        fields = {
            "allow_promotion_codes": params.boolean("allow_promotion_codes"),
            "billing_address_collection": params.string(
                "billing_address_collection", choices=("auto", "required")
            ),
            "cancel_url": params.string("cancel_url"),
            "client_reference_id": params.string("client_reference_id", max_length=200),
            "metadata": params.metadata() or {},
            "success_url": params.string("success_url"),
        }
        subscription_data = _subscription_data(params, mode)
        intent_data = _payment_intent_data(params, mode)
        expires_at = params.integer("expires_at")
        params.string("ui_mode", choices=("hosted_page",))
        params.string("locale")
        if params.strings("payment_method_types") not in (None, ["card"]):
            raise invalid_request(
                "The sandbox's checkout takes cards only: payment_method_types must be [card].",
                "payment_method_types",
            )
        params.done()
        if customer is not None and email is not None:
            raise invalid_request(
                "You may only specify one of these parameters: customer, customer_email."
            )
        if creation is not None and mode != "payment":
            raise invalid_request(
                "customer_creation can only be used in payment mode.", "customer_creation"
            )
        now = int(time.time())
        if expires_at is not None and not now + _LIFETIME[0] <= expires_at <= now + _LIFETIME[1]:
            raise invalid_request(
                "The expires_at timestamp must be between 30 minutes and 24 hours from now.",
                "expires_at",
            )

        super().__init__(self._id_prefix + random_id(58))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.__dict__.update(fields)
        trial = bool(
            subscription_data.get("trial_period_days") or subscription_data.get("trial_end")
        )
        subtotal = 0 if trial else sum(line.amount_subtotal for line in lines)
        self.adaptive_pricing = {"enabled": False}
        self.amount_subtotal = self.amount_total = subtotal
        self.automatic_tax = {"enabled": False, "liability": None, "provider": None, "status": None}
        self.currency = lines[0].currency
        self.custom_fields: list[Any] = []
        self.custom_text = dict.fromkeys(
            ("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
        )
        self.customer = customer and customer.id
        self.customer_creation = (
            None if customer else creation or ("if_required" if mode == "payment" else "always")
        )
        self.customer_details: dict[str, Any] | None = None
        self.customer_email = email
        self.discounts: list[Any] = []
        self.expires_at = expires_at or now + _LIFETIME[1]
        self.invoice_creation = None if mode == "subscription" else {
            "enabled": False,
            "invoice_data": {"account_tax_ids": None, "custom_fields": None,
                             "description": None, "footer": None, "issuer": None,
                             "metadata": {}, "rendering_options": None},
        }  # fmt: skip
        self.mode = mode
        self.payment_method_collection = "always"
        self.payment_method_options: dict[str, Any] = {}
        self.payment_method_types = ["card"]
        self.payment_status = "unpaid"
        self.phone_number_collection = {"enabled": False}
        self.shipping_options: list[Any] = []
        self.status = "open"
        self.total_details = {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0}
        self.ui_mode = "hosted_page"
        self.url: str | None = public_url(f"/c/pay/{self.id}")
        self._lines = lines
        self._intent_data = intent_data
        self._subscription_data = subscription_data

    def _include(self, name: str) -> Any:
        return self._line_items()._export()

    def _line_items(self) -> listing.Page:
        url = f"/v1/checkout/sessions/{self.id}/line_items"
        return listing.Page(url, self._lines, has_more=False)

    def _complete(
        self, method: Any, email: str | None, name: str | None, code: str | None = None
    ) -> None:
        """The customer pays with ``method`` on the hosted page (entering ``code``)."""
        if self.status != "open":
            raise invalid_request(
                f"This Checkout Session is {self.status}: only an open one can be completed."
            )
        promo = None
        if code is not None:
            if not self.allow_promotion_codes or self.mode != "subscription":
                raise invalid_request(
                    "This Checkout Session does not take promotion codes.", "promotion_code"
                )
            promo = promotions.redeemable_code(code, "promotion_code")
        if cards.requires_authentication(method):
            raise invalid_request(
                "The sandbox's checkout page does not play 3-D Secure: pay with a card that "
                "does not require it.",
                "payment_method",
            )
        if self.amount_total > 0:
            check_chargeable(method)
        else:  # nothing to pay now: the card is only saved, as a SetupIntent would check it
            payment_methods.check_attachable(method)
        customer = self._customer(email or self.customer_email, name)
        email = email or self.customer_email or (customer and customer.email)
        if self.mode == "subscription":
            self._subscribe(customer, method, promo)
        else:
            self._pay(customer, method)
        self.status = "complete"
        self.payment_status = "paid" if self.amount_total > 0 else "no_payment_required"
        self.customer = customer and customer.id
        self.customer_details = _details(email or _GUEST_EMAIL, name)
        self.url = None
        emit("checkout.session.completed", self)

    def _customer(self, email: str | None, name: str | None) -> Any:
        """The session's customer, created now when it had none and needs one."""
        if self.customer is not None:
            return Customer._api_retrieve(self.customer)
        if self.customer_creation == "if_required":  # a guest payment
            return None
        return Customer(email=email or _GUEST_EMAIL, name=name)

    def _subscribe(self, customer: Any, method: Any, promo: Any) -> None:
        payment_methods.attach(method.id, customer=customer.id)
        discounts = [{"promotion_code": promo.id}] if promo is not None else []
        subscription = Subscription(
            customer=customer.id,
            items=[{"price": line.price.id, "quantity": line.quantity} for line in self._lines],
            default_payment_method=method.id,
            **({"discounts": discounts} if discounts else {}),
            **self._subscription_data,
        )
        self.subscription = subscription.id
        self.invoice = subscription.latest_invoice

    def _pay(self, customer: Any, method: Any) -> None:
        intent = PaymentIntent(
            amount=self.amount_total,
            currency=self.currency,
            customer=customer and customer.id,
            **self._intent_data,
        )
        intent._confirm(method, None, False)
        self.payment_intent = intent.id

    # Endpoints

    @classmethod
    def _api_complete(cls, id: str, **data: Any) -> Any:
        """Test helper: pay with ``payment_method`` (a ``pm_card_*`` id, by default
        ``pm_card_visa``) as ``email``/``name`` (for the customer created, if any), having
        entered ``promotion_code`` (a customer-facing code)."""
        params = Params(data)
        method = params.reference("payment_method", PaymentMethod)
        email = params.string("email", max_length=512)
        name = params.string("name", max_length=256)
        code = params.string("promotion_code", max_length=500)
        params.done()
        session = cls._api_retrieve(id)
        method = method or PaymentMethod._api_retrieve("pm_card_visa")
        session._complete(method, email, name, code)
        return session

    @classmethod
    def _api_expire(cls, id: str, **data: Any) -> Any:
        Params(data).done()
        session = cls._api_retrieve(id)
        if session.status != "open":
            raise invalid_request(
                f'Only Checkout Sessions with a status in ["open"] can be expired; this one '
                f"is {session.status}."
            )
        session.status = "expired"
        session.url = None
        emit("checkout.session.expired", session)
        return session

    @classmethod
    def _api_line_items(cls, id: str, **data: Any) -> Any:
        Params(data).done()
        return cls._api_retrieve(id)._line_items()

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        keep = listing.attributes_equal(
            customer=params.string("customer"),
            payment_intent=params.string("payment_intent"),
            status=params.string("status", choices=_STATUSES),
            subscription=params.string("subscription"),
        )
        return listing.paginate(cls.object, url, params, keep)


def _line_items(params: Params, mode: str) -> list[CheckoutLineItem]:
    specs = params.hashes("line_items")
    if not specs:
        raise invalid_request(
            "Missing required param: line_items.", "line_items", "parameter_missing"
        )
    lines = []
    for spec in specs:
        price = spec.reference("price", Price, required=True)
        quantity = spec.integer("quantity", minimum=1, required=True)
        spec.done()
        assert quantity is not None
        if (price.type == "recurring") != (mode == "subscription"):
            raise invalid_request(
                "In subscription mode every price must be recurring (the sandbox does not add "
                "one-time prices to a first invoice); in payment mode every price must be "
                "one-time.",
                spec.name("price"),
            )
        lines.append(CheckoutLineItem(price, quantity))
    if len({line.currency for line in lines}) > 1:
        raise invalid_request("All line items must be in the same currency.", "line_items")
    return lines


def _subscription_data(params: Params, mode: str) -> dict[str, Any]:
    """``subscription_data``, as the parameters of the subscription to create."""
    data = params.nested("subscription_data")
    if data is None:
        return {}
    if mode != "subscription":
        raise invalid_request(
            "subscription_data can only be used in subscription mode.", "subscription_data"
        )
    fields = {
        "metadata": data.metadata(),
        "description": data.string("description", max_length=500),
        "trial_period_days": data.integer("trial_period_days", minimum=1, maximum=730),
        "trial_end": data.integer("trial_end", minimum=int(time.time()) + 48 * 3600),
    }
    data.done()
    return {key: value for key, value in fields.items() if value is not None}


def _payment_intent_data(params: Params, mode: str) -> dict[str, Any]:
    """``payment_intent_data``, as the parameters of the PaymentIntent to create."""
    data = params.nested("payment_intent_data")
    if data is None:
        return {}
    if mode != "payment":
        raise invalid_request(
            "payment_intent_data can only be used in payment mode.", "payment_intent_data"
        )
    fields = {
        "metadata": data.metadata(),
        "description": data.string("description", max_length=1000),
        "receipt_email": data.string("receipt_email", max_length=800),
        "setup_future_usage": data.string(
            "setup_future_usage", choices=("off_session", "on_session")
        ),
    }
    data.done()
    return {key: value for key, value in fields.items() if value is not None}


def _details(email: str, name: str | None) -> dict[str, Any]:
    return {
        "address": None,
        "email": email,
        "name": name,
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": [],
    }


ROUTES = (
    ("POST", "/v1/checkout/sessions/{id}/expire", CheckoutSession._api_expire),
    ("GET", "/v1/checkout/sessions/{id}/line_items", CheckoutSession._api_line_items),
    ("POST", "/_sandbox/checkout/sessions/{id}/complete", CheckoutSession._api_complete),
)
