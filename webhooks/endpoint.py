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

from billing.settings import Settings
from billing.stripe_gateway import StripeGateway
from models.webhooks import EventStatus
from webhooks.pipeline import MalformedEvent, ingest
from webhooks.signature import SignatureError, verify

log = logging.getLogger("billgraph.webhooks")

MAX_BODY_BYTES = 1024 * 1024


class _TooLarge(Exception):
    pass


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
    return bytes(body)


def _refuse(status: int, reason: str) -> Response:
    return JSONResponse({"error": reason}, status_code=status)


def stripe_webhook_endpoint(
    settings: Settings, gateway: StripeGateway | None
) -> Callable[[Request], Awaitable[Response]]:
    secrets = tuple(s.get_secret_value() for s in settings.stripe_webhook_secret)

    async def endpoint(request: Request) -> Response:
        if not secrets or gateway is None:
            log.error("webhook refused: STRIPE_WEBHOOK_SECRET or STRIPE_SECRET_KEY is not set")
            return _refuse(500, "webhooks are not configured")
        try:
            body = await _read_body(request)
        except _TooLarge:
            return _refuse(413, "body larger than 1 MiB")
        try:
            verify(body, request.headers.get("stripe-signature"), secrets)
        except SignatureError as exc:
            log.warning("webhook refused: %s", exc)
            return _refuse(400, str(exc))
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            log.warning("webhook refused: body is not a JSON object")
            return _refuse(400, "invalid JSON")
        # Only a malformed event is the sender's fault; anything else raised
        # while storing must be a 500, so that Stripe retries.
        try:
            outcome = await ingest(event, gateway)
        except MalformedEvent as exc:
            log.warning("webhook refused: %s", exc)
            return _refuse(400, str(exc))
        if outcome.status is EventStatus.FAILED:
            return _refuse(500, "event failed to apply; it will be retried")
        return JSONResponse(
            {"received": True, "status": outcome.status.value, "duplicate": outcome.duplicate}
        )

    return endpoint
