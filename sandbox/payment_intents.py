"""PaymentIntents (``/v1/payment_intents``) in today's shape, for web and mobile payments
and for the invoices of subscriptions.

Confirming charges the payment method as the bank would (sandbox.cards): the intent
succeeds (``charge.succeeded``, ``payment_intent.succeeded``), fails with a readable
``last_payment_error`` and a 402 card error (``charge.failed``,
``payment_intent.payment_failed``), or waits for 3-D Secure (``requires_action``,
``payment_intent.requires_action``) until ``/_sandbox/payment_intents/{id}/authenticate``
plays the customer's part. ``POST /_sandbox/payment_intents/{id}/confirm`` is the same
confirmation, for tests that play the client confirming with its publishable key.
With ``pm_card_processing`` (the sandbox's own test card) the payment stays
``processing`` (``charge.pending``, ``payment_intent.processing``) until
``/_sandbox/payment_intents/{id}/settle`` (``success``, default true) plays the bank:
``charge.succeeded`` and ``payment_intent.succeeded``, or ``charge.failed`` and
``payment_intent.payment_failed``.

An intent made by an invoice names it in ``_paying``; the invoice learns every outcome
through ``_payment_settled``, whoever confirmed. Manual capture is not modelled.
"""

import time
from typing import Any

from localstripe.errors import UserError
from localstripe.resources import Customer, PaymentMethod, StripeObject, random_id, store

from sandbox import cards, listing, money
from sandbox.charges import Charge
from sandbox.confirming import CONFIRMABLE, Confirmable, last_error
from sandbox.errors import card_error, invalid_request
from sandbox.events import emit
from sandbox.params import Params

# Fields that stay null in the sandbox (Connect, Radar, shipping ...).
_NULLS = (
    "application", "application_fee_amount", "customer_account", "excluded_payment_method_types",
    "on_behalf_of", "payment_details", "presentment_details",
    "payment_method_configuration_details", "processing", "review", "shipping", "source",
    "statement_descriptor", "transfer_data", "transfer_group",
)  # fmt: skip
_CANCELABLE = (*CONFIRMABLE, "requires_capture", "processing")
_CANCELLATION_REASONS = ("abandoned", "duplicate", "fraudulent", "requested_by_customer")
_FUTURE_USAGES = ("off_session", "on_session")


class PaymentIntent(Confirmable, StripeObject):  # type: ignore[misc]
    object = "payment_intent"
    _id_prefix = "pi_"
    _kind = "PaymentIntent"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        fields = _writable_fields(params, None)
        automatic = automatic_payment_methods(params)
        confirm = params.boolean("confirm") or False
        off_session = params.boolean("off_session") or False
        return_url = params.string("return_url")
        params.string("capture_method", choices=("automatic", "automatic_async"))
        params.string("confirmation_method", choices=("automatic",))
        params.done()
        if "amount" not in fields or "currency" not in fields:
            missing = "currency" if "amount" in fields else "amount"
            raise invalid_request(
                f"Missing required param: {missing}.", missing, "parameter_missing"
            )
        if not confirm and (off_session or return_url):
            raise invalid_request(
                "off_session and return_url can only be used with confirm=true.",
                "off_session" if off_session else "return_url",
            )

        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.amount_capturable = 0
        self.amount_details: dict[str, Any] = {"tip": {}}
        self.amount_received = 0
        self.automatic_payment_methods = automatic
        self.canceled_at = None
        self.cancellation_reason = None
        self.capture_method = "automatic_async"
        self.client_secret = f"{self.id}_secret_{random_id(25)}"
        self.confirmation_method = "automatic"
        self.customer = None
        self.description = None
        self.last_payment_error: dict[str, Any] | None = None
        self.latest_charge = None
        self.metadata: dict[str, str] = {}
        self.next_action: dict[str, Any] | None = None
        self.payment_method = None
        self.payment_method_options = {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        }
        self.payment_method_types = ["card"]
        self.receipt_email = None
        self.setup_future_usage = None
        self.statement_descriptor_suffix = None
        self.status = "requires_payment_method"
        self._authenticated: set[str] = set()
        self._paying: str | None = None  # the store key of the invoice this intent pays
        self._apply(fields)
        emit("payment_intent.created", self)
        if confirm:
            self._confirm(None, return_url, off_session)

    def _apply(self, fields: dict[str, Any]) -> None:
        method = fields.pop("payment_method", None)
        self.__dict__.update(fields)
        if method is not None:
            self.payment_method = method.id
            self.status = "requires_confirmation"

    # Confirmation

    def _confirm(self, method: Any, return_url: str | None, off_session: bool) -> None:
        """Charge ``method`` (or the intent's own); 402 with the intent when declined."""
        method = self._confirming(method)
        self.payment_method = method.id
        self.last_payment_error = None
        self.next_action = None
        if (
            cards.requires_authentication(method)
            and not off_session
            and method.id not in self._authenticated
        ):
            self._require_action(return_url)
        else:
            self._charge(method, off_session)

    def _require_action(self, return_url: str | None) -> None:
        super()._require_action(return_url)
        self._settled()

    def _authentication_passed(self, method: Any) -> None:
        """Charged now that the customer passed 3-D Secure; a decline is the outcome."""
        self._authenticated.add(method.id)
        try:
            self._charge(method, off_session=False)
        except UserError as declined:
            if declined.code != 402:
                raise

    def _charge(self, method: Any, off_session: bool) -> None:
        decline = cards.charge_decline(method, off_session)
        pending = decline is None and cards.settles_later(method)
        charge = Charge(self, method, decline, method.id in self._authenticated, pending)
        self.latest_charge = charge.id
        if pending:
            self.status = "processing"
            emit("payment_intent.processing", self)
            self._settled()
        else:
            self._conclude(charge, method, decline)

    def _conclude(self, charge: Any, method: Any, decline: cards.Decline | None) -> None:
        """The charge's outcome: succeeded, or failed with the 402 card error."""
        if decline is None:
            self.status = "succeeded"
            self.amount_received = self.amount
            if self.setup_future_usage and self.customer and method.customer is None:
                method.customer = self.customer  # saved for later, as Stripe does
            emit("payment_intent.succeeded", self)
            self._settled()
            return
        self._fail(
            last_error(
                decline.code,
                decline.message,
                method,
                decline.decline_code,
                advice_code=None,
                charge=charge.id,
            )
        )
        raise card_error(
            decline.message,
            decline.code,
            decline.decline_code,
            charge=charge.id,
            payment_intent=self._export(),
            payment_method=method._export(),
        )

    def _fail(self, error: dict[str, Any]) -> None:
        """Back to ``requires_payment_method``, the method dropped, as Stripe does."""
        self.status = "requires_payment_method"
        self.payment_method = None
        self.last_payment_error = error
        emit("payment_intent.payment_failed", self)
        self._settled()

    def _settled(self) -> None:
        """Tell the invoice this intent pays about the outcome of the attempt."""
        if self._paying is not None:
            store[self._paying]._payment_settled(self)

    # Endpoints

    @classmethod
    def _api_update(cls, id: str, **data: Any) -> Any:
        intent = cls._api_retrieve(id)
        params = Params(data)
        fields = _writable_fields(params, intent)
        params.done()
        if intent.status not in CONFIRMABLE:
            raise invalid_request(
                f"This PaymentIntent could not be updated because it has a status of "
                f"{intent.status}. You may only update a PaymentIntent with one of the "
                f"following statuses: {', '.join(CONFIRMABLE)}.",
                code="payment_intent_unexpected_state",
            )
        intent._apply(fields)
        return intent

    @classmethod
    def _api_confirm(cls, id: str, **data: Any) -> Any:
        params = Params(data)
        method = params.reference("payment_method", PaymentMethod)
        return_url = params.string("return_url")
        off_session = params.boolean("off_session") or False
        params.done()
        intent = cls._api_retrieve(id)
        intent._confirm(method, return_url, off_session)
        return intent

    @classmethod
    def _api_settle(cls, id: str, **data: Any) -> Any:
        """Test helper: the bank settles a ``processing`` payment, as succeeded
        (``success``, the default) or failed."""
        params = Params(data)
        success = params.boolean("success")
        params.done()
        intent = cls._api_retrieve(id)
        if intent.status != "processing":
            raise invalid_request(
                f"This PaymentIntent has a status of {intent.status}; only one that is "
                "processing can be settled.",
                code="payment_intent_unexpected_state",
            )
        charge = Charge._api_retrieve(intent.latest_charge)
        method = PaymentMethod._api_retrieve(intent.payment_method)
        decline = cards.SETTLEMENT_FAILURE if success is False else None
        charge._settle(decline)
        try:
            intent._conclude(charge, method, decline)
        except UserError as declined:
            if declined.code != 402:
                raise
        return intent

    @classmethod
    def _api_cancel(cls, id: str, **data: Any) -> Any:
        params = Params(data)
        reason = params.string("cancellation_reason", choices=_CANCELLATION_REASONS)
        params.done()
        intent = cls._api_retrieve(id)
        if intent.status not in _CANCELABLE:
            raise invalid_request(
                f"You cannot cancel this PaymentIntent because it has a status of "
                f"{intent.status}. Only a PaymentIntent with one of the following statuses may "
                f"be canceled: {', '.join(_CANCELABLE)}.",
                code="payment_intent_unexpected_state",
            )
        if intent._paying is not None:
            raise invalid_request(
                "This PaymentIntent was created by an invoice: void the invoice instead.",
                code="payment_intent_unexpected_state",
            )
        intent.status = "canceled"
        intent.canceled_at = int(time.time())
        intent.cancellation_reason = reason
        intent.next_action = None
        emit("payment_intent.canceled", intent)
        return intent

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        customer = params.string("customer")
        return listing.paginate(
            cls.object, url, params, lambda i: customer is None or i.customer == customer
        )


def _writable_fields(params: Params, intent: "PaymentIntent | None") -> dict[str, Any]:
    """The fields both creation and updates set, validated; absent ones left out."""
    currency = intent.currency if intent else None
    if params.peek("currency") is not None:
        currency = params.currency()
    fields: dict[str, Any] = {
        "currency": currency,
        "customer": _customer_id(params.reference("customer", Customer)),
        "payment_method": params.reference("payment_method", PaymentMethod),
        "metadata": params.metadata(intent.metadata if intent else None),
        "setup_future_usage": params.string("setup_future_usage", choices=_FUTURE_USAGES),
    }
    if params.peek("amount") is not None:
        fields["amount"] = money.charge_amount(params, currency or "usd")
    fields = {key: value for key, value in fields.items() if value is not None}
    for key, max_length in (
        ("description", 1000),
        ("receipt_email", 800),
        ("statement_descriptor_suffix", 22),
    ):
        value = params.string(key, max_length=max_length)
        if value is not None:
            fields[key] = value or None
    return fields


def _customer_id(customer: Any) -> str | None:
    return None if customer is None else str(customer.id)


def automatic_payment_methods(params: Params) -> dict[str, Any] | None:
    """Today's default is on, unless ``payment_method_types`` lists the types."""
    types = params.strings("payment_method_types")
    automatic = params.nested("automatic_payment_methods")
    if types is not None and automatic is not None:
        raise invalid_request(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "payment_method_types."
        )
    if types is not None:
        if types != ["card"]:
            raise invalid_request(
                "The sandbox accepts only cards: payment_method_types must be [card].",
                "payment_method_types",
            )
        return None
    if automatic is None:
        return {"allow_redirects": "always", "enabled": True}
    enabled = automatic.boolean("enabled")
    redirects = automatic.string("allow_redirects", choices=("always", "never")) or "always"
    automatic.done()
    if enabled is None:
        raise invalid_request(
            "Missing required param: automatic_payment_methods[enabled].",
            "automatic_payment_methods[enabled]",
            "parameter_missing",
        )
    return {"allow_redirects": redirects, "enabled": True} if enabled else None


ROUTES = (
    ("POST", "/v1/payment_intents/{id}/confirm", PaymentIntent._api_confirm),
    ("POST", "/v1/payment_intents/{id}/cancel", PaymentIntent._api_cancel),
    ("POST", "/_sandbox/payment_intents/{id}/confirm", PaymentIntent._api_confirm),
    ("POST", "/_sandbox/payment_intents/{id}/authenticate", PaymentIntent._api_authenticate),
    ("POST", "/_sandbox/payment_intents/{id}/settle", PaymentIntent._api_settle),
)
