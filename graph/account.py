"""Who am I, and (for operators) what is this service connected to."""

from __future__ import annotations

from importlib.metadata import version

import strawberry

from graph.context import Info
from graph.permissions import IsAdmin, require_caller


@strawberry.type
class Viewer:
    user_id: strawberry.ID
    email: str | None
    roles: list[str]


@strawberry.type
class ServiceInfo:
    version: str
    stripe_mode: str = strawberry.field(description="sandbox, test or live.")
    database: str = strawberry.field(description="sqlite or postgres.")


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The caller as the bearer token describes them.")
    def me(self, info: Info) -> Viewer:
        caller = require_caller(info)
        return Viewer(
            user_id=strawberry.ID(caller.user_id),
            email=caller.email,
            roles=sorted(role.value for role in caller.roles),
        )

    @strawberry.field(
        description="Administrators only: what this deployment runs against.",
        permission_classes=[IsAdmin],
    )
    def service_info(self, info: Info) -> ServiceInfo:
        settings = info.context.settings
        return ServiceInfo(
            version=version("billgraph"),
            stripe_mode=settings.stripe_mode,
            database=settings.dialect,
        )
