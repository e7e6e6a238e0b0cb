"""The ``Live`` root: GraphQL subscriptions over graphql-transport-ws at /graphql.

The token comes in connection_init's payload (browsers cannot set headers on
a WebSocket); a bad one is refused there (close 4403), and the socket is
closed with 4401 when the token expires. Each field streams committed domain
events of one user from the process's hub and maps them to the public type.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from dataclasses import replace
from datetime import datetime
from typing import Any

import jwt
import strawberry
from starlette.websockets import WebSocket
from strawberry import UNSET
from strawberry.exceptions import ConnectionRejectionError, StrawberryGraphQLError

from billing.access import acting_for
from billing.credits import account_of
from billing.events import DomainEvent
from billing.live import SlowConsumer
from billing.subscriptions import with_plans
from billing.tokens import Caller, InvalidToken, verify_token
from graph.arguments import given
from graph.context import Context, Info
from graph.credits import CreditAccount
from graph.errors import query_or_error
from graph.loaders import Loaders
from graph.payments import Payment
from graph.permissions import require_caller
from graph.subscriptions import Subscription
from graph.usage import UsageLimit
from models import payments as payment_rows
from models.subscriptions import Subscription as SubscriptionRow

CLOSE_EXPIRED = 4401
CLOSE_SLOW = 4008

PAYMENT_EVENTS = ("payment.succeeded", "payment.failed", "payment.refunded", "payment.disputed")
SUBSCRIPTION_EVENTS = ("subscription.created", "subscription.updated", "subscription.canceled")
USAGE_EVENTS = ("usage.updated",)
CREDITS_EVENTS = ("credits.updated",)


def _close_later(websocket: WebSocket, code: int, reason: str, delay: float) -> asyncio.TimerHandle:
    async def close() -> None:
        with contextlib.suppress(RuntimeError):  # already closed
            await websocket.close(code=code, reason=reason)

    def fire() -> None:
        task = asyncio.get_running_loop().create_task(close())
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    return asyncio.get_running_loop().call_later(max(delay, 0.0), fire)


# Strong references to closing tasks, so they are not collected mid-way.
_closing: set[asyncio.Task[None]] = set()


async def accept_socket(context: Context) -> None:
    """connection_init: authenticate from its payload and arm the expiry."""
    params: Any = context.connection_params or {}
    header = params.get("Authorization") or params.get("authorization") or ""
    scheme, _, token = str(header).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ConnectionRejectionError()
    try:
        context.caller = verify_token(token.strip(), context.settings)
    except InvalidToken:
        raise ConnectionRejectionError() from None
    # Verified just above; only its expiry is read here.
    expires = jwt.decode(token.strip(), options={"verify_signature": False})["exp"]
    if context.websocket is not None:
        delay = float(expires) - context.clock().timestamp()
        context.expiry = _close_later(context.websocket, CLOSE_EXPIRED, "token expired", delay)


async def _user(caller: Caller, user_id: str | None) -> str:
    return acting_for(caller, user_id)


async def _events(
    info: Info, user_id: str | None, types: tuple[str, ...]
) -> AsyncGenerator[DomainEvent, None]:
    """The user's committed events of ``types``, as they happen."""
    user = await query_or_error(_user(require_caller(info), user_id))
    context = info.context
    if context.hub is None or context.websocket is None:
        raise StrawberryGraphQLError(
            "Live updates need a WebSocket connection (graphql-transport-ws) at /graphql."
        )
    websocket = context.websocket

    def overflow() -> None:
        _close_later(websocket, CLOSE_SLOW, "slow consumer", 0)

    with context.hub.open(user, types, overflow) as stream, contextlib.suppress(SlowConsumer):
        async for event in stream:
            # Loaders memoise; a socket lives long, so each push reads fresh.
            context.loaders = Loaders()
            yield event


def _usage_limit(payload: dict[str, Any]) -> UsageLimit:
    return UsageLimit(
        feature=payload["feature"],
        used=payload["used"],
        limit=payload["limit"],
        remaining=payload["remaining"],
        period_start=datetime.fromisoformat(payload["periodStart"]),
        resets_at=datetime.fromisoformat(payload["resetsAt"]),
    )


@strawberry.type(
    description=(
        "Real time over WebSocket at /graphql (graphql-transport-ws protocol); the\n"
        'bearer token goes in connection_init\'s payload as {"Authorization": "Bearer ..."}.\n'
        "Each field pushes the object whenever it changes, on whichever server\n"
        "process the change happened."
    )
)
class Live:
    @strawberry.subscription
    async def payment_updated(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> AsyncGenerator[Payment, None]:
        async for event in _events(info, given(user_id), PAYMENT_EVENTS):
            row = await payment_rows.Payment.get_or_none(id=event.payload["id"])
            if row is not None:
                yield Payment.from_row(row, info)

    @strawberry.subscription
    async def subscription_updated(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> AsyncGenerator[Subscription, None]:
        async for event in _events(info, given(user_id), SUBSCRIPTION_EVENTS):
            row = await with_plans(SubscriptionRow.filter(id=event.payload["id"])).first()
            if row is not None:
                yield Subscription.from_row(row)

    @strawberry.subscription
    async def usage_updated(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> AsyncGenerator[UsageLimit, None]:
        async for event in _events(info, given(user_id), USAGE_EVENTS):
            yield _usage_limit(event.payload)

    @strawberry.subscription
    async def credits_updated(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> AsyncGenerator[CreditAccount, None]:
        async for event in _events(info, given(user_id), CREDITS_EVENTS):
            # The balance as this change left it; what expires soon as it is now.
            now = await account_of(event.payload["userId"], info.context.clock())
            yield CreditAccount.of(replace(now, balance=event.payload["balance"]))
