"""Test hook: hold Stripe's answers for as long as a test needs, so that it can show what
its client does meanwhile (billgraph must hold no database transaction or lock while it
waits on Stripe). Waiting is on events, never on a clock.

``POST /_sandbox/hold`` (``prefix``: of the paths to hold, such as ``/v1/refunds``)
holds every API request to a matching path before it runs; ``POST /_sandbox/hold/wait``
(``count``, default 1) answers once that many are held (or after ``timeout`` seconds,
default 10, with the number held so far); ``POST /_sandbox/release`` lets them run,
answers once they have run, and stops holding. A reset releases.
"""

import asyncio
import contextlib

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.errors import invalid_request


class Holding:
    def __init__(self) -> None:
        self._prefix: str | None = None
        self._released = asyncio.Event()
        self._held = 0
        self._running = 0  # held requests released but not answered yet
        self._changed = asyncio.Condition()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        prefix = self._prefix
        if prefix is None or not request.path.startswith(prefix):
            return await handler(request)
        released = self._released
        async with self._changed:
            self._held += 1
            self._running += 1
            self._changed.notify_all()
        try:
            await released.wait()
            return await handler(request)
        finally:
            async with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def release(self) -> None:
        self._prefix = None
        self._released.set()
        self._released = asyncio.Event()
        self._held = 0

    def routes(self) -> list[web.RouteDef]:
        async def hold(request: web.Request) -> web.Response:
            prefix = (await request.post()).get("prefix")
            if not isinstance(prefix, str) or not prefix.startswith("/v1/"):
                raise invalid_request("prefix must start with /v1/", "prefix")
            self.release()
            self._prefix = prefix
            return web.json_response({"holding": prefix})

        async def wait(request: web.Request) -> web.Response:
            form = await request.post()
            count = int(str(form.get("count", 1)))
            timeout = float(str(form.get("timeout", 10)))
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: self._held >= count), timeout
                    )
                return web.json_response({"held": self._held})

        async def release(request: web.Request) -> web.Response:
            self.release()
            async with self._changed:
                await self._changed.wait_for(lambda: self._running == 0)
            return web.json_response({"released": True})

        return [
            web.post("/_sandbox/hold", hold),
            web.post("/_sandbox/hold/wait", wait),
            web.post("/_sandbox/release", release),
        ]
