"""Deterministic Stripe idempotency keys.

Derived from who asks, what operation and the caller's own key (or the
request's parameters), so a retried request reaches Stripe with the same key
and Stripe answers with the first result instead of doing it twice.
"""

from __future__ import annotations

import hashlib

from billing.errors import BillingError, ErrorCode

MAX_CLIENT_KEY = 255


def stripe_key(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"billgraph-{digest[:48]}"


def request_digest(*parts: object) -> str:
    """What a client key was first used for (None as empty): the same key with
    another digest is IDEMPOTENCY_CONFLICT."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def check_client_key(key: str | None) -> None:
    """A client's ``idempotencyKey`` (optional where None is allowed): the same
    rule for every mutation that takes one."""
    if key is None:
        return
    if not 1 <= len(key) <= MAX_CLIENT_KEY or not key.isprintable() or not key.strip():
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"idempotencyKey must be 1 to {MAX_CLIENT_KEY} printable characters, not all blank.",
            "idempotencyKey",
        )
