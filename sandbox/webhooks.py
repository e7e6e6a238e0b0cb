"""Webhook delivery: one queue per sandbox, events sent one at a time in creation order,
signed exactly like Stripe.

Each endpoint has an API version, as in Stripe (``GET /v1/webhook_endpoints`` lists them):
the sandbox's own unless ``/_config/webhooks/{id}`` names another. Its events are labelled
with that version (the sandbox renders only its own version's shapes), so that tests can
see how billgraph treats events of another version.

localstripe sends each event from its own task after a one-second sleep, so events arrive
late and out of order and tests can only wait and hope. Here ``drain`` returns once every
event emitted so far was delivered or failed. Failures are logged, not retried: billgraph
reconciles from ``GET /v1/events``. Endpoints stay in localstripe's registry, filled by its
``POST /_config/webhooks/{id}``.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import aiohttp
from aiohttp import web
from localstripe import webhooks as localstripe_webhooks
from localstripe.server import config_webhook, get_post_data

from sandbox import versioning

logger = logging.getLogger(__name__)

_TIMEOUT = aiohttp.ClientTimeout(total=10)


def endpoints_for(event_type: str) -> list[Any]:
    """The configured endpoints that subscribe to ``event_type`` (``*`` = all)."""
    return [
        endpoint
        for endpoint in localstripe_webhooks._webhooks.values()
        if endpoint.events is None or event_type in endpoint.events or "*" in endpoint.events
    ]


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header value for ``payload``."""
    signed = b"%d.%s" % (timestamp, payload)
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class WebhookDelivery:
    """The sandbox's delivery queue; ``enqueue`` replaces localstripe's ``schedule_webhook``."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None

    def enqueue(self, event: Any) -> None:
        self._queue.put_nowait(event)

    async def drain(self) -> None:
        """Wait until every event enqueued so far was delivered or failed."""
        await self._queue.join()

    def discard_pending(self) -> None:
        """Drop the events not yet sent (on reset: they belong to the forgotten state)."""
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()

    async def start(self, app: web.Application) -> None:
        self._session = aiohttp.ClientSession(timeout=_TIMEOUT)
        self._worker = asyncio.create_task(self._run())

    async def stop(self, app: web.Application) -> None:
        if self._worker is not None:
            self._worker.cancel()
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                for endpoint in endpoints_for(event.type):
                    await self._deliver(event, endpoint)
            except Exception:
                logger.exception("webhook delivery of %s crashed", event.id)
            finally:
                self._queue.task_done()

    async def _deliver(self, event: Any, endpoint: Any) -> None:
        assert self._session is not None
        exported = {**event._export(), "api_version": _api_version(endpoint)}
        payload = json.dumps(exported, indent=2).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": sign(payload, endpoint.secret, int(time.time())),
        }
        try:
            async with self._session.post(endpoint.url, data=payload, headers=headers) as answer:
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.warning(
                "webhook %s %s to %s failed: %r", event.type, event.id, endpoint.url, error
            )
            return
        if 200 <= status < 300:
            event.pending_webhooks -= 1
            logger.info("webhook %s %s delivered to %s", event.type, event.id, endpoint.url)
        else:
            logger.warning(
                "webhook %s %s to %s answered %d", event.type, event.id, endpoint.url, status
            )


def _api_version(endpoint: Any) -> str:
    return getattr(endpoint, "api_version", None) or versioning.API_VERSION


def _endpoint(id: str, endpoint: Any) -> dict[str, Any]:
    """A configured endpoint as Stripe lists it (the secret is shown only on create)."""
    return {
        "id": f"we_{id}",
        "object": "webhook_endpoint",
        "api_version": _api_version(endpoint),
        "application": None,
        "created": endpoint.created,
        "description": None,
        "enabled_events": endpoint.events or ["*"],
        "livemode": False,
        "metadata": {},
        "status": "enabled",
        "url": endpoint.url,
    }


def routes(delivery: WebhookDelivery) -> list[web.RouteDef]:
    """localstripe's ``POST /_config/webhooks/{id}`` (form ``url``, ``secret``, optional
    ``events`` and, here, ``api_version``) plus its missing removal, the drain that tests
    wait on and Stripe's list of webhook endpoints."""

    async def configure(request: web.Request) -> web.StreamResponse:
        data = await get_post_data(request) or {}
        answer: web.StreamResponse = await config_webhook(request)
        endpoint = localstripe_webhooks._webhooks[request.match_info["id"]]
        endpoint.api_version = data.get("api_version") or None
        endpoint.created = int(time.time())
        return answer

    async def listed(request: web.Request) -> web.Response:
        data = [_endpoint(id, e) for id, e in reversed(localstripe_webhooks._webhooks.items())]
        return web.json_response(
            {"object": "list", "data": data, "has_more": False, "url": "/v1/webhook_endpoints"}
        )

    async def drain(request: web.Request) -> web.Response:
        await delivery.drain()
        return web.json_response({"drained": True})

    async def remove(request: web.Request) -> web.Response:
        localstripe_webhooks._webhooks.pop(request.match_info["id"], None)
        return web.Response()

    return [
        web.post("/_config/webhooks/{id}", configure),
        web.get("/v1/webhook_endpoints", listed),
        web.post("/_sandbox/webhooks/drain", drain),
        web.delete("/_config/webhooks/{id}", remove),
    ]
