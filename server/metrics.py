"""GET /metrics in Prometheus's text format.

Off unless configured: with METRICS_TOKEN on the API's port (the scraper sends
it as a bearer token, compared in constant time), with METRICS_PORT on a
separate listener bound to 127.0.0.1 only (a sidecar or node agent scrapes
it). Several workers each try that port; the first binds it and answers for
all of them, since it reads every worker's files (PROMETHEUS_MULTIPROC_DIR).

The backlogs are read from the database at scrape time: they are the state
of the queue, not something one process could count.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import logging
import os
import socket
from collections.abc import AsyncIterator, Iterable, Iterator

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from billing.settings import Settings
from models.events import OutboxEvent
from models.notifications import DeliveryStatus, NotificationDelivery

log = logging.getLogger("billgraph.metrics")


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


class _Backlogs:
    def __init__(self, outbox: int, deliveries: int) -> None:
        self.outbox, self.deliveries = outbox, deliveries

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily(
            "billgraph_outbox_backlog",
            "Domain events not yet handed to their subscribers.",
            value=self.outbox,
        )
        yield GaugeMetricFamily(
            "billgraph_notification_backlog",
            "Outgoing notifications waiting for a (next) delivery attempt.",
            value=self.deliveries,
        )


async def exposition() -> bytes:
    """Every process's metrics, then the backlogs read now."""
    backlogs = CollectorRegistry(auto_describe=False)
    backlogs.register(
        _Backlogs(
            await OutboxEvent.filter(processed_at__isnull=True).count(),
            await NotificationDelivery.filter(status=DeliveryStatus.PENDING).count(),
        )
    )
    return generate_latest(_registry()) + generate_latest(backlogs)


async def _metrics(request: Request) -> Response:
    return Response(await exposition(), media_type=CONTENT_TYPE_LATEST)


def token_protected(settings: Settings) -> Route | None:
    """The /metrics route of the API's port, when METRICS_TOKEN is set."""
    if settings.metrics_token is None:
        return None
    expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()

    async def metrics(request: Request) -> Response:
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return JSONResponse(
                {"error": "metrics need the METRICS_TOKEN bearer token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return await _metrics(request)

    return Route("/metrics", metrics)


class _Listener(uvicorn.Server):
    """A second server in the API's process: signals stay with the API's server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def loopback_listener(port: int) -> AsyncIterator[None]:
    """Serve /metrics on 127.0.0.1:port while the app runs, unless another
    worker of this server already does."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        if exc.errno != errno.EADDRINUSE:
            raise
        log.info("metrics port %d is served by another worker", port)
        yield
        return
    app = Starlette(routes=[Route("/metrics", _metrics)])
    server = _Listener(uvicorn.Config(app, log_config=None, lifespan="off", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield
    finally:
        server.should_exit = True
        await task
        sock.close()
