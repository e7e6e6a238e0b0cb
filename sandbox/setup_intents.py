"""SetupIntents (``/v1/setup_intents``) in today's shape: save a card for later payments.

localstripe's SetupIntent succeeds without attaching the card to the customer and emits
no event. Here, as on Stripe, a SetupIntent with a ``customer`` attaches the payment
method when it succeeds (``payment_method.attached``), the test cards that need 3-D Secure
on setup stop at ``requires_action`` (``setup_intent.requires_action``) until
``/_sandbox/setup_intents/{id}/authenticate`` plays the customer's part, and a card the
bank refuses to save fails with ``last_setup_error`` (``setup_intent.setup_failed``) and a
402. ``POST /_sandbox/setup_intents/{id}/confirm`` is the same confirmation, for tests that
play Stripe.js or the PaymentSheet confirming with the client secret.

A subscription's ``pending_setup_intent`` names it in ``_saving_for``; the subscription
learns when its card is saved (``save_default_payment_method``), whoever confirmed.
"""

from typing import Any

from localstripe.resources import Customer, PaymentMethod, StripeObject, random_id, store

from sandbox import cards, listing
from sandbox.confirming import CONFIRMABLE, Confirmable, last_error
from sandbox.errors import card_error, invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.payment_intents import automatic_payment_methods
from sandbox.payment_methods import attach_to

_USAGES = ("off_session", "on_session")
_CANCELLATION_REASONS = ("abandoned", "duplicate", "requested_by_customer")
# Fields that stay null in the sandbox (Connect, mandates, payment method configurations).
_NULLS = (
    "allowed_payment_method_types", "application", "attach_to_self", "customer_account",
    "excluded_payment_method_types", "flow_directions", "latest_attempt", "managed_payments",
    "mandate", "on_behalf_of", "payment_method_configuration_details", "single_use_mandate",
)  # fmt: skip


class SetupIntent(Confirmable, StripeObject):  # type: ignore[misc]
    object = "setup_intent"
    _id_prefix = "seti_"
    _kind = "SetupIntent"
    _saving_for: str | None = None  # the store key of the subscription it saves a card for

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        customer = params.reference("customer", Customer)
        method = params.reference("payment_method", PaymentMethod)
        usage = params.string("usage", choices=_USAGES) or "off_session"
        metadata = params.metadata() or {}
        description = params.string("description", max_length=1000)
        automatic = automatic_payment_methods(params)
        confirm = params.boolean("confirm") or False
        return_url = params.string("return_url")
        params.done()
        if method is not None and method.customer not in (None, getattr(customer, "id", None)):
            raise invalid_request(
                f"The payment method {method.id} belongs to another customer.", "payment_method"
            )

        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.automatic_payment_methods = automatic
        self.cancellation_reason = None
        self.client_secret = f"{self.id}_secret_{random_id(25)}"
        self.customer = None if customer is None else customer.id
        self.description = description or None
        self.last_setup_error: dict[str, Any] | None = None
        self.metadata = metadata
        self.next_action: dict[str, Any] | None = None
        self.payment_method = None if method is None else method.id
        card_options = {"mandate_options": None, "network": None}
        self.payment_method_options = {
            "card": {**card_options, "request_three_d_secure": "automatic"}
        }
        self.payment_method_types = ["card"]
        self.status = "requires_confirmation" if method is not None else "requires_payment_method"
        self.usage = usage
        emit("setup_intent.created", self)
        if confirm:
            self._confirm(None, return_url)

    def _confirm(self, method: Any, return_url: str | None) -> None:
        method = self._confirming(method)
        self.payment_method = method.id
        self.last_setup_error = None
        decline = cards.attach_decline(method)
        if decline is not None:
            self._fail(last_error(decline.code, decline.message, method, decline.decline_code))
            raise card_error(
                decline.message, decline.code, decline.decline_code, setup_intent=self._export()
            )
        if cards.requires_authentication(method):
            self._require_action(return_url)
        else:
            self._succeed(method)

    def _authentication_passed(self, method: Any) -> None:
        self._succeed(method)

    def _succeed(self, method: Any) -> None:
        self.next_action = None
        self.status = "succeeded"
        if self.usage == "off_session":
            cards.set_up_off_session(method)
        if self.customer is not None and method.customer is None:
            attach_to(method, Customer._api_retrieve(self.customer))
        emit("setup_intent.succeeded", self)
        if self._saving_for is not None:
            store[self._saving_for]._card_saved(self)

    def _fail(self, error: dict[str, Any]) -> None:
        """Back to ``requires_payment_method``, the method dropped, as Stripe does."""
        self.next_action = None
        self.status = "requires_payment_method"
        self.payment_method = None
        self.last_setup_error = error
        emit("setup_intent.setup_failed", self)

    # Endpoints

    @classmethod
    def _api_update(cls, id: str, **data: Any) -> Any:
        intent = cls._api_retrieve(id)
        params = Params(data)
        method = params.reference("payment_method", PaymentMethod)
        metadata = params.metadata(intent.metadata)
        description = params.string("description", max_length=1000)
        params.done()
        if intent.status not in CONFIRMABLE:
            raise invalid_request(
                f"This SetupIntent could not be updated because it has a status of "
                f"{intent.status}.",
                code="setup_intent_unexpected_state",
            )
        if method is not None:
            intent.payment_method = method.id
            intent.status = "requires_confirmation"
        if metadata is not None:
            intent.metadata = metadata
        if description is not None:
            intent.description = description or None
        return intent

    @classmethod
    def _api_confirm(cls, id: str, **data: Any) -> Any:
        params = Params(data)
        method = params.reference("payment_method", PaymentMethod)
        return_url = params.string("return_url")
        params.string("client_secret")  # sent by the client SDKs; the key already authorises
        params.boolean("use_stripe_sdk")
        params.done()
        intent = cls._api_retrieve(id)
        intent._confirm(method, return_url)
        return intent

    @classmethod
    def _api_cancel(cls, id: str, **data: Any) -> Any:
        params = Params(data)
        reason = params.string("cancellation_reason", choices=_CANCELLATION_REASONS)
        params.done()
        intent = cls._api_retrieve(id)
        if intent.status not in CONFIRMABLE:
            raise invalid_request(
                f"You cannot cancel this SetupIntent because it has a status of {intent.status}.",
                code="setup_intent_unexpected_state",
            )
        intent.status = "canceled"
        intent.cancellation_reason = reason
        intent.next_action = None
        emit("setup_intent.canceled", intent)
        return intent

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        customer = params.string("customer")
        method = params.string("payment_method")
        return listing.paginate(
            cls.object,
            url,
            params,
            lambda i: (
                (customer is None or i.customer == customer)
                and (method is None or i.payment_method == method)
            ),
        )


ROUTES = (
    ("POST", "/v1/setup_intents/{id}/confirm", SetupIntent._api_confirm),
    ("POST", "/v1/setup_intents/{id}/cancel", SetupIntent._api_cancel),
    ("POST", "/_sandbox/setup_intents/{id}/confirm", SetupIntent._api_confirm),
    ("POST", "/_sandbox/setup_intents/{id}/authenticate", SetupIntent._api_authenticate),
)
