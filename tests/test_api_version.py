"""Stripe API versions: events of another monthly version of billgraph's
release are applied, another release is refused, and ``serve`` with a key
warns when Stripe's webhook endpoint for billgraph sends another release."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import httpx
import pytest

from billing.api_version import readable, release
from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import API_VERSION, StripeGateway
from models.catalog import Plan
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import DATABASE_URL, JWT_SECRET, WEBHOOK_SECRET, make_settings, start_server
from tests.processes import clean_env, free_port

SAME_RELEASE = f"2020-01-01.{release(API_VERSION)}"  # another month of billgraph's release
OTHER_RELEASE = "2020-01-01.acacia"


def test_versions_read_are_those_of_the_sdks_release() -> None:
    assert readable(API_VERSION) and readable(SAME_RELEASE)
    assert not readable(OTHER_RELEASE)
    assert not readable("2017-08-15")  # from before release names
    assert not readable(f"{release(API_VERSION)}")


async def _configure(sandbox: SandboxProcess, webhook_id: str, url: str, version: str) -> None:
    async with httpx.AsyncClient(base_url=sandbox.url) as client:
        answer = await client.post(
            f"/_config/webhooks/{webhook_id}",
            data={"url": url, "secret": WEBHOOK_SECRET, "api_version": version},
        )
    answer.raise_for_status()


@pytest.mark.parametrize(("version", "applied"), [(SAME_RELEASE, True), (OTHER_RELEASE, False)])
async def test_events_of_the_release_apply_and_others_are_refused(
    db, sandbox: SandboxProcess, version: str, applied: bool
) -> None:
    gateway = StripeGateway(make_settings(sandbox))
    await sync_catalog(load_catalog(None), gateway)
    live = await start_server(make_settings(sandbox))
    try:
        await _configure(sandbox, "billgraph", f"{live.url}/webhooks/stripe", version)
        await gateway.update_product("billgraph_pro", {"name": "Pro, renamed in Stripe"})
        await sandbox.drain_async()
    finally:
        await sandbox.remove_webhook_async()
        await live.stop()

    (stored,) = await WebhookEvent.filter(type="product.updated")
    assert stored.api_version == version
    pro = await Plan.get(key="pro")
    if applied:
        assert stored.status == EventStatus.PROCESSED
        assert pro.name == "Pro, renamed in Stripe"
    else:
        assert stored.status == EventStatus.FAILED
        assert stored.last_error is not None
        assert f"event API version {OTHER_RELEASE} is not {API_VERSION}" in stored.last_error
        assert pro.name == "Pro"


def _serve_until_listening(sandbox: SandboxProcess, port: int) -> str:
    """``billgraph serve`` with a key (not sandbox mode): its output up to the
    line saying where GraphQL is, then stopped."""
    env = clean_env(
        DATABASE_URL=DATABASE_URL,
        STRIPE_SECRET_KEY=sandbox.secret_key,
        STRIPE_API_BASE=sandbox.url,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        JWT_SECRET=JWT_SECRET,
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    watchdog = threading.Timer(60, process.kill)  # a silent hang ends the read loop
    watchdog.start()
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "GraphQL at" in line:
                break
    finally:
        watchdog.cancel()
        process.terminate()
        process.communicate(timeout=30)
    return "".join(lines)


async def test_serve_with_a_key_warns_of_an_endpoint_sending_another_release(
    db, sandbox: SandboxProcess
) -> None:
    port = free_port()
    ours = f"https://billing.example.com:{port}/webhooks/stripe"
    await _configure(sandbox, "ours", ours, OTHER_RELEASE)
    await _configure(sandbox, "ours-too", f"{ours}/", SAME_RELEASE)
    await _configure(sandbox, "someone-else", "https://example.com/hooks", OTHER_RELEASE)
    try:
        output = await asyncio.to_thread(_serve_until_listening, sandbox, port)
    finally:
        for webhook_id in ("ours", "ours-too", "someone-else"):
            await sandbox.remove_webhook_async(webhook_id)

    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert warnings == [
        f"billgraph: WARNING: Stripe's webhook endpoint {ours} sends API version "
        f"{OTHER_RELEASE}, billgraph reads {API_VERSION}: set the endpoint's API version in Stripe"
    ], output
    assert "GraphQL at" in output
