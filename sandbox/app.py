"""The sandbox's aiohttp app, composed from localstripe's building blocks and the sandbox's
own resources, and served on loopback only.

localstripe's own CLI and module-level ``app`` are not used: they bind every interface and
pickle their state into a file shared by every instance.
"""

import asyncio
import ipaddress
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe import resources
from localstripe.server import (
    add_cors_headers,
    api_create,
    api_delete,
    api_extra,
    api_list_all,
    api_retrieve,
    api_update,
    auth_middleware,
    localstripe_js,
)

from sandbox import (
    backdating,
    billing_portal,
    charges,
    checkout_sessions,
    customers,
    disputes,
    ephemeral_keys,
    invoice_items,
    invoice_payments,
    invoice_previews,
    invoices,
    pages,
    params,
    patches,
    payment_intents,
    payment_methods,
    plans,
    promotions,
    recording,
    refunds,
    setup_intents,
    subscription_items,
    subscription_schedules,
    subscriptions,
    webhooks,
)
from sandbox.context import request_ids
from sandbox.errors import stripe_errors
from sandbox.events import Event
from sandbox.holding import Holding
from sandbox.idempotency import IdempotencyKeys
from sandbox.persistence import StateFile
from sandbox.prices import Price
from sandbox.products import Product

_ALL = ("create", "retrieve", "update", "delete", "list")
# localstripe's resources served as they are.
_LOCALSTRIPE_RESOURCES = (
    resources.BalanceTransaction,
    resources.Coupon,
    resources.PaymentMethod,
    resources.Payout,
    resources.Source,
    resources.TaxRate,
    resources.Token,
)
# The sandbox's own resources and the operations they serve.
_SANDBOX_RESOURCES: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Product, _ALL),
    (Price, ("create", "retrieve", "update", "list")),
    (Event, ("retrieve", "list")),
    (customers.Customer, _ALL),
    (charges.Charge, ("retrieve", "update", "list")),
    (payment_intents.PaymentIntent, ("create", "retrieve", "update", "list")),
    (refunds.Refund, ("create", "retrieve", "update", "list")),
    (setup_intents.SetupIntent, ("create", "retrieve", "update", "list")),
    (disputes.Dispute, ("retrieve", "update", "list")),
    (ephemeral_keys.EphemeralKey, ("create", "delete")),
    (plans.Plan, _ALL),
    (promotions.PromotionCode, ("create", "retrieve", "update", "list")),
    (subscriptions.Subscription, ("create", "retrieve", "update", "list")),
    (subscription_items.SubscriptionItem, ("retrieve", "list")),
    (subscription_schedules.SubscriptionSchedule, ("create", "retrieve", "update")),
    (invoices.Invoice, ("retrieve", "list")),
    (invoice_items.InvoiceItem, ("retrieve", "list")),
    (invoice_payments.InvoicePayment, ("retrieve", "list")),
    (checkout_sessions.CheckoutSession, ("create", "retrieve", "list")),
    (billing_portal.BillingPortalSession, ("create",)),
)
# Modules whose ROUTES add actions (/v1/.../{id}/confirm) and test helpers (/_sandbox/...).
_ROUTE_MODULES = (
    payment_intents,
    payment_methods,
    setup_intents,
    refunds,
    disputes,
    invoice_previews,
    invoices,
    subscriptions,
    subscription_schedules,
    backdating,
    checkout_sessions,
)
# localstripe's own actions on the resources the sandbox replaced.
_REPLACED_ACTIONS = (
    "/v1/charges/",
    "/v1/customers/{id}/subscriptions",
    "/v1/invoices/",
    "/v1/payment_intents/",
    "/v1/payment_methods/{id}/attach",
    "/v1/payment_methods/{id}/detach",
    "/v1/setup_intents/",
)
# Operation -> (method, path suffix, localstripe's route factory).
_OPERATIONS = {
    "create": ("POST", "", params.refusing_empty(api_create)),
    "retrieve": ("GET", "/{id}", api_retrieve),
    "update": ("POST", "/{id}", api_update),
    "delete": ("DELETE", "/{id}", api_delete),
    "list": ("GET", "", api_list_all),
}


def create_app(state_file: Path | None = None) -> web.Application:
    """A new sandbox app. localstripe's state is process-global: one app per process.
    With ``state_file`` the state is loaded from it and saved back (sandbox.persistence)."""
    delivery = webhooks.WebhookDelivery(webhooks.Chaos.from_environment())
    idempotency = IdempotencyKeys()
    holding = Holding()
    patches.install(delivery)
    middlewares = [
        request_ids,
        stripe_errors,
        _authenticate,
        holding.middleware,
        idempotency.middleware,
    ]
    recorder = recording.from_environment()
    if recorder is not None:
        # Outside stripe_errors, so error answers are recorded as they are sent.
        middlewares.insert(1, recorder.middleware)
        resources.schedule_webhook = recorder.events(resources.schedule_webhook)

    state = None if state_file is None else StateFile(state_file, idempotency)
    if state is not None:
        state.load()
        delivery.hold(state.undelivered())
        middlewares.insert(0, state.middleware)
    app = web.Application(middlewares=middlewares)
    app.on_response_prepare.append(add_cors_headers)
    app.on_startup.append(delivery.start)
    app.on_cleanup.append(delivery.stop)
    if state is not None:
        app.on_cleanup.append(state.stop)

    # Before the /{id} routes, so that fixed paths are never taken for an id.
    actions = [
        action for action in resources.extra_apis if not action[1].startswith(_REPLACED_ACTIONS)
    ]
    for module in _ROUTE_MODULES:
        actions += module.ROUTES
    for method, url, func in actions:
        app.router.add_route(method, url, api_extra(func, url))
    for cls in _LOCALSTRIPE_RESOURCES:
        _add_resource(app, cls, _ALL)
    for cls, operations in _SANDBOX_RESOURCES:
        _add_resource(app, cls, operations)

    async def reset(request: web.Request) -> web.StreamResponse:
        # Undelivered events of the forgotten state must not reach the next test's receiver.
        delivery.discard_pending()
        idempotency.clear()
        holding.release()
        resources.store.clear()
        return web.Response()

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_delete("/_config/data", reset)
    app.router.add_get("/_sandbox/health", health)
    app.router.add_routes(webhooks.routes(delivery))
    app.router.add_routes(holding.routes())
    app.router.add_routes(pages.routes())
    app.router.add_get("/js.stripe.com/v3/", localstripe_js)
    return app


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    exit_with_stdin: bool = False,
    state_file: Path | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM (or, with ``exit_with_stdin``, until stdin reaches end of
    file); print ``sandbox listening on <url>`` once ready."""
    asyncio.run(_serve(host, port, exit_with_stdin, state_file))


async def _serve(host: str, port: int, exit_with_stdin: bool, state_file: Path | None) -> None:
    sock = _bind_loopback(host, port)
    runner = web.AppRunner(create_app(state_file), access_log=None, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    address, bound_port = sock.getsockname()[:2]
    shown = f"[{address}]" if sock.family == socket.AF_INET6 else address
    print(f"sandbox listening on http://{shown}:{bound_port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if exit_with_stdin:
        _stop_at_end_of_stdin(loop, stop)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def _stop_at_end_of_stdin(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Stop once stdin closes: a parent that holds the pipe's other end and dies, even by
    SIGKILL, takes the sandbox down with it instead of leaving an orphan on the port."""
    fd = sys.stdin.fileno()

    def readable() -> None:
        if not os.read(fd, 4096):
            loop.remove_reader(fd)
            stop.set()

    loop.add_reader(fd, readable)


def _bind_loopback(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``, refused unless it is a loopback address: the sandbox
    accepts any ``sk_`` key and must not be reachable from other machines."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    if not ipaddress.ip_address(address[0]).is_loopback:
        raise SystemExit(f"sandbox: refusing to listen on {host}: not a loopback address")
    return socket.create_server(address[:2], family=family)


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """localstripe's API-key check; the sandbox's test helpers and hosted pages need none."""
    if request.path.startswith(("/_sandbox/", *pages.PREFIXES)):
        return await handler(request)
    response: web.StreamResponse = await auth_middleware(request, handler)
    return response


def _add_resource(app: web.Application, cls: Any, operations: tuple[str, ...]) -> None:
    collection = getattr(cls, "_collection", f"/v1/{cls.object}s")
    for operation in operations:
        method, suffix, factory = _OPERATIONS[operation]
        url = collection + suffix
        app.router.add_route(method, url, factory(cls, url))
