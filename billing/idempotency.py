"""Deterministic Stripe idempotency keys.

Derived from who asks, what operation and the caller's own key (or the
request's parameters), so a retried request reaches Stripe with the same key
and Stripe answers with the first result instead of doing it twice.
"""

from __future__ import annotations

import hashlib


def stripe_key(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"billgraph-{digest[:48]}"
