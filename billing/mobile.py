"""What mobile clients get besides a client secret: an ephemeral key for the
customer, minted for the API version of the Stripe SDK in the app (which may
differ from the server's)."""

from __future__ import annotations

from billing.errors import BillingError, ErrorCode
from billing.stripe_gateway import StripeGateway


def check_mobile_api_version(version: str | None) -> None:
    if version is not None and not (1 <= len(version) <= 64 and version.isprintable()):
        raise BillingError(
            ErrorCode.INVALID_INPUT, "Unrecognised mobile API version.", "mobileApiVersion"
        )


async def ephemeral_key(
    customer_id: str, version: str | None, gateway: StripeGateway
) -> str | None:
    """The key's secret when the client named its SDK's API version, else None."""
    if not version:
        return None
    key = await gateway.create_ephemeral_key(customer_id, version)
    return str(key["secret"])
