"""Per-request context: who is calling, and request-scoped loaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from billing.clock import Clock, utcnow
from billing.entitlements import Entitlements
from billing.errors import BillingError, ErrorCode
from billing.event_log import Replayer
from billing.live import Hub
from billing.ratelimits import RateLimiter
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
    # The process's rate limiter (None: no limits) and the caller's address, whose
    # budget calls without a valid token spend.
    limiter: RateLimiter | None = None
    client_address: str = "-"
    # Live (WebSocket) connections: the process's hub, the socket, and the
    # connection_init payload that carries the token.
    hub: Hub | None = None
    websocket: WebSocket | None = None
    connection_params: dict[str, object] | None = None
    # Closes the socket when the token expires; cancelled when it closes first.
    expiry: asyncio.TimerHandle | None = None
    # Re-applies a stored Stripe event (webhooks/, wired by the server); None
    # without Stripe.
    replayer: Replayer | None = None
    # The process's cache of users' entitlements (None: read every time).
    entitlements: Entitlements | None = None

    def stripe(self) -> StripeGateway:
        """The gateway; a mutation without one answers STRIPE_UNAVAILABLE."""
        if self.gateway is None:
            raise BillingError(
                ErrorCode.STRIPE_UNAVAILABLE, "Stripe is not configured (STRIPE_SECRET_KEY)."
            )
        return self.gateway


Info = StrawberryInfo[Context, None]
