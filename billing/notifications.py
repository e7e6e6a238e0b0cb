"""Administering outgoing notifications: endpoints, the delivery log, resends.

The sending itself lives in notifications/ (network I/O, run by the server);
these are the commands the API calls. Every one is for administrators.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
import uuid
from datetime import datetime
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from billing import audit
from billing.errors import BillingError, ErrorCode
from billing.pagination import Page, paginate
from billing.settings import Settings
from billing.tokens import Caller
from models.notifications import DeliveryStatus, NotificationDelivery, NotificationEndpoint

# What ``events`` may name (empty: all).
EVENT_TYPES = (
    "payment.succeeded",
    "payment.failed",
    "payment.refunded",
    "payment.disputed",
    "subscription.created",
    "subscription.updated",
    "subscription.canceled",
    "usage.updated",
    "usage.limit_reached",
    "credits.updated",
    "credits.low",
    "customer.updated",
    "payment_method.attached",
    "payment_method.detached",
)
MAX_URL_LENGTH = 2048


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "Notifications are for administrators.")


def _bad_url(message: str) -> BillingError:
    return BillingError(ErrorCode.INVALID_INPUT, message, "url")


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return not ip.is_global


async def _addresses(host: str) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        raise _bad_url(f"The host {host} does not resolve.") from None
    return [str(info[4][0]) for info in infos]


async def check_url(url: str, settings: Settings) -> str:
    """http(s) only; with a live Stripe key, https only and no loopback or
    private address (the endpoint must not reach into our own network) unless
    NOTIFICATION_ALLOW_PRIVATE is set."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise _bad_url(f"url must be at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise _bad_url("url is not a valid URL.") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _bad_url("url must be an http(s) URL with a host.")
    if parts.username or parts.password:
        raise _bad_url("url must not carry credentials.")
    if settings.stripe_mode != "live":
        return url
    if parts.scheme != "https":
        raise _bad_url("url must use https in live mode.")
    if not settings.notification_allow_private and any(
        _is_private(a) for a in await _addresses(parts.hostname)
    ):
        raise _bad_url(
            "url points at a loopback or private address "
            "(set NOTIFICATION_ALLOW_PRIVATE=true to allow it)."
        )
    return url


def _check_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"Unknown event type {unknown[0]!r}; known: {', '.join(EVENT_TYPES)}.",
            "events",
        )
    return sorted(set(events))


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


async def create_endpoint(
    caller: Caller, url: str, events: list[str], settings: Settings
) -> tuple[NotificationEndpoint, str]:
    """The new endpoint and its signing secret (shown to the caller only here)."""
    _require_admin(caller)
    checked = await check_url(url, settings)
    async with in_transaction():
        endpoint = await NotificationEndpoint.create(
            url=checked, events=_check_events(events), secret=new_secret()
        )
        await audit.record(
            caller,
            "createNotificationEndpoint",
            None,
            {"endpointId": endpoint.id, "url": endpoint.url, "events": endpoint.events},
        )
    return endpoint, endpoint.secret


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def disable_endpoint(caller: Caller, endpoint_id: str) -> NotificationEndpoint:
    """Stop sending to it; pending deliveries stay in the log, unsent."""
    _require_admin(caller)
    key = _uuid(endpoint_id)
    endpoint = await NotificationEndpoint.get_or_none(id=key) if key else None
    if endpoint is None:
        raise BillingError(ErrorCode.NOT_FOUND, "No such notification endpoint.", "id")
    endpoint.enabled = False
    async with in_transaction():
        await endpoint.save(update_fields=["enabled"])
        await audit.record(caller, "disableNotificationEndpoint", None, {"id": endpoint_id})
    return endpoint


async def list_endpoints(caller: Caller) -> list[NotificationEndpoint]:
    _require_admin(caller)
    return await NotificationEndpoint.all().order_by("-created_at", "-id")


async def list_deliveries(
    caller: Caller,
    endpoint_id: str | None,
    status: DeliveryStatus | None,
    first: int | None,
    after: str | None,
) -> Page[NotificationDelivery]:
    """Newest first, each with its endpoint (two queries per page)."""
    _require_admin(caller)
    query = NotificationDelivery.all().select_related("endpoint")
    if endpoint_id is not None:
        key = _uuid(endpoint_id)
        if key is None:
            raise BillingError(ErrorCode.INVALID_INPUT, "Malformed endpointId.", "endpointId")
        query = query.filter(endpoint_id=key)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first, after)


async def resend(caller: Caller, delivery_id: str, now: datetime) -> NotificationDelivery:
    """Send it again, whatever its status: the same body, a fresh retry window.
    The dispatcher picks it up at once."""
    _require_admin(caller)
    key = _uuid(delivery_id)
    delivery = (
        await NotificationDelivery.get_or_none(id=key).select_related("endpoint") if key else None
    )
    if delivery is None:
        raise BillingError(ErrorCode.NOT_FOUND, "No such delivery.", "deliveryId")
    if not delivery.endpoint.enabled:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            "Its endpoint is disabled: nothing would be sent.",
            "deliveryId",
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = delivery.retry_from = now
    delivery.locked_until = None
    async with in_transaction():
        await delivery.save(
            update_fields=["status", "next_attempt_at", "retry_from", "locked_until"]
        )
        await audit.record(caller, "resendNotification", None, {"deliveryId": delivery_id})
    return delivery
