"""POST /webhooks/stripe: raw body -> signature -> store -> apply -> answer.

Status codes are chosen for Stripe's retry logic: 4xx for deliveries that
will never be valid (bad signature, not an event), 5xx when we failed and a
retry may succeed (handler error, missing configuration).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from billing.clock import Clock
from billing.metrics import WEBHOOK_EVENTS
from billing.settings import Settings
from billing.stripe_gateway import StripeGateway
from models.webhooks import EventStatus
from webhooks.pipeline import MalformedEvent, ingest
from webhooks.signature import SignatureError, verify

log = logging.getLogger("billgraph.webhooks")


def _refuse(status: int, reason: str) -> Response:
    return JSONResponse({"error": reason}, status_code=status)


def _bad_request(request: Request, reason: str) -> Response:
    """The sender's fault: one log line with the request id, no traceback."""
    WEBHOOK_EVENTS.labels("-", "refused").inc()  # the type of an untrusted body is no label
    request_id = request.scope.get("state", {}).get("request_id", "-")
    log.warning("webhook refused request_id=%s reason=%s", request_id, reason)
    return _refuse(400, reason)


def stripe_webhook_endpoint(
    settings: Settings, gateway: StripeGateway | None, clock: Clock
) -> Callable[[Request], Awaitable[Response]]:
    secrets = tuple(s.get_secret_value() for s in settings.stripe_webhook_secret)

    async def endpoint(request: Request) -> Response:
        if not secrets or gateway is None:
            log.error("webhook refused: STRIPE_WEBHOOK_SECRET or STRIPE_SECRET_KEY is not set")
            return _refuse(500, "webhooks are not configured")
        body = await request.body()  # the app's body cap answers 413 to a large one
        try:
            verify(body, request.headers.get("stripe-signature"), secrets, now=clock().timestamp())
        except SignatureError as exc:
            return _bad_request(request, str(exc))
        try:
            event = json.loads(body)
        except (ValueError, RecursionError):
            event = None
        if not isinstance(event, dict):
            return _bad_request(request, "invalid JSON")
        # Only a malformed event is the sender's fault; anything else raised
        # while storing must be a 500, so that Stripe retries.
        try:
            outcome = await ingest(event, gateway)
        except MalformedEvent as exc:
            return _bad_request(request, str(exc))
        WEBHOOK_EVENTS.labels(
            event.get("type"), "duplicate" if outcome.duplicate else outcome.status.value
        ).inc()
        if outcome.status is EventStatus.FAILED:
            return _refuse(500, "event failed to apply; it will be retried")
        return JSONResponse(
            {"received": True, "status": outcome.status.value, "duplicate": outcome.duplicate}
        )

    return endpoint
