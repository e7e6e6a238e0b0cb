"""Per-request context: who is calling, and request-scoped loaders."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types import Info as StrawberryInfo

from billing.clock import Clock, utcnow
from billing.settings import Settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller


@dataclass
class Context:
    settings: Settings
    gateway: StripeGateway | None
    request_id: str
    caller: Caller | None = None
    # Why the bearer token was refused, for the UNAUTHENTICATED message.
    auth_error: str | None = None
    # Billing periods depend on the time; tests inject a clock.
    clock: Clock = utcnow


Info = StrawberryInfo[Context, None]
