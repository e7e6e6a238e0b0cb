"""The API request being served, so events can name it as Stripe's ``event.request`` does."""

from contextvars import ContextVar

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe.resources import random_id

from sandbox.versioning import API_VERSION

_current: ContextVar[dict[str, str | None] | None] = ContextVar("sandbox_request", default=None)


def current_request() -> dict[str, str | None]:
    """``{"id", "idempotency_key"}`` of the request being served, nulls outside one."""
    return dict(_current.get() or {"id": None, "idempotency_key": None})


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give each request a ``req_`` id and answer with Stripe's ``Request-Id`` header."""
    request_id = "req_" + random_id(14)
    token = _current.set(
        {"id": request_id, "idempotency_key": request.headers.get("Idempotency-Key")}
    )
    try:
        response = await handler(request)
    finally:
        _current.reset(token)
    response.headers.setdefault("Request-Id", request_id)
    response.headers["Stripe-Version"] = API_VERSION
    return response
