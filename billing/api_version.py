"""Which Stripe API versions billgraph reads: its SDK's major release.

A version is a date and a release name (``2025-04-30.basil``). Stripe ships
breaking changes only with a new release; the monthly versions within one
(``2025-05-28.basil``) add fields without changing the shapes billgraph
reads, so their events are accepted, and those of another release refused.
"""

from __future__ import annotations

from billing.stripe_gateway import API_VERSION, StripeGateway

# Where billgraph receives Stripe's events (server.app mounts it).
WEBHOOK_PATH = "/webhooks/stripe"


def release(version: str) -> str:
    """The release name after the dot ("" for versions from before release names)."""
    return version.partition(".")[2]


def readable(version: str) -> bool:
    """Whether billgraph reads the shapes of events of ``version``."""
    return release(version) == release(API_VERSION) != ""


async def endpoint_mismatches(gateway: StripeGateway) -> list[str]:
    """One line per webhook endpoint in Stripe that sends billgraph (by its path)
    events of another release, which billgraph would refuse."""
    return [
        f"Stripe's webhook endpoint {endpoint['url']} sends API version "
        f"{endpoint.get('api_version') or 'the account default'}, billgraph reads {API_VERSION}: "
        "set the endpoint's API version in Stripe"
        for endpoint in await gateway.list_webhook_endpoints()
        if str(endpoint.get("url", "")).rstrip("/").endswith(WEBHOOK_PATH)
        and not readable(str(endpoint.get("api_version") or ""))
    ]
