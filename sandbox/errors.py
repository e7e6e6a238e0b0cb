"""Stripe's JSON error shape, so the stripe SDK raises the exception Stripe would cause.

localstripe raises ``UserError`` with ``type: invalid_request_error`` for every status and
bare messages ("Not Found"); aiohttp answers unknown routes with plain text. Both are
reshaped here into ``{"error": {"type", "message", "param", "code"}}`` with Stripe's
status codes.
"""

import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe.errors import UserError

logger = logging.getLogger(__name__)

# Status -> (type, code) for localstripe's errors, which carry neither.
_DEFAULTS: dict[int, tuple[str, str | None]] = {
    402: ("card_error", None),
    404: ("invalid_request_error", "resource_missing"),
}


def invalid_request(
    message: str, param: str | None = None, code: str | None = None, status: int = 400
) -> UserError:
    """A 400 (or given status) ``invalid_request_error`` as Stripe words it."""
    return UserError(status, message, {"param": param, "code": code})


def idempotency_error(message: str) -> UserError:
    """A 400 that the stripe SDK raises as ``IdempotencyError``."""
    error = invalid_request(message)
    error.body["error"]["type"] = "idempotency_error"
    return error


def card_error(
    message: str, code: str, decline_code: str | None = None, **objects: Any
) -> UserError:
    """A 402 ``card_error`` (the SDK's ``CardError``); ``objects`` such as ``charge`` or
    ``payment_intent`` travel in the error as Stripe sends them."""
    doc_url = "https://stripe.com/docs/error-codes/" + code.replace("_", "-")
    return UserError(
        402, message, {"code": code, "decline_code": decline_code, "doc_url": doc_url, **objects}
    )


def not_found(object_name: str, object_id: str, param: str = "id", status: int = 404) -> UserError:
    """Stripe's "No such <object>" error; 400 when the id came in a parameter."""
    return invalid_request(
        f"No such {object_name}: '{object_id}'", param, "resource_missing", status
    )


def to_response(error: UserError) -> web.Response:
    """Render a localstripe or sandbox ``UserError`` the way Stripe would."""
    status = error.code
    body: dict[str, Any] = dict(error.body["error"])
    if status == 409:  # localstripe's duplicate-id "Conflict"
        status = 400
        body.update(code="resource_already_exists", message="Resource already exists.")
    error_type, code = _DEFAULTS.get(status, ("invalid_request_error", None))
    if body.get("type") == "invalid_request_error":
        body["type"] = error_type
    body.setdefault("code", code)
    body.setdefault("param", None)
    body.setdefault("message", "Bad request")
    return web.json_response({"error": body}, status=status)


@web.middleware
async def stripe_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into Stripe's error JSON; unexpected ones become 500 api_error."""
    try:
        return await handler(request)
    except UserError as error:
        return to_response(error)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        if error.status in (404, 405):
            message = (
                f"Unrecognized request URL ({request.method}: {request.path}). "
                "Please see https://stripe.com/docs."
            )
            return to_response(invalid_request(message, status=404))
        return to_response(invalid_request(error.reason, status=error.status))
    except Exception:
        logger.exception("sandbox failed on %s %s", request.method, request.path)
        body = {"type": "api_error", "message": "Sandbox internal error (see its log)."}
        return web.json_response({"error": body}, status=500)
