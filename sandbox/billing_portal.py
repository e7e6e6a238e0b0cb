"""Billing portal sessions (``/v1/billing_portal/sessions``): a link where a customer
manages their subscriptions, served by the sandbox (sandbox.pages) with the default
configuration; ``billing_portal.session.created`` as on Stripe."""

from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox.context import public_url
from sandbox.customers import Customer
from sandbox.events import emit
from sandbox.params import Params

# Stripe answers with the account's default portal configuration; the sandbox has one.
DEFAULT_CONFIGURATION = "bpc_sandbox_default"


class BillingPortalSession(StripeObject):  # type: ignore[misc]
    object = "billing_portal.session"
    _id_prefix = "bps_"
    _collection = "/v1/billing_portal/sessions"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        customer = params.reference("customer", Customer, required=True)
        return_url = params.string("return_url", max_length=5000)
        locale = params.string("locale")
        params.done()
        super().__init__(self._id_prefix + random_id(24))
        self.configuration = DEFAULT_CONFIGURATION
        self.customer = customer.id
        self.flow = None
        self.locale = locale
        self.on_behalf_of = None
        self.return_url = return_url
        self.url = public_url(f"/p/session/{self.id}")
        emit("billing_portal.session.created", self)
