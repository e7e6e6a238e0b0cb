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

Stripe itself promises less: at least once, in any order, retried with backoff on any
answer but a 2xx. ``Chaos`` (``POST /_config/chaos``, or ``SANDBOX_CHAOS=1`` at start) makes
the sandbox deliver like that, so that tests and ``make run`` exercise it; ``drain`` then
also waits for the delayed copies and the retries.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import os
import random
import time
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp
from aiohttp import web
from localstripe import webhooks as localstripe_webhooks
from localstripe.server import config_webhook, get_post_data

from sandbox import versioning
from sandbox.errors import invalid_request

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


@dataclass(frozen=True)
class Chaos:
    """Delivery as Stripe promises it rather than in order, once.

    Each delivery waits a random time up to ``delay`` seconds (so later events overtake
    earlier ones), is sent twice with probability ``duplicate``, and is retried up to
    ``retries`` times on a non-2xx answer or a failed connection, after ``backoff`` seconds
    doubling each time. ``seed`` makes the choices repeatable.
    """

    duplicate: float = 0.3
    delay: float = 0.05
    retries: int = 6
    backoff: float = 0.05
    seed: int | None = None

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> "Chaos":
        """From ``POST /_config/chaos``'s form; omitted fields keep their defaults."""
        defaults = cls()
        values: dict[str, Any] = {}
        for name, kind, low, high in _CHAOS_FIELDS:
            raw = data.get(name)
            if raw is None or raw == "":
                continue
            try:
                value = kind(raw)
            except ValueError:
                raise invalid_request(f"Invalid {name}: {raw!r}", name) from None
            if not low <= value <= high:
                raise invalid_request(f"Invalid {name}: must be {low} to {high}", name)
            values[name] = value
        return cls(**{**asdict(defaults), **values})

    @classmethod
    def from_environment(cls) -> "Chaos | None":
        """``SANDBOX_CHAOS=1``: the `make run CHAOS=1` switch, with delays a person notices."""
        if os.environ.get("SANDBOX_CHAOS", "") in {"", "0"}:
            return None
        return cls(duplicate=0.3, delay=3.0, retries=8, backoff=1.0)


_CHAOS_FIELDS: tuple[tuple[str, type, float, float], ...] = (
    ("duplicate", float, 0.0, 1.0),
    ("delay", float, 0.0, 60.0),
    ("retries", int, 0, 20),
    ("backoff", float, 0.0, 60.0),
    ("seed", int, 0, 2**63),
)


class WebhookDelivery:
    """The sandbox's delivery queue; ``enqueue`` replaces localstripe's ``schedule_webhook``."""

    def __init__(self, chaos: Chaos | None = None) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._scattered: set[asyncio.Task[None]] = set()
        self._held: list[Any] = []
        self.configure(chaos)

    def configure(self, chaos: Chaos | None) -> None:
        """In order and once (None), or like Stripe (``chaos``); for the events sent next."""
        self.chaos = chaos
        self._random = random.Random(chaos.seed if chaos else None)  # noqa: S311 - not crypto

    def enqueue(self, event: Any) -> None:
        self._queue.put_nowait(event)

    def hold(self, events: list[Any]) -> None:
        """Events a previous run of this sandbox left undelivered: sent again, like Stripe's
        retries, once an endpoint is configured (a restarted sandbox starts with none)."""
        self._held = list(events)

    def release_held(self) -> None:
        held, self._held = self._held, []
        for event in held:
            self.enqueue(event)

    async def drain(self) -> None:
        """Wait until every event enqueued so far was delivered or failed, including the
        delayed copies and retries of chaos mode (whose handlers may emit more events)."""
        while True:
            await self._queue.join()
            if not self._scattered:
                return
            await asyncio.gather(*self._scattered, return_exceptions=True)

    def discard_pending(self) -> None:
        """Drop the events not yet sent (on reset: they belong to the forgotten state)."""
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        for task in self._scattered:
            task.cancel()

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
                    if self.chaos is None:
                        if await self._deliver(event, endpoint):
                            event.pending_webhooks -= 1
                    else:
                        self._scatter(event, endpoint, self.chaos)
            except Exception:
                logger.exception("webhook delivery of %s crashed", event.id)
            finally:
                self._queue.task_done()

    def _scatter(self, event: Any, endpoint: Any, chaos: Chaos) -> None:
        """Chaos mode: this delivery, maybe twice, each copy late and retried on its own."""
        copies = 2 if self._random.random() < chaos.duplicate else 1
        delivered = asyncio.Event()  # the first copy through settles pending_webhooks
        for _ in range(copies):
            delay = self._random.uniform(0, chaos.delay)
            task = asyncio.create_task(self._deliver_late(event, endpoint, chaos, delay, delivered))
            self._scattered.add(task)
            task.add_done_callback(self._scattered.discard)

    async def _deliver_late(
        self, event: Any, endpoint: Any, chaos: Chaos, delay: float, delivered: asyncio.Event
    ) -> None:
        await asyncio.sleep(delay)
        for attempt in range(chaos.retries + 1):
            if attempt:
                await asyncio.sleep(chaos.backoff * 2 ** (attempt - 1))
            if await self._deliver(event, endpoint):
                if not delivered.is_set():
                    delivered.set()
                    event.pending_webhooks -= 1
                return

    async def _deliver(self, event: Any, endpoint: Any) -> bool:
        """Send ``event`` to ``endpoint`` once; whether it answered 2xx."""
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
            return False
        if 200 <= status < 300:
            logger.info("webhook %s %s delivered to %s", event.type, event.id, endpoint.url)
            return True
        logger.warning(
            "webhook %s %s to %s answered %d", event.type, event.id, endpoint.url, status
        )
        return False


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
        delivery.release_held()
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

    def chaos_answer() -> web.Response:
        chaos = delivery.chaos
        return web.json_response({"enabled": chaos is not None, **(asdict(chaos) if chaos else {})})

    async def set_chaos(request: web.Request) -> web.Response:
        delivery.configure(Chaos.from_form(dict(await get_post_data(request) or {})))
        return chaos_answer()

    async def get_chaos(request: web.Request) -> web.Response:
        return chaos_answer()

    async def end_chaos(request: web.Request) -> web.Response:
        delivery.configure(None)
        return chaos_answer()

    return [
        web.post("/_config/webhooks/{id}", configure),
        web.get("/v1/webhook_endpoints", listed),
        web.post("/_sandbox/webhooks/drain", drain),
        web.delete("/_config/webhooks/{id}", remove),
        web.post("/_config/chaos", set_chaos),
        web.get("/_config/chaos", get_chaos),
        web.delete("/_config/chaos", end_chaos),
    ]
