"""The Starlette application: composition root for graph/ and webhooks/."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import json
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

from cross_web import HTTPException  # what strawberry views raise for a bad request
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.http import process_result
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from billing.catalog_version import CatalogWatch, watch_catalog
from billing.clock import Clock, utcnow
from billing.credits import low_threshold
from billing.entitlements import Entitlements
from billing.errors import BillingError
from billing.live import Hub
from billing.metrics import LATENCY, REQUESTS
from billing.ratelimits import RateLimiter
from billing.request_log import CURRENT, RequestFields
from billing.settings import Settings, get_settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import InvalidToken, VerifiedTokens
from graph.context import Context
from graph.live import accept_socket
from graph.prepared import execute as execute_prepared
from graph.prepared import prepare
from graph.schema import schema
from models.database import server_config
from server.background import Background
from server.graphiql import OfflineGraphQL, graphiql_routes
from server.metrics import loopback_listener, token_protected
from server.refusals import BodyLimitMiddleware, refusal
from server.response_cache import ResponseCache
from webhooks.endpoint import stripe_webhook_endpoint
from webhooks.recovery import replay_event

log = logging.getLogger("billgraph")

# strawberry's ``json.dumps(data, separators=(",", ":"))`` without building an
# encoder per call: the same bytes.
_encode = json.JSONEncoder(separators=(",", ":")).encode

MAX_LIVE_SUBSCRIPTIONS = 10
GRAPHQL_PATH = "/graphql"
LIVE_CONTEXT = "billgraph.live_context"
YOUNG_COLLECTION_THRESHOLD = 5000  # allocations between young GC collections (default 700)

LOCAL_DEV_ORIGINS = (
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://localhost:5173",
    "http://127.0.0.1:5173",
)


class BillgraphGraphQL(OfflineGraphQL):
    """Strawberry's view with our context (the verified caller, a request id),
    refusals as JSON, and GraphiQL only where introspection is on."""

    def __init__(
        self,
        settings: Settings,
        gateway: StripeGateway | None,
        clock: Clock,
        hub: Hub,
        cache: ResponseCache,
        origins: Sequence[str] = (),
        limiter: RateLimiter | None = None,
        entitlements: Entitlements | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.introspection else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=False,
            max_subscriptions_per_connection=MAX_LIVE_SUBSCRIPTIONS,
            allowed_origins=origins,
        )
        self.settings = settings
        self.gateway = gateway
        self.clock = clock
        self.hub = hub
        self.replayer = None if gateway is None else partial(replay_event, gateway=gateway)
        self.limiter = limiter
        self.cache = cache
        self.entitlements = entitlements
        self.tokens = VerifiedTokens(settings)
        # Settings' derived properties parse URLs on every read; fixed per process.
        self.introspection = settings.introspection

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            try:
                await super().__call__(scope, receive, send)
            finally:
                live: Context | None = scope.get(LIVE_CONTEXT)
                if live is not None and live.expiry is not None:
                    live.expiry.cancel()  # the socket is gone: drop its expiry timer
            return
        key, body, started = None, None, time.perf_counter()
        if scope["method"] == "POST":
            body, receive = await _read_body(receive)
            key = self.cache.key(scope["headers"], body)
        version = self.cache.watch.version  # read before the answer is computed
        if (
            key is not None
            and (cached := self.cache.get(key)) is not None
            and await self._within_budget(scope)
        ):
            await send(cached.start())
            await send({"type": "http.response.body", "body": cached.body})
            for operation in cached.operations:  # as if the operation wrapper had run
                REQUESTS.labels(operation, "OK").inc()
                LATENCY.labels(operation).observe(time.perf_counter() - started)
            return
        if body is not None and (answer := await self._prepared(scope, body)) is not None:
            headers = [
                (b"content-length", str(len(answer)).encode()),
                (b"content-type", b"application/json"),
                (b"cache-control", b"no-store"),
            ]
            if key is not None:
                self.cache.put(key, version, answer, headers)
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": answer})
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as exc:
            response = refusal(scope, exc.status_code, exc.reason)
        # Answers carry billing data (and GET queries are cacheable by default).
        response.headers["Cache-Control"] = "no-store"
        if key is not None and response.status_code == 200:
            self.cache.put(key, version, bytes(response.body), list(response.raw_headers))
        await response(scope, receive, send)

    async def _prepared(self, scope: Any, body: bytes) -> bytes | None:
        """The answer to a POSTed JSON request for a prepared operation
        (graph/prepared.py: no per-request extensions); None for anything else
        (GraphiQL, streaming, batches, every refusal): strawberry's view
        answers those as before."""
        media, accept, authorization = b"", b"", b""
        for name, value in scope["headers"]:
            if name == b"content-type":
                media = value.split(b";", 1)[0].strip()
            elif name == b"accept":
                accept = value
            elif name == b"authorization" and not authorization:  # the first, as Headers.get
                authorization = value
        if media != b"application/json" or b"multipart" in accept or b"event-stream" in accept:
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict):
            return None
        query, name = data.get("query"), data.get("operationName")
        variables, extensions = data.get("variables"), data.get("extensions")
        if not (
            isinstance(query, str)
            and isinstance(name, str | None)
            and isinstance(variables, dict | None)
            and isinstance(extensions, dict | None)
        ):
            return None
        prepared = prepare(schema, query, name, self.introspection)
        if prepared is None:
            return None
        context = self._context(scope, authorization.decode("latin-1"))
        result = await execute_prepared(schema, prepared, variables, context, extensions)
        return _encode(process_result(result)).encode()

    async def _within_budget(self, scope: Any) -> bool:
        """A cached answer (only ever an anonymous one) still spends the address's
        budget; over it, the request runs normally and answers RATE_LIMITED."""
        if self.limiter is None:
            return True
        client = scope.get("client")
        try:
            await self.limiter.check("plans", None, client[0] if client else "-")
        except BillingError:
            return False
        return True

    def encode_json(self, data: object) -> str:
        return _encode(data)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return json.loads(data)
        except (UnicodeDecodeError, RecursionError):
            raise HTTPException(400, "Unable to parse request body as UTF-8 JSON") from None

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        context = self._context(request.scope, request.headers.get("authorization", ""))
        if isinstance(request, WebSocket):
            context.hub, context.websocket = self.hub, request
            request.scope[LIVE_CONTEXT] = context
        return context

    def _context(self, scope: Any, authorization: str) -> Context:
        """The request's context: its id, address and verified caller."""
        client = scope.get("client")
        context = Context(
            settings=self.settings,
            gateway=self.gateway,
            request_id=scope.get("state", {}).get("request_id") or request_ids.next(),
            clock=self.clock,
            replayer=self.replayer,
            limiter=self.limiter,
            client_address=client[0] if client else "-",
            entitlements=self.entitlements,
        )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            try:
                context.caller = self.tokens.verify(token.strip())
                if (fields := CURRENT.get()) is not None:
                    fields.user_id = context.caller.user_id
            except InvalidToken as exc:
                context.auth_error = str(exc)
        elif scheme:
            context.auth_error = "expected an Authorization: Bearer <token> header"
        return context

    async def on_ws_connect(self, context: Context) -> None:
        await accept_socket(context)


async def healthz(request: Request) -> Response:
    """The process is alive (no dependencies checked)."""
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """The database answers; load balancers route here."""
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception:
        log.exception("readiness check failed")
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})


async def _read_body(receive: Any) -> tuple[bytes, Any]:
    """The whole request body, and a receive that hands it on first (the body
    limit still applies: ``receive`` is the counting one). A client gone
    before the end leaves an empty body and its disconnect to hand on."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            chunks = []
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            break
    pending = [message]

    async def replay() -> Any:
        return pending.pop() if pending else await receive()

    return b"".join(chunks), replay


class RequestIds:
    """Request ids: 32 hex digits, a random prefix per process and a counter.

    An id only ties logs, errors and the X-Request-Id header together, so it
    must be unique, not unpredictable; ``uuid4`` read the OS's randomness for
    every request (~5 % of a small mutation's CPU). A forked child draws a
    new prefix, so workers never share ids."""

    def __init__(self) -> None:
        self._reseed()
        os.register_at_fork(after_in_child=self._reseed)

    def _reseed(self) -> None:
        self._prefix = secrets.token_hex(8)
        self._counter = itertools.count(secrets.randbits(63))

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFFFFFF:016x}"


request_ids = RequestIds()


class RequestIdMiddleware:
    """Give every HTTP request an id, echoed as X-Request-Id and used in logs."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_ids.next()
        scope.setdefault("state", {})["request_id"] = request_id
        logged = CURRENT.set(RequestFields(request_id))

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            CURRENT.reset(logged)


class GraphQLPosts:
    """The innermost middleware: a POST to /graphql goes straight to the GraphQL
    view. Starlette's exception middleware and router had nothing to do for it
    (the view answers its own refusals; an error still reaches the server
    error middleware) and cost ~10% of a small mutation's fixed CPU. Anything
    else (GET, HEAD, a wrong method, a mounted app) takes the router."""

    def __init__(self, app: Any, view: Any) -> None:
        self.app = app
        self.view = view

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == GRAPHQL_PATH
            and not scope.get("root_path")
        ):
            await self.view(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    *,
    own_database: bool = True,
    clock: Clock = utcnow,
    background: bool | None = None,
) -> Starlette:
    """Build the app. ``own_database=False`` leaves Tortoise to the caller (tests
    that run several apps against one database); ``clock`` is for tests.
    ``background`` (default: ``own_database``) runs the outbox relay, the
    notification dispatcher and the Live feed in this process."""
    settings = settings or get_settings()
    low_threshold.value = settings.credits_low_threshold
    gateway = StripeGateway(settings) if settings.stripe_secret_key else None
    origins = settings.cors_origins or (
        LOCAL_DEV_ORIGINS if settings.stripe_mode == "sandbox" else ()
    )

    hub = Hub()
    cache = ResponseCache(CatalogWatch())
    in_background = own_database if background is None else background

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if own_database:
                config = server_config(settings.database_url)
                await stack.enter_async_context(RegisterTortoise(app, config=config))
            if in_background:
                await stack.enter_async_context(Background(settings, clock, hub))
            if settings.metrics_port is not None:
                await stack.enter_async_context(loopback_listener(settings.metrics_port))
            watching = asyncio.create_task(watch_catalog(cache.watch))
            # What startup built (modules, the schema, pools) lives as long as the
            # process: kept out of the collector, a full collection no longer walks
            # those ~150,000 objects (1.5 ms of every payments page on average).
            gc.freeze()
            # Young collections every 5,000 allocations, not 700: a payments page
            # keeps thousands of objects alive while it is built, and each young
            # collection walked them again (3 a page, 0.6 ms; now ~0.35 ms).
            thresholds = gc.get_threshold()
            gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
            try:
                yield
            finally:
                gc.set_threshold(*thresholds)
                gc.unfreeze()
                watching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watching

    limiter = RateLimiter(settings) if settings.rate_limit_enabled else None
    entitlements = Entitlements(cache.watch, settings.entitlement_cache_seconds)
    graphql = BillgraphGraphQL(settings, gateway, clock, hub, cache, origins, limiter, entitlements)
    metrics = token_protected(settings)
    routes = [
        Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"]),
        WebSocketRoute(GRAPHQL_PATH, graphql),
        Route(
            "/webhooks/stripe", stripe_webhook_endpoint(settings, gateway, clock), methods=["POST"]
        ),
        *(graphiql_routes() if settings.introspection else ()),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *((metrics,) if metrics else ()),
    ]
    middleware = [Middleware(RequestIdMiddleware)]
    if origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            )
        )
    # Inside CORS and the request id, so a 413 carries both.
    middleware.append(Middleware(BodyLimitMiddleware))
    middleware.append(Middleware(GraphQLPosts, view=graphql))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.gateway = gateway
    app.state.hub = hub
    return app
