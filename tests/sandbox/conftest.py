"""A sandbox process for this directory, emptied before each test, driven by the real
stripe SDK exactly as billgraph's gateway drives Stripe."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

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


@dataclass
class Receiver:
    """A webhook endpoint in the test's event loop that records what it receives."""

    url: str = ""
    status: int = 200
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


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
