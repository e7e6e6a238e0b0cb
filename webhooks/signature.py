"""Stripe-Signature verification.

Our own few lines rather than stripe-python's helper because we need two
things it lacks: several secrets at once (rotation) and a tolerance that also
refuses timestamps from the future.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """Why a delivery was refused; safe to return to the sender."""


def verify(
    payload: bytes,
    header: str | None,
    secrets: tuple[str, ...],
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """Return the signed timestamp if any ``v1`` signature matches any secret."""
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    timestamp: int | None = None
    signatures: list[bytes] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError("malformed timestamp in Stripe-Signature") from None
        elif key == "v1":
            signatures.append(value.encode())
    if timestamp is None:
        raise SignatureError("no timestamp in Stripe-Signature")
    if not signatures:
        raise SignatureError("no v1 signature in Stripe-Signature")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance zone")
    signed = str(timestamp).encode() + b"." + payload
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest().encode()
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return timestamp
    raise SignatureError("no signature matches the configured secrets")


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header value, as Stripe computes it (tests, tools)."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), str(ts).encode() + b"." + payload, hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"
