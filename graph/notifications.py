"""Outgoing notifications for administrators: endpoints, the delivery log and
resends (the sending happens in notifications/, in the background)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import UNSET

from billing.notifications import (
    create_endpoint,
    disable_endpoint,
    list_deliveries,
    list_endpoints,
    resend,
)
from billing.pagination import DEFAULT_PAGE_SIZE
from graph.arguments import given
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.pagination import Connection
from graph.permissions import IsAdmin, require_caller
from models import notifications as rows

DeliveryStatus = strawberry.enum(rows.DeliveryStatus, name="DeliveryStatus")


@strawberry.type(description="An endpoint of the application that billgraph notifies.")
class NotificationEndpoint:
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(
        description="Event types it receives, e.g. payment.succeeded; empty means all."
    )
    enabled: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: rows.NotificationEndpoint) -> NotificationEndpoint:
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            events=list(row.events),
            enabled=row.enabled,
            created_at=row.created_at,
        )


@strawberry.type
class NotificationDelivery:
    id: strawberry.ID
    endpoint: NotificationEndpoint
    event_type: str = strawberry.field(
        description="payment.succeeded, subscription.updated, usage.limit_reached ..."
    )
    payload: str = strawberry.field(
        description="The JSON body sent (and re-sent on retries), the same bytes every time."
    )
    status: DeliveryStatus  # type: ignore[valid-type]
    attempts: int
    last_response_status: int | None
    next_attempt_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: rows.NotificationDelivery) -> NotificationDelivery:
        """``row.endpoint`` must be loaded (billing.notifications loads it)."""
        return cls(
            id=strawberry.ID(str(row.id)),
            endpoint=NotificationEndpoint.from_row(row.endpoint),
            event_type=row.event_type,
            payload=row.payload,
            status=row.status,
            attempts=row.attempts,
            last_response_status=row.last_response_status,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,
        )


@strawberry.input
class CreateNotificationEndpointInput:
    url: str
    events: list[str] | None = strawberry.field(default_factory=list)


@strawberry.type
class CreateNotificationEndpointPayload:
    endpoint: NotificationEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None, description="whsec_-style signing secret, shown only here."
    )
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class NotificationEndpointIdInput:
    id: strawberry.ID


@strawberry.type
class NotificationEndpointPayload:
    endpoint: NotificationEndpoint | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class ResendNotificationInput:
    delivery_id: strawberry.ID


@strawberry.type
class ResendNotificationPayload:
    delivery: NotificationDelivery | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _create(
    info: Info, data: CreateNotificationEndpointInput
) -> CreateNotificationEndpointPayload:
    endpoint, secret = await create_endpoint(
        require_caller(info), data.url, list(data.events or []), info.context.settings
    )
    return CreateNotificationEndpointPayload(
        endpoint=NotificationEndpoint.from_row(endpoint), secret=secret
    )


async def _disable(info: Info, data: NotificationEndpointIdInput) -> NotificationEndpointPayload:
    endpoint = await disable_endpoint(require_caller(info), str(data.id))
    return NotificationEndpointPayload(endpoint=NotificationEndpoint.from_row(endpoint))


async def _resend(info: Info, data: ResendNotificationInput) -> ResendNotificationPayload:
    delivery = await resend(require_caller(info), str(data.delivery_id), info.context.clock())
    return ResendNotificationPayload(delivery=NotificationDelivery.from_row(delivery))


@strawberry.type
class NotificationQuery:
    @strawberry.field(permission_classes=[IsAdmin])
    async def notification_endpoints(self, info: Info) -> list[NotificationEndpoint]:
        endpoints = await query_or_error(list_endpoints(require_caller(info)))
        return [NotificationEndpoint.from_row(row) for row in endpoints]

    @strawberry.field(permission_classes=[IsAdmin])
    async def notification_deliveries(
        self,
        info: Info,
        endpoint_id: strawberry.ID | None = UNSET,
        status: DeliveryStatus | None = UNSET,  # type: ignore[valid-type]
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[NotificationDelivery]:
        page = await query_or_error(
            list_deliveries(
                require_caller(info), given(endpoint_id), given(status), first, given(after)
            )
        )
        return Connection.of(page, NotificationDelivery.from_row)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_notification_endpoint(
        self, info: Info, input: CreateNotificationEndpointInput
    ) -> CreateNotificationEndpointPayload:
        return await payload_or_errors(CreateNotificationEndpointPayload, _create(info, input))

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def disable_notification_endpoint(
        self, info: Info, input: NotificationEndpointIdInput
    ) -> NotificationEndpointPayload:
        return await payload_or_errors(NotificationEndpointPayload, _disable(info, input))

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def resend_notification(
        self, info: Info, input: ResendNotificationInput
    ) -> ResendNotificationPayload:
        return await payload_or_errors(ResendNotificationPayload, _resend(info, input))
