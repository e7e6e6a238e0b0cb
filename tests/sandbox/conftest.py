"""A sandbox process for this directory, emptied before each test, driven by the real
stripe SDK exactly as billgraph's gateway drives Stripe."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import stripe
from aiohttp import web

from sandbox.process import SandboxProcess

WEBHOOK_SECRET = "whsec_sandbox_tests"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxProcess]:
    with SandboxProcess() as process:
        yield process


@pytest.fixture(scope="session")
def session_client(sandbox_server: SandboxProcess) -> stripe.StripeClient:
    return stripe.StripeClient(
        sandbox_server.secret_key,
        base_addresses={"api": sandbox_server.url},
        max_network_retries=0,
    )


@pytest.fixture
async def client(
    sandbox_server: SandboxProcess, session_client: stripe.StripeClient
) -> stripe.StripeClient:
    """The SDK client against an emptied sandbox."""
    await sandbox_server.reset_async()
    return session_client


async def call_helper(client: stripe.StripeClient, path: str, **params: Any) -> Any:
    """POST test helper ``/_sandbox/<path>`` through the SDK, so answers become Stripe
    objects and refusals the SDK's exceptions (a decline is a ``stripe.CardError``)."""
    response = await client.raw_request_async("post", f"/_sandbox/{path}", **params)
    return client.deserialize(response, api_mode="V1")


@dataclass
class Receiver:
    """A webhook endpoint in the test's event loop that records what it receives."""

    url: str = ""
    status: int = 200
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def events(self) -> list[stripe.Event]:
        """The deliveries, in arrival order, each verified against its signature."""
        return [
            stripe.Webhook.construct_event(body, headers["Stripe-Signature"], WEBHOOK_SECRET)
            for headers, body in self.requests
        ]


@pytest.fixture
async def receiver(
    sandbox_server: SandboxProcess, client: stripe.StripeClient
) -> AsyncIterator[Receiver]:
    """A receiver configured as the sandbox's webhook endpoint for the test's duration."""
    recorded = Receiver()

    async def record(request: web.Request) -> web.Response:
        recorded.requests.append((dict(request.headers), await request.read()))
        return web.Response(status=recorded.status)

    app = web.Application()
    app.router.add_post("/hook", record)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    recorded.url = f"http://127.0.0.1:{port}/hook"
    await sandbox_server.configure_webhook_async(recorded.url, WEBHOOK_SECRET)
    yield recorded
    await sandbox_server.remove_webhook_async()
    await runner.cleanup()
