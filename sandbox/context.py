"""The API request being served: its ids, so events can name it as Stripe's ``event.request``
does; the origin it reached, so hosted pages (checkout, billing portal) get URLs the caller
can open; and the ``Stripe-Version`` it asked for, which ephemeral keys require."""

from contextvars import ContextVar
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe.resources import random_id

from sandbox.versioning import API_VERSION


@dataclass(frozen=True)
class _Request:
    id: str | None = None
    idempotency_key: str | None = None
    origin: str = "http://127.0.0.1"
    stripe_version: str | None = None


_OUTSIDE = _Request()
_current: ContextVar[_Request | None] = ContextVar("sandbox_request", default=None)


def _request() -> _Request:
    return _current.get() or _OUTSIDE


def current_request() -> dict[str, str | None]:
    """``{"id", "idempotency_key"}`` of the request being served, nulls outside one."""
    request = _request()
    return {"id": request.id, "idempotency_key": request.idempotency_key}


def public_url(path: str) -> str:
    """``path`` on the sandbox, as reached by the request being served."""
    return _request().origin + path


def requested_version() -> str | None:
    """The ``Stripe-Version`` header of the request being served, if it sent one."""
    return _request().stripe_version


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give each request a ``req_`` id and answer with Stripe's ``Request-Id`` header."""
    request_id = "req_" + random_id(14)
    token = _current.set(
        _Request(
            id=request_id,
            idempotency_key=request.headers.get("Idempotency-Key"),
            origin=str(request.url.origin()),
            stripe_version=request.headers.get("Stripe-Version"),
        )
    )
    try:
        response = await handler(request)
    finally:
        _current.reset(token)
    response.headers.setdefault("Request-Id", request_id)
    response.headers["Stripe-Version"] = API_VERSION
    return response
