"""Attaching PaymentMethods to customers and detaching them, as Stripe does it: declines
carry their ``decline_code``, and ``payment_method.attached``/``.detached`` are emitted
(localstripe answers a bare "Your card was declined." and emits nothing). The rest of
``/v1/payment_methods`` is localstripe's, in today's shape (sandbox.versioning).
"""

from typing import Any

from localstripe.resources import Customer, PaymentMethod

from sandbox import cards
from sandbox.errors import card_error, invalid_request
from sandbox.events import emit
from sandbox.params import Params


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
    method.customer = customer.id
    emit("payment_method.attached", method)
    return method


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
    method.customer = None
    emit("payment_method.detached", method)
    return method


ROUTES = (
    ("POST", "/v1/payment_methods/{id}/attach", attach),
    ("POST", "/v1/payment_methods/{id}/detach", detach),
)
