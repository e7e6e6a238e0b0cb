"""Whose data a caller may touch, checked in the domain so every entry point
(GraphQL, CLI, future REST) gets the same rule."""

from __future__ import annotations

from billing.errors import BillingError, ErrorCode
from billing.tokens import Caller


def acting_for(caller: Caller, user_id: str | None) -> str:
    """The user a request concerns: the caller's own id unless an admin or
    service names another user; a plain user naming someone else is refused."""
    if user_id is None or user_id == caller.user_id:
        return caller.user_id
    if not caller.is_privileged:
        raise BillingError(
            ErrorCode.FORBIDDEN, "You may only access your own billing data.", "userId"
        )
    if not 1 <= len(user_id) <= 255:
        raise BillingError(ErrorCode.INVALID_INPUT, "userId must be 1 to 255 characters.", "userId")
    return user_id


def visible_to(caller: Caller, owner_id: str) -> bool:
    """A user sees their own objects; admins and services see everyone's."""
    return owner_id == caller.user_id or caller.is_privileged


def ensure_owner(caller: Caller, owner_id: str) -> None:
    """Refuse a plain user acting on another user's object (ids are random
    UUIDs, so saying it exists leaks nothing guessable)."""
    if not visible_to(caller, owner_id):
        raise BillingError(ErrorCode.FORBIDDEN, "This belongs to another user.")
