"""The ``billgraph`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from tortoise import Tortoise

from billing.catalog import sync_catalog
from billing.errors import BillingError, ConfigError
from billing.plans_file import load_catalog
from billing.settings import Settings, load_settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import InvalidToken, Role, mint_token
from models.database import tortoise_config
from server.migrations import NoMigrationChain

T = TypeVar("T")


class CommandFailed(Exception):
    """A command's expected failure: printed as one line, exit status 1."""


@contextmanager
def sandbox_required(situation: str) -> Iterator[None]:
    """Imports of the sandbox: a distribution of its own (billgraph-sandbox, GPL-3.0, for
    development), so its absence is one line saying how to install it; any other missing
    module stays a bug with its traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if exc.name != "sandbox":
            raise
        raise CommandFailed(
            f"{situation}the sandbox is not installed: pip install -e ./sandbox (in a checkout) "
            "or pip install billgraph-sandbox"
        ) from None


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


# ------------------------------------------------------------------ commands


def cmd_migrate(args: argparse.Namespace) -> None:
    from server.migrations import upgrade

    settings = load_settings()
    applied = asyncio.run(upgrade(settings.database_url))
    print(f"migrate: {len(applied)} applied" + (f" ({', '.join(applied)})" if applied else ""))


def cmd_migrations_make(args: argparse.Namespace) -> None:
    """Generate the next migration for every dialect, each in its own process
    (Tortoise binds one dialect per process)."""
    from server.migrations import dialects

    for dialect in dialects():
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "server.migrations", "make", dialect, args.name], check=True
        )


def run_catalog_sync(settings: Settings) -> str:
    catalog = load_catalog(settings.billgraph_catalog)
    gateway = StripeGateway(settings)

    async def work() -> str:
        return (await sync_catalog(catalog, gateway)).summary()

    return asyncio.run(_with_database(settings, work))


def cmd_catalog_sync(args: argparse.Namespace) -> None:
    settings = load_settings()
    if settings.stripe_secret_key is None:
        raise ConfigError("STRIPE_SECRET_KEY", "required for catalog sync")
    print(f"catalog sync ({settings.stripe_mode}): {run_catalog_sync(settings)}")


def cmd_schema_export(args: argparse.Namespace) -> None:
    from graph.schema import schema
    from server.schema_file import RELEASED_FILE, SCHEMA_FILE, export_sdl

    sdl = export_sdl(schema)
    if args.check:
        _check_schema(sdl, SCHEMA_FILE, args.released or RELEASED_FILE)
    elif args.stdout:
        sys.stdout.write(sdl)
    else:
        SCHEMA_FILE.write_text(sdl)
        print(f"wrote {SCHEMA_FILE.name}")


def _check_schema(sdl: str, schema_file: Path, released_file: Path) -> None:
    """Fail on drift (the file is not what the code exports) and on breaking changes
    against the last release; dangerous changes are only warnings."""
    from server.schema_file import compare

    if not released_file.is_file():
        raise CommandFailed(f"no released schema at {released_file}")
    problems = []
    if not schema_file.exists() or schema_file.read_text() != sdl:
        problems.append(
            f"{schema_file.name} is out of date: run `billgraph schema export` and commit it"
        )
    changes = compare(released_file.read_text(), sdl)
    for change in changes.dangerous:
        print(f"warning: {change}", file=sys.stderr)
    for change in changes.breaking:
        print(f"breaking: {change}", file=sys.stderr)
    if changes.breaking:
        problems.append(
            f"{len(changes.breaking)} breaking change(s) against the released schema "
            f"{released_file.name}: add instead of changing or removing"
        )
    if problems:
        raise CommandFailed("; ".join(problems))
    print(f"{schema_file.name} is up to date and compatible with {released_file.name}")


def cmd_token(args: argparse.Namespace) -> None:
    settings = load_settings()
    if settings.sandbox_mode and settings.jwt_secret is None and settings.jwt_public_key is None:
        # The secret a `billgraph serve` in sandbox mode in this directory signs with.
        from server.serve import dev_jwt_secret

        settings = load_settings(jwt_secret=dev_jwt_secret())
    roles = tuple(Role(r) for r in args.role)
    try:
        print(
            mint_token(settings, args.subject, email=args.email, roles=roles, ttl_seconds=args.ttl)
        )
    except InvalidToken as exc:
        raise ConfigError("JWT_SECRET", "not set: cannot mint tokens") from exc


def _gateway_or_fail(settings: Settings) -> StripeGateway:
    if settings.stripe_secret_key is None:
        raise ConfigError("STRIPE_SECRET_KEY", "required to talk to Stripe")
    return StripeGateway(settings)


def _print_summary(name: str, summary: Counter[str]) -> None:
    parts = ", ".join(f"{status}: {n}" for status, n in sorted(summary.items()))
    print(f"{name}: {parts or 'nothing to do'}")
    if summary.get("failed"):
        raise CommandFailed(f"{name}: {summary['failed']} event(s) failed; see the log above")


def cmd_webhooks_replay(args: argparse.Namespace) -> None:
    from webhooks.recovery import replay

    settings = load_settings()
    gateway = _gateway_or_fail(settings)

    async def work() -> Counter[str]:
        return await replay(gateway, failed_only=args.failed, since=args.since, event_id=args.event)

    _print_summary("replay", asyncio.run(_with_database(settings, work)))


def cmd_webhooks_reconcile(args: argparse.Namespace) -> None:
    from webhooks.recovery import reconcile

    settings = load_settings()
    gateway = _gateway_or_fail(settings)
    since = args.since or datetime.now(UTC) - timedelta(days=3)
    if since < datetime.now(UTC) - timedelta(days=30):
        raise CommandFailed("reconcile: Stripe keeps events for 30 days; --since is older")

    async def work() -> Counter[str]:
        return await reconcile(gateway, since=since)

    _print_summary("reconcile", asyncio.run(_with_database(settings, work)))


def cmd_usage_verify(args: argparse.Namespace) -> None:
    from billing.usage import Verification, verify_counters

    settings = load_settings()

    async def work() -> Verification:
        return await verify_counters()

    result = asyncio.run(_with_database(settings, work))
    for m in result.mismatches:
        print(
            f"{m.user_id} {m.feature} {m.period_start.isoformat()}: "
            f"counter {m.counted}, records {m.recorded}"
        )
    summary = f"usage verify: {result.counters} counters, {result.records} records"
    if result.mismatches:
        print(summary)
        raise CommandFailed(f"usage verify: {len(result.mismatches)} mismatch(es)")
    print(f"{summary}: all match")


def cmd_credits_verify(args: argparse.Namespace) -> None:
    from billing.credits import Verification, verify_balances

    settings = load_settings()

    async def work() -> Verification:
        return await verify_balances()

    result = asyncio.run(_with_database(settings, work))
    for m in result.mismatches:
        print(f"{m.user_id}: balance {m.balance}, ledger {m.ledger}, lots {m.lots}")
    summary = f"credits verify: {result.balances} balances, {result.transactions} transactions"
    if result.mismatches:
        print(summary)
        raise CommandFailed(f"credits verify: {len(result.mismatches)} mismatch(es)")
    print(f"{summary}: all match")


def cmd_credits_expire(args: argparse.Namespace) -> None:
    from billing.credits import expire_due

    settings = load_settings()
    expired = asyncio.run(_with_database(settings, lambda: expire_due(datetime.now(UTC))))
    print(f"credits expire: {expired} grant(s) expired")


def cmd_notifications_run(args: argparse.Namespace) -> None:
    """A dedicated worker: the outbox relay and the notification dispatcher,
    without the API (``serve`` runs the same in every process)."""
    from billing.clock import utcnow
    from server.background import Background
    from server.logs import log_config

    settings = load_settings()
    logging.config.dictConfig(log_config(settings))

    async def work() -> None:
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        async with Background(settings, utcnow):
            await stop.wait()  # then leave: sends in flight finish first

    print(f"notifications: relay and dispatcher running on {settings.dialect}", flush=True)
    asyncio.run(_with_database(settings, work))


def cmd_events_prune(args: argparse.Namespace) -> None:
    """Delete relayed outbox events older than the retention (the background
    loop does it hourly; this is for a cron or a one-off)."""
    from billing.clock import utcnow
    from billing.events import prune

    settings = load_settings()
    days = args.older_than_days or settings.outbox_retention_days

    async def work() -> int:
        return await prune(utcnow() - timedelta(days=days))

    pruned = asyncio.run(_with_database(settings, work))
    print(f"events prune: {pruned} relayed event(s) older than {days} days deleted")


def _days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}")
    return int(value)


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cmd_sandbox(args: argparse.Namespace) -> None:
    with sandbox_required(""):
        from sandbox import serve

    serve(args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> None:
    from server.serve import serve

    serve(host=args.host, port=args.port, workers=args.workers)


# ---------------------------------------------------------------- plumbing


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billgraph", description="GraphQL billing API for Stripe")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API (sandbox mode without STRIPE_SECRET_KEY)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="bring the database to the current models").set_defaults(
        func=cmd_migrate
    )

    migrations = sub.add_parser("migrations", help="developer tools for migrations")
    migrations_sub = migrations.add_subparsers(dest="action", required=True)
    make = migrations_sub.add_parser("make", help="write the next migration for every dialect")
    make.add_argument("name", nargs="?", default="update")
    make.set_defaults(func=cmd_migrations_make)

    catalog = sub.add_parser("catalog", help="plan catalog")
    catalog_sub = catalog.add_subparsers(dest="action", required=True)
    catalog_sub.add_parser("sync", help="push the plans file to Stripe").set_defaults(
        func=cmd_catalog_sync
    )

    schema = sub.add_parser("schema", help="GraphQL schema")
    schema_sub = schema.add_subparsers(dest="action", required=True)
    export = schema_sub.add_parser("export", help="write schema.graphql from the code")
    export.add_argument(
        "--check",
        action="store_true",
        help="fail if schema.graphql drifted or breaks the released schema",
    )
    export.add_argument(
        "--released",
        type=Path,
        help="the last released schema (default: schema/released.graphql)",
    )
    export.add_argument("--stdout", action="store_true", help="print instead of writing")
    export.set_defaults(func=cmd_schema_export)

    token = sub.add_parser(
        "token", help="mint a development JWT (JWT_SECRET, or sandbox mode's dev secret)"
    )
    token.add_argument("subject", help="user id (the sub claim)")
    token.add_argument("--email")
    token.add_argument("--role", action="append", default=[], choices=["admin", "service"])
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.set_defaults(func=cmd_token)

    hooks = sub.add_parser("webhooks", help="recover Stripe events")
    hooks_sub = hooks.add_subparsers(dest="action", required=True)
    replay = hooks_sub.add_parser("replay", help="re-apply stored events that are not done")
    replay.add_argument("--failed", action="store_true", help="only events that failed")
    replay.add_argument("--since", type=_date, help="ISO date: events created since")
    replay.add_argument("--event", help="one Stripe event id")
    replay.set_defaults(func=cmd_webhooks_replay)
    reconcile = hooks_sub.add_parser("reconcile", help="apply events Stripe sent but we missed")
    reconcile.add_argument("--since", type=_date, help="ISO date (default: 3 days ago)")
    reconcile.set_defaults(func=cmd_webhooks_reconcile)

    usage = sub.add_parser("usage", help="usage allowances")
    usage_sub = usage.add_subparsers(dest="action", required=True)
    usage_sub.add_parser(
        "verify", help="recompute the counters from the usage records; exit 1 on a mismatch"
    ).set_defaults(func=cmd_usage_verify)

    credits = sub.add_parser("credits", help="credit wallets")
    credits_sub = credits.add_subparsers(dest="action", required=True)
    credits_sub.add_parser(
        "verify", help="rebuild every balance from the ledger; exit 1 on a mismatch"
    ).set_defaults(func=cmd_credits_verify)
    credits_sub.add_parser(
        "expire", help="write EXPIRY rows for grants past their expiry (safe to repeat)"
    ).set_defaults(func=cmd_credits_expire)

    notifications = sub.add_parser("notifications", help="outgoing notifications")
    notifications_sub = notifications.add_subparsers(dest="action", required=True)
    notifications_sub.add_parser(
        "run", help="deliver outbox events to the notification endpoints (a worker process)"
    ).set_defaults(func=cmd_notifications_run)

    events = sub.add_parser("events", help="the domain-event outbox")
    events_sub = events.add_subparsers(dest="action", required=True)
    prune_cmd = events_sub.add_parser("prune", help="delete relayed events past the retention")
    prune_cmd.add_argument(
        "--older-than-days", type=_days, help="default: OUTBOX_RETENTION_DAYS (30)"
    )
    prune_cmd.set_defaults(func=cmd_events_prune)

    sandbox = sub.add_parser("sandbox", help="run the local Stripe sandbox")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=12111)
    sandbox.set_defaults(func=cmd_sandbox)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except ConfigError as exc:
        print(f"billgraph: config error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (CommandFailed, BillingError, NoMigrationChain) as exc:
        print(f"billgraph: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
