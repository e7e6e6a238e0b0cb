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
from localstripe.server import get_post_data, unflatten_data

from sandbox import RECORD_ENV

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
            expand = await _expand_paths(request)
            self._write("response", where, response.status, json.loads(body), expand)
        return response

    def events(self, schedule: Callable[[Any], None]) -> Callable[[Any], None]:
        """``schedule`` (the webhook queue's ``enqueue``), recording each event it is given
        as it will be sent."""

        def record_and_schedule(event: Any) -> None:
            self._write("event", event.type, None, event._export(), [])
            schedule(event)

        return record_and_schedule

    def _write(
        self, kind: str, where: str, status: int | None, body: Any, expand: list[str]
    ) -> None:
        record = {"kind": kind, "where": where, "status": status, "body": body, "expand": expand}
        line = json.dumps(record)
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)


async def _expand_paths(request: web.Request) -> list[str]:
    """The request's ``expand[]`` paths, from its query or body as localstripe reads them,
    so that includable fields can be told apart from fields answered unasked."""
    data = unflatten_data(request.query) or {}
    if request.method == "POST":
        data.update(await get_post_data(request) or {})
    expand = data.get("expand") or []
    return [expand] if isinstance(expand, str) else [p for p in expand if isinstance(p, str)]


def from_environment() -> Recorder | None:
    path = os.environ.get(RECORD_ENV)
    return Recorder(path) if path else None
