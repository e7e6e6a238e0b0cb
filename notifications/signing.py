"""``Billgraph-Signature``: Stripe's scheme, so the same verification code works.

``t`` is the send time (unix seconds) and ``v1`` the hex HMAC-SHA256 of
``"{t}.{body}"`` keyed with the endpoint's whole ``whsec_...`` secret. The
receiver recomputes it and rejects old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Billgraph-Signature"


def signature(secret: str, body: bytes, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
