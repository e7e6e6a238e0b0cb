"""``billgraph serve``: production mode with a Stripe key, sandbox mode without.

Sandbox mode is for a developer's first minutes: it starts the local Stripe
sandbox, points the service at it, migrates, syncs the catalog, registers
the webhook and prints what to paste into GraphiQL. With a real key none of
that happens: the operator runs ``migrate`` and ``catalog sync`` on deploy.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import secrets
import signal
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import uvicorn

from billing.api_version import endpoint_mismatches
from billing.errors import BillingError, ConfigError
from billing.settings import Settings, load_settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import Role, mint_token
from server.cli import CommandFailed, sandbox_required
from server.logs import log_config

DEV_TOKEN_TTL = 7 * 24 * 3600
# Sandbox mode's JWT secret, kept in the working directory (gitignored) so that
# `billgraph token` run beside `make run` mints tokens the running server accepts.
DEV_SECRET_FILE = Path(".billgraph-dev-secret")
# Where sandbox mode keeps the sandbox's state when the database is not a SQLite file.
SANDBOX_STATE_FILE = Path(".billgraph-sandbox")
# The sandbox listens this far above the API's port (8000 -> 12111, localstripe's usual
# port): a fixed address across restarts, so saved checkout URLs and the README's curl
# examples keep working, and a second `make run PORT=...` gets its own.
SANDBOX_PORT_OFFSET = 4111
STARTUP_CHECK_TIMEOUT = 10.0  # seconds


def _run_uvicorn(settings: Settings, host: str, port: int, workers: int) -> None:
    if workers > 1 and settings.rate_limit_enabled and settings.rate_limit_storage == "memory://":
        print(
            f"billgraph: WARNING: {workers} workers keep rate limits each in its own memory "
            f"(up to {workers} times every budget): set RATE_LIMIT_STORAGE=redis://...",
            flush=True,
        )
    with _metrics_folder(workers):
        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            server_header=False,
            log_config=log_config(settings),
        )


@contextlib.contextmanager
def _metrics_folder(workers: int) -> Iterator[None]:
    """Several workers keep their metrics in files that /metrics adds up: in
    PROMETHEUS_MULTIPROC_DIR if set (emptied of an earlier run's files), else in a
    temporary folder removed at exit. Workers read it from the environment."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:  # this process's own files are live: with one worker it serves
        for stale in Path(given).glob("*.db"):
            if not stale.stem.endswith(f"_{os.getpid()}"):
                stale.unlink()
    if workers == 1 or given:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="billgraph-metrics-") as folder:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        try:
            yield
        finally:
            del os.environ["PROMETHEUS_MULTIPROC_DIR"]


def serve(host: str, port: int, workers: int) -> None:
    settings = load_settings()
    _refuse_concurrent_sqlite_writers(settings, workers)
    if settings.sandbox_mode:
        _serve_sandbox(settings, host, port, workers)
        return
    _refuse_busy_port(host, port, port)
    print(f"billgraph: Stripe {settings.stripe_mode} mode, database {settings.dialect}")
    for warning in asyncio.run(_webhook_version_warnings(settings)):
        print(f"billgraph: WARNING: {warning}", flush=True)
    print(f"billgraph: GraphQL at http://{host}:{port}/graphql")
    _run_uvicorn(settings, host, port, workers)


def _sandbox_port(port: int) -> int:
    return port + SANDBOX_PORT_OFFSET if 0 < port + SANDBOX_PORT_OFFSET <= 65535 else 0


async def _webhook_version_warnings(settings: Settings) -> list[str]:
    """Stripe's webhook endpoints for billgraph that send another API release
    (their events would be refused). A Stripe that can't be asked in time is a
    warning too, never a reason not to start."""
    problem = "Stripe did not answer in time"
    try:
        async with asyncio.timeout(STARTUP_CHECK_TIMEOUT):
            return await endpoint_mismatches(StripeGateway(settings))
    except BillingError as error:
        problem = error.message
    except TimeoutError:
        pass
    return [f"could not check the webhook endpoints' API version: {problem}"]


def _refuse_concurrent_sqlite_writers(settings: Settings, workers: int) -> None:
    """Several processes on one SQLite file lose writes, and no busy timeout saves them:
    a transaction that read before writing gets "database is locked" at once (SQLite
    fails the read-to-write upgrade instead of waiting) whenever another process wrote
    meanwhile. Webhooks would fail until Stripe's retries happen to land."""
    if workers > 1 and settings.dialect == "sqlite":
        raise ConfigError(
            "DATABASE_URL",
            f"SQLite takes one server process; --workers {workers} would lose webhooks to "
            '"database is locked": use --workers 1, or a postgres:// DATABASE_URL for several',
        )


def _refuse_busy_port(host: str, port: int, api_port: int) -> None:
    """Checked before the sandbox, migrations or catalog start, so a second `make run`
    fails in one line instead of after a screenful of startup. Binds the way uvicorn does
    (SO_REUSEADDR), so a port left in TIME_WAIT by the last run is not taken for busy.
    ``port`` is the API's or the sandbox's; another ``api_port`` moves both."""
    if port == 0:
        return  # any free port will do
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise CommandFailed(
                f"port {port} on {host} is already in use (another `make run`?): stop it, "
                f"or pick another port: make run PORT={api_port + 1} "
                f"(billgraph serve --port {api_port + 1})"
            ) from None


def dev_jwt_secret() -> str:
    """Sandbox mode's JWT secret: read from DEV_SECRET_FILE, created (mode 0600) on first
    use. Never used when JWT_SECRET or JWT_PUBLIC_KEY is configured."""
    try:
        descriptor = os.open(DEV_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return DEV_SECRET_FILE.read_text().strip()
    secret = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret + "\n")
    return secret


def sandbox_state_file(settings: Settings) -> Path:
    """Beside the dev database: ``billgraph.sqlite3`` keeps its sandbox in
    ``billgraph.sqlite3.sandbox``, so the two are kept (or deleted) together."""
    path = settings.database_url.split("://", 1)[1]
    if settings.dialect == "sqlite" and path and path != ":memory:":
        return Path(path + ".sandbox")
    return SANDBOX_STATE_FILE


def _delivery(chaos: dict[str, object]) -> str:
    if not chaos["enabled"]:
        return "in order, once (make run CHAOS=1: late, out of order, twice, retried)"
    return (
        f"CHAOS: up to {chaos['delay']} s late, out of order, {chaos['duplicate']:.0%} "
        f"twice, {chaos['retries']} retries on non-2xx"
    )


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into
    # SystemExit lets the sandbox context manager stop the sandbox too.
    raise SystemExit(128 + signum)


def _serve_sandbox(settings: Settings, host: str, port: int, workers: int) -> None:
    with sandbox_required("no STRIPE_SECRET_KEY (set it to use Stripe) and "):
        from sandbox.process import SandboxProcess
    _refuse_busy_port(host, port, port)
    _refuse_busy_port("127.0.0.1", _sandbox_port(port), port)
    from server.cli import run_catalog_sync
    from server.migrations import upgrade

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    sandbox_process = SandboxProcess(
        port=_sandbox_port(port), state_file=sandbox_state_file(settings)
    )
    with sandbox_process as sandbox:
        # Children (uvicorn workers) read the same environment.
        webhook_secret = os.environ.get("STRIPE_WEBHOOK_SECRET") or f"whsec_{secrets.token_hex(24)}"
        os.environ.update(
            STRIPE_SECRET_KEY=sandbox.secret_key,
            STRIPE_API_BASE=sandbox.url,
            STRIPE_WEBHOOK_SECRET=webhook_secret,
        )
        if settings.jwt_secret is None and settings.jwt_public_key is None:
            os.environ["JWT_SECRET"] = dev_jwt_secret()
        settings = load_settings()

        asyncio.run(upgrade(settings.database_url))
        summary = run_catalog_sync(settings)
        webhook_url = f"http://127.0.0.1:{port}/webhooks/stripe"
        sandbox.configure_webhook(webhook_url, webhook_secret.split(",")[0])

        print("=" * 72)
        print("billgraph: SANDBOX MODE (no STRIPE_SECRET_KEY): local Stripe sandbox, no real money")
        print(f"  Stripe sandbox:  {sandbox.url}  (webhooks -> {webhook_url})")
        print(f"  database:        {settings.database_url}")
        print(f"  sandbox state:   {sandbox.state_file}  (delete it with the database to reset)")
        print(f"  catalog:         {summary}")
        print(f"  webhooks:        {_delivery(sandbox.chaos_settings())}")
        print(f"  GraphiQL:        http://{host}:{port}/graphql")
        if settings.jwt_secret is not None:
            user = mint_token(
                settings, "dev-user", email="dev@example.com", ttl_seconds=DEV_TOKEN_TTL
            )
            admin = mint_token(
                settings, "dev-admin", roles=(Role.ADMIN,), ttl_seconds=DEV_TOKEN_TTL
            )
            print("  Paste into GraphiQL's headers tab:")
            print(f'    user:  {{"Authorization": "Bearer {user}"}}')
            print(f'    admin: {{"Authorization": "Bearer {admin}"}}')
            print("  More tokens:     billgraph token USER_ID [--role admin]")
        print("=" * 72, flush=True)
        _run_uvicorn(settings, host, port, workers)
