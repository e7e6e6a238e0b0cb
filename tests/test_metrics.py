"""/metrics: off unless configured, behind a bearer token or on a loopback port,
parsed with prometheus-client's parser, counting what the test did."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway, StripeObjectMissing
from models.events import OutboxEvent
from models.notifications import NotificationDelivery
from notifications.dispatcher import Dispatcher
from sandbox.process import SandboxProcess
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    bearer,
    billgraph_env,
    make_settings,
    start_server,
    stripe_get,
)
from tests.processes import free_port, servers
from tests.test_notifications import Receiver, create_endpoint, serving
from tests.test_notifications import deliver as send_notifications
from tests.test_payments import CREATE, payment_input
from tests.test_usage import track
from tests.test_webhooks import deliver, event

TOKEN = "metrics-token-0123456789"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}
PLANS = {"query": "{ plans { id } }"}
CLOSE = {"Connection": "close"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics", headers=SCRAPE)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return parse(answer.text)


@pytest.fixture
async def metered(db: str, sandbox: SandboxProcess) -> AsyncIterator[LiveServer]:
    settings = make_settings(sandbox, metrics_token=TOKEN, rate_limit_payments="3 per minute")
    live = await start_server(settings)
    await sync_catalog(load_catalog(None), StripeGateway(settings))
    yield live
    await live.stop()


async def test_metrics_count_what_happened(metered: LiveServer, sandbox: SandboxProcess) -> None:
    before = await scrape(metered.client)

    codes = []
    for key, amount in (("tiny", 1), ("a", 2500), ("b", 2500), ("c", 2500)):
        body = await metered.gql(CREATE, {"input": payment_input(key, amount=amount)}, bearer())
        errors = body["data"]["createPaymentIntent"]["errors"]
        codes.append(errors[0]["code"] if errors else "OK")
    assert codes == ["INVALID_INPUT", "OK", "OK", "RATE_LIMITED"]
    intents = len((await stripe_get(sandbox, "/v1/payment_intents"))["data"])
    assert intents == 2
    with pytest.raises(StripeObjectMissing):
        await StripeGateway(metered.settings).retrieve_payment_intent("pi_missing")

    unknown = event("billgraph.metrics_test", {"id": "x_1", "object": "thing"})
    for payload in (unknown, unknown):
        assert (await deliver(metered, payload)).status_code == 200
    assert (await deliver(metered, unknown, secret="whsec_wrong")).status_code == 400

    async with serving(Receiver(statuses=[500])) as receiver:
        assert (await create_endpoint(metered, receiver.url))["errors"] == []
        await track(metered)
        waiting = await scrape(metered.client)
        await send_notifications_once(receiver)
    after = await scrape(metered.client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "billgraph_graphql_requests_total"
    assert delta(requests, operation="createPaymentIntent", outcome="OK") == 2
    assert delta(requests, operation="createPaymentIntent", outcome="INVALID_INPUT") == 1
    assert delta(requests, operation="createPaymentIntent", outcome="RATE_LIMITED") == 1
    assert delta(requests, operation="trackUsage", outcome="OK") == 1
    latency = "billgraph_graphql_request_duration_seconds_count"
    assert delta(latency, operation="createPaymentIntent") == 4
    assert delta("billgraph_rate_limited_total", operation_class="payments") == 1
    assert delta("billgraph_stripe_calls_total", method="PaymentIntent.create") == intents
    assert delta("billgraph_stripe_calls_total", method="Customer.create") == 1
    assert (
        delta(
            "billgraph_stripe_errors_total",
            method="PaymentIntent.retrieve",
            error="InvalidRequestError",
        )
        == 1
    )
    webhooks = "billgraph_webhook_events_total"
    assert delta(webhooks, type="billgraph.metrics_test", outcome="ignored") == 1
    assert delta(webhooks, type="billgraph.metrics_test", outcome="duplicate") == 1
    assert delta(webhooks, type="-", outcome="refused") == 1
    assert delta("billgraph_notification_delivery_attempts_total", outcome="retrying") == 1
    # The backlogs are the database's: one usage event waiting, then one delivery to retry.
    assert value(waiting, "billgraph_outbox_backlog") == 1
    assert value(after, "billgraph_outbox_backlog") == 0
    assert value(after, "billgraph_notification_backlog") == 1
    assert await OutboxEvent.filter(processed_at__isnull=True).count() == 0
    assert await NotificationDelivery.filter(status="PENDING").count() == 1


async def send_notifications_once(receiver: Receiver) -> None:
    dispatcher = Dispatcher()
    try:
        assert await send_notifications(dispatcher) == 1
    finally:
        await dispatcher.aclose()
    assert len(receiver.requests) == 1


async def test_metrics_are_off_unless_configured(api: LiveServer) -> None:
    assert (await api.client.get("/metrics")).status_code == 404


async def test_the_token_is_required(metered: LiveServer) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        answer = await metered.client.get("/metrics", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
        assert "billgraph_" not in answer.text


async def test_metrics_port_serves_on_loopback_only(db: str, sandbox: SandboxProcess) -> None:
    port = free_port()
    live = await start_server(make_settings(sandbox, metrics_port=port))
    # A second app (a second worker) finds the port taken and leaves it to the first.
    other = await start_server(make_settings(sandbox, metrics_port=port))
    try:
        await live.gql("{ plans { id } }")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            samples = parse((await client.get("/metrics")).text)
        on_api_port = await live.client.get("/metrics")
    finally:
        await other.stop()
        await live.stop()
    assert value(samples, "billgraph_graphql_requests_total", operation="plans", outcome="OK") >= 1
    assert on_api_port.status_code == 404
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):  # stopped with the app
            await client.get(f"http://127.0.0.1:{port}/metrics")


def _plans_by_process(folder: Path) -> dict[str, float]:
    """Each worker's own count of `plans` queries, read from its metrics file."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        for key, count, *_ in MmapedDict.read_all_values_from_file(str(path)):
            name, _, labels, _ = json.loads(key)
            if name == "billgraph_graphql_requests" and labels.get("operation") == "plans":
                counts[path.stem] = count
    return counts


def _temporary_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("billgraph-metrics-*"))


@pytest.mark.skipif(not IS_POSTGRES, reason="several workers need PostgreSQL")
@pytest.mark.parametrize("given", [True, False], ids=["given folder", "temporary folder"])
async def test_two_workers_are_counted_together(
    db: str, sandbox: SandboxProcess, tmp_path: Path, given: bool
) -> None:
    """Whichever worker answers the scrape counts every worker's requests: in the
    folder given (an earlier run's files removed at start) or in a temporary one
    that `serve` removes when it stops."""
    folders = _temporary_folders()
    variables = {"METRICS_TOKEN": TOKEN, "RATE_LIMIT_ENABLED": "false"}  # many calls, one address
    if given:
        variables["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path)
        (tmp_path / "counter_1.db").write_bytes(b"stale")
    async with servers(1, billgraph_env(sandbox) | variables, "--workers", "2") as [client]:
        [folder] = [tmp_path] if given else _temporary_folders() - folders
        sent = 0
        while len(_plans_by_process(folder)) < 2:  # until both workers answered some
            assert sent < 400, "one worker answered everything"
            # New connections each time, so that the kernel hands them to either worker.
            answers = await asyncio.gather(
                *(client.post("/graphql", json=PLANS, headers=CLOSE) for _ in range(10))
            )
            assert all("errors" not in answer.json() for answer in answers)
            sent += 10
        scrapes = [await scrape(client) for _ in range(4)]
    for samples in scrapes:
        counted = value(
            samples, "billgraph_graphql_requests_total", operation="plans", outcome="OK"
        )
        assert counted == sent
    assert folder.exists() == given


async def test_one_worker_with_a_metrics_folder_keeps_its_own_files(
    db: str, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """With one worker the serving process is the one that cleans the folder at start:
    an earlier run's files go, its own (opened when it started) stay and count."""
    (tmp_path / "counter_1.db").write_bytes(b"stale")
    variables = {"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    async with servers(1, billgraph_env(sandbox) | variables) as [client]:
        for _ in range(3):
            await client.post("/graphql", json=PLANS)
        samples = await scrape(client)
    assert not (tmp_path / "counter_1.db").exists()
    assert value(samples, "billgraph_graphql_requests_total", operation="plans", outcome="OK") == 3
