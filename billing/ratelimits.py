"""Per-caller budgets for API operations (the ``limits`` library).

Each operation belongs to a class with its own budget (Settings: RATE_LIMIT_*).
A budget is counted per user (per service token for services) and, for calls
without a valid token, per client address. Budgets live in memory by default
or in Redis (RATE_LIMIT_STORAGE) so that every process and host shares them.
The moving window counts the last N minutes exactly: no burst of twice the
budget across a window boundary, as a fixed window would allow.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from billing.errors import BillingError, ErrorCode
from billing.metrics import RATE_LIMITED
from billing.settings import Settings

log = logging.getLogger("billgraph.ratelimits")

SWEEP_INTERVAL = 1.0  # seconds
ANONYMOUS = "anonymous"
DEFAULT = "default"

# Operation (GraphQL root field) -> class; any other operation is DEFAULT.
OPERATION_CLASSES: dict[str, str] = {
    "createPaymentIntent": "payments",
    "createSetupIntent": "payments",
    "createCheckoutSession": "checkout",
    "createBillingPortalSession": "checkout",
    "createSubscription": "subscriptions",
    "changePlan": "subscriptions",
    "cancelSubscription": "subscriptions",
    "resumeSubscription": "subscriptions",
    "cancelScheduledChange": "subscriptions",
    "refundPayment": "refunds",
    "trackUsage": "usage",
    "spendCredits": "credits",
    "buyCredits": "credits",
    "grantCredits": "credits",
}


def operation_class(operation: str, authenticated: bool) -> str:
    if not authenticated:
        return ANONYMOUS
    return OPERATION_CLASSES.get(operation, DEFAULT)


class SweptMemoryStorage(MemoryStorage):
    """limits' memory storage starts a sweep of every key's expired entries after
    each hit, with a thread hop per key: about 35 us of CPU per check here
    (bench/ops.py). Entries older than the window are only memory: the moving
    window compares their timestamps anyway. A sweep a second is enough."""

    swept = 0.0

    async def _MemoryStorage__schedule_expiry(self) -> None:  # the name limits calls
        now = time.monotonic()
        if now - self.swept >= SWEEP_INTERVAL:
            self.swept = now
            await super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


def storage_for(uri: str) -> Storage:
    """memory:// or redis[s]://...: the async flavour, redis-py as the client."""
    if uri == "memory://":
        return SweptMemoryStorage()
    return RedisStorage(f"async+{uri}", implementation="redispy", wrap_exceptions=True)


class RateLimiter:
    """One per process (none when RATE_LIMIT_ENABLED is false): ``check``
    spends one unit of the caller's budget or raises RATE_LIMITED with the
    seconds until a unit frees up."""

    def __init__(self, settings: Settings) -> None:
        self.items: dict[str, RateLimitItem] = {
            name: parse(limit) for name, limit in settings.rate_limits.items()
        }
        self.limiter = MovingWindowRateLimiter(storage_for(settings.rate_limit_storage))

    async def check(self, operation: str, user_id: str | None, address: str) -> None:
        kind = operation_class(operation, user_id is not None)
        item = self.items[kind]
        who = f"user:{user_id}" if user_id is not None else f"address:{address}"
        try:
            if await self.limiter.hit(item, kind, who):
                return
            reset_at = (await self.limiter.get_window_stats(item, kind, who)).reset_time
        except StorageError as exc:
            # The budget store is down: serving beats refusing every caller.
            log.warning("rate limit storage unavailable, not limiting: %s", exc.storage_error)
            return
        RATE_LIMITED.labels(kind).inc()
        retry_after = max(1, math.ceil(reset_at - time.time()))
        log.info("rate limited %s operation=%s retry_after=%d", who, operation, retry_after)
        raise BillingError(
            ErrorCode.RATE_LIMITED,
            f"Too many {kind} requests: {item.amount} per {_window(item)} allowed; "
            f"retry in {retry_after} s.",
            retry_after=retry_after,
        )


def _window(item: RateLimitItem) -> str:
    seconds = item.get_expiry()
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"
