"""HTTP refusals: a 4xx with a JSON reason and one log line; the body cap.

One cap for every route (GraphQL and Stripe webhooks), enforced before any
handler reads the body: at once when Content-Length is over it, and while
streaming otherwise (chunked bodies), so a large body is never held in memory.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import JSONResponse

log = logging.getLogger("billgraph")

MAX_BODY_BYTES = 1024 * 1024


def refusal(scope: Any, status: int, reason: str) -> JSONResponse:
    """The client's mistake: one INFO line with the request id, no traceback."""
    request_id = scope.get("state", {}).get("request_id", "-")
    log.info(
        "request refused request_id=%s status=%d path=%s reason=%s",
        request_id,
        status,
        scope.get("path"),
        reason,
    )
    return JSONResponse({"error": reason}, status_code=status)


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Answer 413 to a body larger than ``max_bytes``."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge
            return message

        async def watching_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Any, receive: Any, send: Any) -> None:
        reason = f"body larger than {self.max_bytes} bytes"
        await refusal(scope, 413, reason)(scope, receive, send)
