"""Stripe's ``Idempotency-Key``: the first answer to a POST is stored and replayed for the
same key (``Idempotent-Replayed: true``); reusing the key with other parameters is a 400
``idempotency_error``. Keys are scoped per API key, as Stripe scopes them per account.

Like Stripe, only requests that ran are stored: successes and card declines (402), not
parameter errors, so a corrected retry with the same key still runs. Requests sharing a key
wait for each other (one lock per key in flight) so they never both execute.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe.errors import UserError
from localstripe.server import get_api_key, get_post_data

from sandbox.context import current_request
from sandbox.errors import idempotency_error, to_response

_STORED_ERRORS = (402,)


@dataclass(frozen=True)
class _Answer:
    request: tuple[str, str, Any]
    status: int
    body: bytes
    content_type: str
    request_id: str | None


class IdempotencyKeys:
    """The stored answers of one sandbox, by (API key, Idempotency-Key)."""

    def __init__(self) -> None:
        self._answers: dict[tuple[str, str], _Answer] = {}
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    def clear(self) -> None:
        self._answers.clear()

    def snapshot(self) -> dict[tuple[str, str], _Answer]:
        """The stored answers, for sandbox.persistence."""
        return dict(self._answers)

    def restore(self, answers: dict[tuple[str, str], _Answer]) -> None:
        self._answers = dict(answers)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key or not request.path.startswith("/v1/"):
            return await handler(request)
        scope = (get_api_key(request) or "", key)
        params = await get_post_data(request, remove_auth=False)
        signature = (request.method, request.path, dict(params or {}))
        async with self._lock(scope):
            answer = self._answers.get(scope)
            if answer is None:
                return await self._run(request, handler, scope, signature)
        if answer.request != signature:
            raise idempotency_error(
                "Keys for idempotent requests can only be used with the same parameters "
                f"they were first used with. Try using a key other than '{key}' if you "
                "meant to execute a different request.",
            )
        replay = web.Response(status=answer.status, body=answer.body, content_type=None)
        replay.headers.update(
            {
                "Content-Type": answer.content_type,
                "Idempotency-Key": key,
                "Idempotent-Replayed": "true",
                "Original-Request": answer.request_id or "",
            }
        )
        return replay

    async def _run(
        self, request: web.Request, handler: Handler, scope: tuple[str, str], signature: Any
    ) -> web.StreamResponse:
        try:
            response = await handler(request)
        except UserError as error:
            response = to_response(error)
        if isinstance(response, web.Response) and (
            response.status < 300 or response.status in _STORED_ERRORS
        ):
            body = response.body if isinstance(response.body, bytes) else b""
            self._answers[scope] = _Answer(
                signature,
                response.status,
                body,
                response.headers.get("Content-Type", "application/json"),
                current_request()["id"],
            )
        response.headers["Idempotency-Key"] = scope[1]
        return response

    @asynccontextmanager
    async def _lock(self, scope: tuple[str, str]) -> AsyncIterator[None]:
        lock, users = self._locks.get(scope, (asyncio.Lock(), 0))
        self._locks[scope] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[scope]
            if users == 1:
                del self._locks[scope]
            else:
                self._locks[scope] = (lock, users - 1)
