"""A record of every JSON answer the sandbox gives and every event it emits, one JSON line
each, so a test can hold them all to Stripe's own definitions afterwards (the conformance
test in tests/conformance). Off unless ``SANDBOX_RECORD`` names the file to append to.

Several sandboxes may share the file: each line is one ``write(2)`` on a file opened with
``O_APPEND``, so lines never interleave.
"""

import json
import os
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

RECORD_ENV = "SANDBOX_RECORD"
# Stripe's API and the sandbox's test helpers; not its hosted pages or configuration.
_RECORDED_PREFIXES = ("/v1/", "/_sandbox/")


class Recorder:
    def __init__(self, path: str) -> None:
        self._path = path

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        body = getattr(response, "body", None)
        if (
            request.path.startswith(_RECORDED_PREFIXES)
            and isinstance(body, bytes)
            and response.content_type == "application/json"
        ):
            where = f"{request.method} {request.path}"
            self._write("response", where, response.status, json.loads(body))
        return response

    def events(self, schedule: Callable[[Any], None]) -> Callable[[Any], None]:
        """``schedule`` (the webhook queue's ``enqueue``), recording each event it is given
        as it will be sent."""

        def record_and_schedule(event: Any) -> None:
            self._write("event", event.type, None, event._export())
            schedule(event)

        return record_and_schedule

    def _write(self, kind: str, where: str, status: int | None, body: Any) -> None:
        line = json.dumps({"kind": kind, "where": where, "status": status, "body": body})
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)


def from_environment() -> Recorder | None:
    path = os.environ.get(RECORD_ENV)
    return Recorder(path) if path else None
