"""Customers (``/v1/customers``): localstripe's, with today's fields, newest-first lists and
updates that validate like Stripe and emit ``customer.updated`` with
``previous_attributes`` (localstripe stores any field it is sent, keeps blank metadata
values and emits its update event without them).
"""

import hashlib
from typing import Any

from localstripe import resources
from localstripe.resources import PaymentMethod

from sandbox import listing
from sandbox.errors import invalid_request
from sandbox.params import Params
from sandbox.updates import UpdateEvents

_ADDRESS = ("city", "country", "line1", "line2", "postal_code", "state")


class Customer(UpdateEvents, resources.Customer):  # type: ignore[misc]
    # Today's fields with their defaults. localstripe's `subscriptions` property would list
    # every subscription on each export; the list is includable only, and dropped by
    # sandbox.versioning like the other legacy fields.
    currency = None
    subscriptions = None
    tax_exempt = "none"
    test_clock = None

    @property
    def invoice_prefix(self) -> str:
        return hashlib.sha1(self.id.encode()).hexdigest()[:8].upper()  # noqa: S324 - a label

    @property
    def next_invoice_sequence(self) -> int:
        numbered = [
            i for i in listing.newest_first("invoice") if i.customer == self.id and i.number
        ]
        return len(numbered) + 1

    def _modify(self, params: Params) -> None:
        fields: dict[str, Any] = {}
        for key in ("name", "email", "description", "phone"):
            value = params.string(key)
            if value is not None:
                fields[key] = value or None
        if params.peek("address") == "":
            params.string("address")
            fields["address"] = None
        else:
            address = params.nested("address")
            if address is not None:
                fields["address"] = {key: address.string(key) for key in _ADDRESS}
                address.done()
        settings = params.nested("invoice_settings")
        if settings is not None:
            unset = settings.peek("default_payment_method") == ""
            method = None if unset else settings.reference("default_payment_method", PaymentMethod)
            settings.string("default_payment_method")
            settings.done()
            if method is not None:
                self._check_owns(method, "invoice_settings[default_payment_method]")
            if unset or method is not None:
                fields["invoice_settings"] = {
                    **self.invoice_settings,
                    "default_payment_method": method and method.id,
                }
        values = {
            "metadata": params.metadata(self.metadata),
            "preferred_locales": params.strings("preferred_locales"),
            "account_balance": _negated(params.integer("balance")),
        }
        params.done()
        fields.update({k: v for k, v in values.items() if v is not None})
        self.__dict__.update(fields)

    def _check_owns(self, method: Any, param: str) -> None:
        """Stripe's 400 unless ``method`` is attached to this customer."""
        if method.customer != self.id:
            raise invalid_request(
                f"The customer does not have a payment method with the ID {method.id}. The "
                "payment method must be attached to the customer.",
                param,
            )

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        email = params.string("email", max_length=512)
        return listing.paginate(
            cls.object, url, params, lambda c: email is None or c.email == email
        )


def _negated(balance: int | None) -> int | None:
    """localstripe's ``account_balance`` is today's ``balance`` with the sign flipped."""
    return None if balance is None else -balance
