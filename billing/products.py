"""Stripe Products that the catalog sync keeps in step with the plans file
(one per paid plan, one per credit pack), and the sync's report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from billing.idempotency import stripe_key
from billing.stripe_gateway import ProductCreateParams, StripeGateway, StripeObjectMissing


@dataclass
class SyncReport:
    """What a sync did, per kind of object: created/updated/deactivated/unchanged."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, what: str) -> None:
        self.counts[what] += 1

    @property
    def changed(self) -> bool:
        return any(not what.endswith("unchanged") for what in self.counts)

    def summary(self) -> str:
        return ", ".join(f"{what}: {n}" for what, n in sorted(self.counts.items())) or "nothing"


async def sync_product(
    pid: str,
    name: str,
    description: str | None,
    metadata: dict[str, str],
    gateway: StripeGateway,
    report: SyncReport,
    what: str = "products",
) -> bool:
    """Create or update the Stripe Product ``pid``; False if it was as wanted."""
    try:
        product = await gateway.retrieve_product(pid)
    except StripeObjectMissing:
        created: ProductCreateParams = {"id": pid, "name": name, "metadata": metadata}
        if description:  # Stripe refuses "" on create (parameter_invalid_empty)
            created["description"] = description
        await gateway.create_product(
            created, idempotency_key=stripe_key("catalog", "product", pid, name, description)
        )
        report.add(f"{what} created")
        return True
    if (
        product.get("name") != name
        or (product.get("description") or "") != (description or "")
        or not product.get("active", True)
        or any((product.get("metadata") or {}).get(k) != v for k, v in metadata.items())
    ):
        await gateway.update_product(
            pid,
            {
                "name": name,
                "description": description or "",  # "" unsets it, as meant
                "active": True,
                "metadata": metadata,
            },
        )
        report.add(f"{what} updated")
        return True
    report.add(f"{what} unchanged")
    return False
