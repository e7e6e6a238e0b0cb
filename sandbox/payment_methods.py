"""PaymentMethods as Stripe has them: attaching and detaching with their events and
declines (localstripe answers a bare "Your card was declined." and emits nothing),
newest-first lists by customer (``/v1/payment_methods?customer=``,
``/v1/customers/{id}/payment_methods``), and updates (billing details, a card's expiry)
that emit ``payment_method.updated``. Detaching a customer's default payment method
unsets ``invoice_settings.default_payment_method`` (``customer.updated``), as Stripe does.
The rest of ``/v1/payment_methods`` is localstripe's, in today's shape (sandbox.versioning).
"""

from typing import Any

from localstripe.resources import Customer, PaymentMethod

from sandbox import cards, listing
from sandbox.errors import card_error, invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.updates import changed_attributes

_TYPES = ("card",)
_BILLING_DETAILS = ("email", "name", "phone")


def attach(id: str, **data: Any) -> Any:
    params = Params(data)
    customer = params.reference("customer", Customer, required=True)
    params.done()
    method = PaymentMethod._api_retrieve(id)
    check_attachable(method)
    if method.customer not in (None, customer.id):
        raise invalid_request(
            f"The payment method you provided has already been attached to a customer "
            f"({method.customer}).",
            "payment_method",
        )
    if method.customer is None:
        attach_to(method, customer)
    return method


def attach_to(method: Any, customer: Any) -> None:
    """Save ``method`` for ``customer`` (an attach call, or a SetupIntent that succeeded)."""
    method.customer = customer.id
    emit("payment_method.attached", method)


def check_attachable(method: Any) -> None:
    """The 402 card error of a card the bank refuses to save, as when attaching it."""
    decline = cards.attach_decline(method)
    if decline is not None:
        raise card_error(decline.message, decline.code, decline.decline_code)


def detach(id: str, **data: Any) -> Any:
    Params(data).done()
    method = PaymentMethod._api_retrieve(id)
    if method.customer is None:
        raise invalid_request(
            f"The payment method {id} is not attached to a customer and so cannot be detached."
        )
    customer = Customer._api_retrieve(method.customer)
    method.customer = None
    if customer.invoice_settings.get("default_payment_method") == method.id:
        with customer._changes():
            settings = {**customer.invoice_settings, "default_payment_method": None}
            customer.invoice_settings = settings
    emit("payment_method.detached", method)
    return method


def update(cls: Any, /, id: str, **data: Any) -> Any:
    """``POST /v1/payment_methods/{id}``: billing details, metadata and a card's expiry."""
    method = cls._api_retrieve(id)
    params = Params(data)
    details = params.nested("billing_details")
    card = params.nested("card") if method.type == "card" else None
    metadata = params.metadata(method.metadata)
    fields: dict[str, Any] = {}
    if details is not None:
        billing = dict(method.billing_details or {})
        for key in _BILLING_DETAILS:
            value = details.string(key)
            if value is not None:
                billing[key] = value or None
        address = details.nested("address")
        if address is not None:
            billing["address"] = address.unread()
        details.done()
        fields["billing_details"] = billing
    if card is not None:
        month = card.integer("exp_month", minimum=1, maximum=12)
        year = card.integer("exp_year", minimum=2000, maximum=2099)
        card.done()
        expiry = {k: v for k, v in (("exp_month", month), ("exp_year", year)) if v is not None}
        fields["card"] = {**method.card, **expiry}
    params.done()
    if metadata is not None:
        fields["metadata"] = metadata
    before = method._export()
    method.__dict__.update(fields)
    previous = changed_attributes(before, method._export())
    if previous:
        emit("payment_method.updated", method, previous)
    return method


def list_all(cls: Any, /, url: str, **data: Any) -> listing.Page:
    """``GET /v1/payment_methods``: a customer's methods, newest first."""
    params = Params(data)
    customer = params.reference("customer", Customer)
    kind = params.string("type", choices=_TYPES)
    if customer is None:
        # Without a customer Stripe lists the account's Treasury methods: none here.
        params.unread()
        return listing.Page(url, [], False)
    return _page(url, params, customer.id, kind)


def list_for_customer(id: str, **data: Any) -> listing.Page:
    """``GET /v1/customers/{id}/payment_methods``."""
    customer = Customer._api_retrieve(id)
    params = Params(data)
    kind = params.string("type", choices=_TYPES)
    params.string("allow_redisplay", choices=("always", "limited", "unspecified"))
    return _page(f"/v1/customers/{id}/payment_methods", params, customer.id, kind)


def _page(url: str, params: Params, customer: str, kind: str | None) -> listing.Page:
    return listing.paginate(
        "payment_method",
        url,
        params,
        lambda m: m.customer == customer and (kind is None or m.type == kind),
    )


ROUTES = (
    ("POST", "/v1/payment_methods/{id}/attach", attach),
    ("POST", "/v1/payment_methods/{id}/detach", detach),
    ("GET", "/v1/customers/{id}/payment_methods", list_for_customer),
)
