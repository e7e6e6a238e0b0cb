"""Request parameters read and validated the way Stripe does.

Form-encoded values arrive as strings ("true", "1000"); each getter converts one
parameter, removes it, and raises Stripe's error naming it. ``done()`` then refuses
whatever is left, as Stripe answers "Received unknown parameter" -- which is also how
Stripe refuses changes to immutable fields such as a price's ``unit_amount``.

An empty string means "unset" to Stripe. On create, only the parameters its API
declares unsettable take one; ``refuse_empty`` reads which from the installed Stripe
SDK's generated parameter types (``Literal['']`` in a field's type) and answers the
others with Stripe's ``parameter_invalid_empty``. (Updates are left to the getters: the
generated types miss some blanks Stripe accepts there, such as clearing a customer's
``invoice_settings[default_payment_method]``.)
"""

import functools
import importlib
import types
import typing
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import typing_extensions
from aiohttp import web
from localstripe.errors import UserError
from localstripe.server import get_post_data

from sandbox.errors import invalid_request, not_found

_CURRENCY_LENGTH = 3
_METADATA_KEY_LENGTH = 40
_METADATA_VALUE_LENGTH = 500


class Params:
    """The parameters of one request, or of one nested hash such as ``recurring``."""

    def __init__(self, data: Any, prefix: str = "") -> None:
        self._prefix = prefix
        if data is None or data == "":
            data = {}
        if not isinstance(data, dict):
            raise invalid_request(f"Invalid object: {prefix or 'request body'}", prefix or None)
        self._data = {k: v for k, v in data.items() if v is not None}

    def name(self, key: str) -> str:
        """The parameter's name as Stripe prints it, e.g. ``recurring[interval]``."""
        return f"{self._prefix}[{key}]" if self._prefix else key

    def peek(self, key: str) -> Any:
        """The raw value, left in place for a getter to read."""
        return self._data.get(key)

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        max_length: int = 5000,
        choices: tuple[str, ...] | None = None,
    ) -> str | None:
        """A string; ``""`` comes back as ``""`` so updates can tell "unset" from "absent"."""
        value = self._take(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise invalid_request(f"Invalid string: {value!r}", self.name(key))
        if len(value) > max_length:
            raise invalid_request(
                f"Invalid {self.name(key)}: must be at most {max_length} characters",
                self.name(key),
            )
        if choices is not None and value not in choices:
            allowed = ", ".join(choices)
            raise invalid_request(
                f"Invalid {self.name(key)}: must be one of {allowed}", self.name(key)
            )
        return value

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self._take(key, required)
        if value is None:
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise invalid_request(
                f"Invalid integer: {value}", self.name(key), "parameter_invalid_integer"
            ) from None
        if minimum is not None and number < minimum:
            raise invalid_request(
                f"Invalid {self.name(key)}: must be greater than or equal to {minimum}",
                self.name(key),
            )
        if maximum is not None and number > maximum:
            raise invalid_request(
                f"Invalid {self.name(key)}: must be less than or equal to {maximum}",
                self.name(key),
            )
        return number

    def reference(self, key: str, cls: Any, *, required: bool = False) -> Any:
        """The stored ``cls`` object an id parameter names; Stripe's 400 "No such ..." naming
        the parameter when there is none."""
        id = self.string(key, required=required)
        if id is None:
            return None
        try:
            return cls._api_retrieve(id)
        except UserError as error:
            if error.code != 404:
                raise
            raise not_found(cls.object, id, self.name(key), status=400) from None

    def decimal(self, key: str) -> Decimal | None:
        value = self._take(key, False)
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise invalid_request(f"Invalid decimal: {value}", self.name(key)) from None
        if not number.is_finite() or number < 0:
            raise invalid_request(f"Invalid decimal: {value}", self.name(key))
        return number

    def boolean(self, key: str) -> bool | None:
        value = self._take(key, False)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise invalid_request(f"Invalid boolean: {value}", self.name(key))

    def currency(self, key: str = "currency") -> str:
        value = self.string(key, required=True, max_length=_CURRENCY_LENGTH)
        assert value is not None
        if len(value) != _CURRENCY_LENGTH or not value.isalpha():
            raise invalid_request(f"Invalid currency: {value}", self.name(key))
        return value.lower()

    def strings(self, key: str, *, max_items: int | None = None) -> list[str] | None:
        """An array of strings (``key[0]=a&key[1]=b``); ``""`` clears it to ``[]``."""
        value = self._take(key, False)
        if value is None:
            return None
        if value == "":
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid_request(f"Invalid array: {self.name(key)}", self.name(key))
        if max_items is not None and len(value) > max_items:
            raise invalid_request(
                f"Invalid {self.name(key)}: must contain at most {max_items} items",
                self.name(key),
            )
        return value

    def nested(self, key: str) -> "Params | None":
        value = self._take(key, False)
        if value is None:
            return None
        return Params(value, self.name(key))

    def hashes(self, key: str) -> "list[Params] | None":
        """An array of hashes (``key[0][name]=a``); ``""`` clears it to ``[]``."""
        value = self._take(key, False)
        if value is None:
            return None
        if value == "":
            return []
        if not isinstance(value, list):
            raise invalid_request(f"Invalid array: {self.name(key)}", self.name(key))
        return [Params(item, f"{self.name(key)}[{i}]") for i, item in enumerate(value)]

    def metadata(self, current: dict[str, str] | None = None) -> dict[str, str] | None:
        """``metadata`` merged into ``current`` as Stripe does: ``""`` unsets a key,
        a blank ``metadata`` unsets them all. None when the parameter is absent."""
        value = self._take("metadata", False)
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise invalid_request("Invalid hash: metadata", "metadata")
        merged = dict(current or {})
        for key, item in value.items():
            if len(key) > _METADATA_KEY_LENGTH or len(item) > _METADATA_VALUE_LENGTH:
                raise invalid_request(
                    "Metadata keys are limited to 40 characters and values to 500.",
                    f"metadata[{key}]",
                )
            if item == "":
                merged.pop(key, None)
            else:
                merged[key] = item
        return merged

    def unread(self) -> dict[str, Any]:
        """The parameters no getter has read, handed on whole (e.g. ``product_data``)."""
        data, self._data = self._data, {}
        return data

    def done(self) -> None:
        """Refuse parameters nobody read, as Stripe does."""
        for key in self._data:
            raise invalid_request(
                f"Received unknown parameter: {self.name(key)}",
                self.name(key),
                "parameter_unknown",
            )

    def _take(self, key: str, required: bool) -> Any:
        value = self._data.pop(key, None)
        if value is None and required:
            raise invalid_request(
                f"Missing required param: {self.name(key)}.", self.name(key), "parameter_missing"
            )
        return value


RouteFactory = Callable[[Any, str], Callable[[web.Request], Awaitable[web.StreamResponse]]]


def refusing_empty(factory: RouteFactory) -> RouteFactory:
    """``factory``'s create route, refusing the request's empty strings that Stripe
    refuses before the resource sees any parameter."""

    def route(cls: Any, url: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        handler = factory(cls, url)
        declared = create_params(str(cls.object))

        async def checked(request: web.Request) -> web.StreamResponse:
            if declared is not None:
                refuse_empty(await get_post_data(request) or {}, declared)
            return await handler(request)

        return checked

    return route


def create_params(object_name: str) -> Any:
    """The SDK's TypedDict for creating ``object_name`` (``checkout.session`` ->
    ``stripe.params.checkout.SessionCreateParams``); None if the SDK has none."""
    *namespace, name = object_name.split(".")
    module = ".".join(["stripe.params", *namespace])
    class_name = "".join(part.title() for part in name.split("_")) + "CreateParams"
    try:
        return getattr(importlib.import_module(module), class_name)
    except (ImportError, AttributeError):
        return None


def refuse_empty(data: dict[str, Any], declared: Any, prefix: str = "") -> None:
    """Stripe's 400 for the first ``""`` in ``data`` whose declared type doesn't take one.
    Parameters the SDK doesn't declare are left to the getters (``done()``)."""
    hints = _hints(declared)
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else key
        hint = hints.get(key)
        if hint is None:
            continue
        if value == "" and "" not in _literals(hint):
            raise invalid_request(
                f"You passed an empty string for '{name}'. We assume empty values are an "
                f"attempt to unset a parameter; however '{name}' cannot be unset. You should "
                f"remove '{name}' from your request or supply a non-empty value.",
                name,
                "parameter_invalid_empty",
            )
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            nested = _typed_dict(hint)
            if isinstance(item, dict) and nested is not None:
                refuse_empty(item, nested, f"{name}[{index}]" if value is items else name)


class _Unknown:
    """Stands for a name the SDK imports only for type checkers (``StripeContext``,
    ``Mapping`` in its request options), subscripted or not."""

    def __class_getitem__(cls, item: Any) -> type["_Unknown"]:
        return cls


@functools.cache
def _hints(declared: Any) -> dict[str, Any]:
    unknown: dict[str, Any] = {}
    while True:
        try:
            return typing.get_type_hints(declared, localns=unknown)
        except NameError as error:
            if error.name is None or error.name in unknown:
                return {}
            unknown[error.name] = _Unknown


def _members(hint: Any) -> list[Any]:
    """The flattened members of a union (or of a list's element type)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(hint) for m in _members(arg)]
    if origin is list:
        return _members(typing.get_args(hint)[0])
    return [hint]


def _literals(hint: Any) -> set[Any]:
    return {
        value
        for member in _members(hint)
        if typing.get_origin(member) is typing.Literal
        for value in typing.get_args(member)
    }


def _typed_dict(hint: Any) -> Any:
    return next((m for m in _members(hint) if typing_extensions.is_typeddict(m)), None)
