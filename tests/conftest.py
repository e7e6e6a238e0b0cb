"""Shared fixtures: a migrated database, the Stripe sandbox, a live server.

The suite runs once per database (DATABASE_URL decides; Tortoise binds one
dialect per process). Everything is real: migrations are applied with
``billgraph migrate``'s code path, Stripe is the sandbox process, and the API
is a uvicorn server on a loopback port that the sandbox's webhooks reach.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from tortoise import Tortoise

from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.settings import Settings, load_settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import Role, mint_token
from models.database import tortoise_config
from sandbox import RECORD_ENV
from sandbox.process import SandboxProcess
from server.app import create_app
from server.migrations import upgrade
from tests.processes import ROOT as ROOT  # the repository root, for the tests

JWT_SECRET = "test-secret-" + "x" * 40
WEBHOOK_SECRET = "whsec_test_billgraph_0123456789"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url and not url.startswith("sqlite"):
        return url
    folder = tempfile.mkdtemp(prefix="billgraph-test-")
    return f"sqlite://{folder}/test.sqlite3"


DATABASE_URL = _database_url()
IS_POSTGRES = not DATABASE_URL.startswith("sqlite")

# Every sandbox the session starts (they inherit the environment, and so do the pytest runs
# a test starts) records its answers and events, for tests/conformance to hold them to
# Stripe's definitions at the end.
_RECORD_FOLDER = None
if not IS_POSTGRES and RECORD_ENV not in os.environ:
    _RECORD_FOLDER = tempfile.mkdtemp(prefix="billgraph-sandbox-record-")
    os.environ[RECORD_ENV] = os.path.join(_RECORD_FOLDER, "record.jsonl")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RECORD_FOLDER is not None:
        shutil.rmtree(_RECORD_FOLDER, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``run_last`` go after all others (they check what the others did)."""
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


def make_settings(sandbox: SandboxProcess | None = None, **overrides: Any) -> Settings:
    """Settings for a test, independent of the developer's environment."""
    values: dict[str, Any] = {
        "_env_file": None,
        "database_url": DATABASE_URL,
        "stripe_secret_key": sandbox.secret_key if sandbox else None,
        "stripe_api_base": sandbox.url if sandbox else None,
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "jwt_secret": JWT_SECRET,
        "jwt_public_key": None,
        "jwt_audience": None,
        "jwt_issuer": None,
        "billgraph_catalog": None,
        "cors_origins": "",
        "allowed_redirect_hosts": "localhost",
        "stripe_max_network_retries": 0,
        "stripe_in_transaction": "raise",
    }
    values.update(overrides)
    return load_settings(**values)


def token(subject: str = "user-1", *, roles: tuple[Role, ...] = (), **kw: Any) -> str:
    return mint_token(make_settings(), subject, roles=roles, **kw)


def bearer(subject: str = "user-1", *, roles: tuple[Role, ...] = ()) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(subject, roles=roles)}"}


ADMIN = ("admin", (Role.ADMIN,))


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[str]:
    await upgrade(DATABASE_URL)
    await Tortoise.init(config=tortoise_config(DATABASE_URL), _enable_global_fallback=True)
    yield DATABASE_URL
    await Tortoise.close_connections()


async def _empty_tables() -> None:
    connection = Tortoise.get_connection("default")
    tables = [
        model._meta.db_table
        for model in Tortoise.apps["models"].values()
        if model._meta.db_table != "aerich"
    ]
    if IS_POSTGRES:
        await connection.execute_script(f"TRUNCATE {', '.join(tables)} CASCADE")
    else:
        await connection.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "PRAGMA foreign_keys=ON;"
        )


@pytest.fixture
async def db(database: str) -> AsyncIterator[str]:
    """A migrated database, emptied before each test."""
    await _empty_tables()
    yield database


# BILLGRAPH_TEST_CHAOS=<seed> runs the session's sandbox in chaos mode: events arrive late,
# out of order, twice, and are retried on non-2xx (sandbox.webhooks.Chaos). The flows'
# tests must then end in the same state as in order (`make test-chaos`).
CHAOS_SEED = os.environ.get("BILLGRAPH_TEST_CHAOS")


@pytest.fixture(scope="session")
def sandbox_process() -> Iterator[SandboxProcess]:
    with SandboxProcess() as sandbox:
        if CHAOS_SEED:
            sandbox.chaos(seed=int(CHAOS_SEED))
        yield sandbox


@pytest.fixture
def sandbox(sandbox_process: SandboxProcess) -> SandboxProcess:
    """The Stripe sandbox, emptied before each test."""
    sandbox_process.reset()
    return sandbox_process


async def stripe_get(sandbox: SandboxProcess, path: str, **params: Any) -> Any:
    async with httpx.AsyncClient(
        base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.secret_key}"}
    ) as client:
        response = await client.get(path, params=params)
    response.raise_for_status()
    return response.json()


async def stripe_post(sandbox: SandboxProcess, path: str, **data: Any) -> Any:
    async with httpx.AsyncClient(
        base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.secret_key}"}
    ) as client:
        response = await client.post(path, data=data)
    response.raise_for_status()
    return response.json()


@dataclass
class LiveServer:
    """A uvicorn server running our app in this event loop, on a free port."""

    url: str
    server: uvicorn.Server
    task: asyncio.Task[None]
    client: httpx.AsyncClient
    settings: Settings
    extra: dict[str, Any] = field(default_factory=dict)

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def stop(self) -> None:
        await self.client.aclose()
        self.server.should_exit = True
        await self.task


async def start_server(settings: Settings, **app_options: Any) -> LiveServer:
    """``app_options`` go to create_app (e.g. ``clock``)."""
    app = create_app(settings, own_database=False, **app_options)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = httpx.AsyncClient(base_url=url, timeout=30)
    return LiveServer(url=url, server=server, task=task, client=client, settings=settings)


def billgraph_env(sandbox: SandboxProcess | None = None) -> dict[str, str]:
    """The environment of a ``billgraph`` process on the test database (and sandbox)."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "JWT_SECRET": JWT_SECRET}
    if sandbox is not None:
        env |= {
            "STRIPE_SECRET_KEY": sandbox.secret_key,
            "STRIPE_API_BASE": sandbox.url,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
    return env


@pytest.fixture
async def api(db: str, sandbox: SandboxProcess) -> AsyncIterator[LiveServer]:
    """The API over HTTP, wired to the sandbox (whose webhooks it receives)."""
    live = await start_server(make_settings(sandbox))
    await sandbox.configure_webhook_async(f"{live.url}/webhooks/stripe", WEBHOOK_SECRET)
    yield live
    await sandbox.remove_webhook_async()
    await live.stop()


@pytest.fixture
async def shop(api: LiveServer, sandbox: SandboxProcess) -> LiveServer:
    """``api`` with the default catalog synced into the sandbox and the database."""
    await sync_catalog(load_catalog(None), StripeGateway(api.settings))
    await sandbox.drain_async()
    return api
