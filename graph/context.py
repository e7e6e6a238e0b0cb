"""Per-request context: who is calling, and request-scoped loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.types import Info as StrawberryInfo

from billing.clock import Clock, utcnow
from billing.errors import BillingError, ErrorCode
from billing.settings import Settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from graph.loaders import Loaders


@dataclass
class Context:
    settings: Settings
    gateway: StripeGateway | None
    request_id: str
    caller: Caller | None = None
    # Why the bearer token was refused, for the UNAUTHENTICATED message.
    auth_error: str | None = None
    loaders: Loaders = field(default_factory=Loaders)
    # Billing periods depend on the time; tests inject a clock.
    clock: Clock = utcnow

    def stripe(self) -> StripeGateway:
        """The gateway; a mutation without one answers STRIPE_UNAVAILABLE."""
        if self.gateway is None:
            raise BillingError(
                ErrorCode.STRIPE_UNAVAILABLE, "Stripe is not configured (STRIPE_SECRET_KEY)."
            )
        return self.gateway


Info = StrawberryInfo[Context, None]
