"""Top-level authorisation errors: UNAUTHENTICATED and FORBIDDEN.

Permission instances are shared by all requests, so the per-request reason is
raised directly instead of being stored on the instance. Finer checks (whose
payment is this?) happen in billing/.
"""

from __future__ import annotations

from typing import Any

from strawberry.exceptions import StrawberryGraphQLError
from strawberry.permission import BasePermission

from billing.tokens import Caller
from graph.context import Info


def unauthenticated(reason: str | None) -> StrawberryGraphQLError:
    message = (
        f"Authentication failed: {reason}."
        if reason
        else "Authentication required: send Authorization: Bearer <token>."
    )
    return StrawberryGraphQLError(message, extensions={"code": "UNAUTHENTICATED"})


def forbidden(message: str) -> StrawberryGraphQLError:
    return StrawberryGraphQLError(message, extensions={"code": "FORBIDDEN"})


def require_caller(info: Info) -> Caller:
    caller = info.context.caller
    if caller is None:
        raise unauthenticated(info.context.auth_error)
    return caller


class IsAuthenticated(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_caller(info)
        return True


class IsAdmin(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if not require_caller(info).is_admin:
            raise forbidden("This field is for administrators.")
        return True
