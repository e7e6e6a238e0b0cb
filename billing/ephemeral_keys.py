"""Ephemeral keys for the mobile PaymentSheet: minted for the Stripe API
version of the app's SDK (not the server's), so the client passes it."""

from __future__ import annotations

from billing.errors import BillingError, ErrorCode
from billing.stripe_gateway import StripeGateway

MAX_API_VERSION = 64


def check_mobile_api_version(version: str | None) -> None:
    if version is not None and not (1 <= len(version) <= MAX_API_VERSION and version.isprintable()):
        raise BillingError(
            ErrorCode.INVALID_INPUT, "Unrecognised mobile API version.", "mobileApiVersion"
        )


async def ephemeral_key(
    gateway: StripeGateway, customer_id: str, version: str | None
) -> str | None:
    """The key's secret for the app's customer; None when the client asked for none."""
    if not version:
        return None
    key = await gateway.create_ephemeral_key(customer_id, version)
    return str(key["secret"])
