"""Stripe's billing portal: where a customer updates their card, downloads
invoices and changes or cancels their plan; every change comes back to us as
webhooks like any other."""

from __future__ import annotations

from billing.errors import BillingError, ErrorCode
from billing.redirects import check_redirect_url
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from models.customers import Customer


async def create_portal_session(
    caller: Caller,
    gateway: StripeGateway,
    return_url: str,
    allowed_hosts: tuple[str, ...],
    app_schemes: tuple[str, ...] = (),
) -> str:
    """The portal URL for the caller's own Stripe customer."""
    check_redirect_url(return_url, "returnUrl", allowed_hosts, app_schemes)
    customer = await Customer.get_or_none(user_id=caller.user_id)
    if customer is None:
        raise BillingError(
            ErrorCode.NOT_FOUND, "There is no billing account yet: pay or subscribe first."
        )
    session = await gateway.create_billing_portal_session(customer.stripe_customer_id, return_url)
    return str(session["url"])
