"""Stripe's own definition of an API object, read from the installed stripe SDK's generated
resource classes (the pinned API version's shapes), and a checker that lists every way a
JSON object differs from it.

The SDK annotates each field: a plain type is required and never null; ``Optional[...]``
may be null. An enum is the union of its ``Literal`` values: the SDK adds ``str`` to most
(``Union[Literal[...], str]``) so that code keeps working when Stripe adds a value later,
but within the pinned version the listed values are all there are (error codes included).

The SDK does not carry the API spec's "required" flag, so presence is inferred: an
Optional field of a resource is taken as always present (null when unset), as Stripe sends
nearly all of them, except where the SDK's docstring says it is only present sometimes,
where it is the hash of another ``type`` than the object's (a card payment method has no
``sepa_debit``), or where Stripe's reference calls it includable (``INCLUDABLE``, which
must then be absent unless the request expanded it) or present only sometimes
(``ONLY_SOMETIMES``). Inside the hashes nested in a resource, only the non-Optional
fields are required.

A difference is one line, ``<kind> <type>.<path>``, e.g. ``missing customer.customer_account``
or ``enum invoice.status=bogus``: the same defect on a thousand objects is one difference.
"""

import ast
import importlib
import inspect
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar, Literal, Union

from stripe._list_object import ListObject
from stripe._object_classes import OBJECT_CLASSES
from stripe._payment_intent import PaymentIntent
from stripe._search_result_object import SearchResultObject
from stripe._stripe_object import StripeObject, UntypedStripeObject

# The SDK's docstring says so: "Only present if ...", "... omitted in API responses".
_SOMETIMES_ABSENT = re.compile(
    r"only present|present only|not included by default|omitted in api responses|"
    r"only (?:returned|included|populated)",
    re.IGNORECASE,
)
# Stripe's includable fields: present only when the request expands them (never in an
# event). From Stripe's API reference, which the SDK's types do not carry.
INCLUDABLE = frozenset(
    {
        "charge.refunds",
        "checkout.session.line_items",
        "customer.cash_balance",
        "customer.invoice_credit_balance",
        "customer.sources",
        "customer.subscriptions",
        "customer.tax",
        "customer.tax_ids",
        "invoice.confirmation_secret",
        "invoice.payments",
        "item.discounts",
        "item.taxes",
        "plan.tiers",
        "price.currency_options",
        "price.tiers",
    }
)
# Optional fields present only in circumstances billgraph never creates.
ONLY_SOMETIMES = {
    "charge.level3": "present only on charges given Level III data",
    "event.account": "present only on events of connected accounts",
    "event.context": "present only on events of accounts with a context",
}
# At most this many fields named after ``type`` values are not yet a family of per-type
# hashes (see _type_hashes).
_LONE = 2
ABSENT_OK = INCLUDABLE | set(ONLY_SOMETIMES)
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")
# A deleted object is only these.
_DELETED_FIELDS = {"id", "object", "deleted"}
# Stripe's API error object; PaymentIntent.last_payment_error is typed as it.
ERROR_CLASS = PaymentIntent.LastPaymentError


@dataclass
class Report:
    """What a check found: ``differences`` maps each difference to how often it was seen
    and one example of where (an object id or request)."""

    objects: int = 0
    differences: dict[str, tuple[int, str]] = field(default_factory=dict)

    def add(self, difference: str, where: str) -> None:
        count, example = self.differences.get(difference, (0, where))
        self.differences[difference] = (count + 1, example)


def stripe_class(object_name: str) -> type[StripeObject] | None:
    """The SDK's class for the ``object`` value ``object_name``, if it has one."""
    if object_name not in OBJECT_CLASSES:
        return None
    module, name = OBJECT_CLASSES[object_name]
    cls: type[StripeObject] = getattr(importlib.import_module(module), name)
    return cls


def check(body: Any, report: Report, where: str, expand: Iterable[str] = ()) -> None:
    """Check one JSON answer (to a request with ``expand[]`` paths ``expand``) or event
    body; an API error is checked as Stripe's error."""
    if isinstance(body, dict) and set(body) == {"error"}:
        report.objects += 1
        _Checker(report, where).error(body["error"])
    elif isinstance(body, dict) and isinstance(body.get("object"), str):
        report.objects += 1
        _Checker(report, where).top(body, frozenset(expand))


class _Checker:
    def __init__(self, report: Report, where: str) -> None:
        self.report = report
        self.where = where

    def differ(self, kind: str, path: str) -> None:
        self.report.add(f"{kind} {path}", self.where)

    def top(self, value: dict[str, Any], expand: frozenset[str] = frozenset()) -> None:
        """A whole answer, a list answer's item or an event's object: its includable
        fields are present only when ``expand`` asks for them."""
        name = value["object"]
        if name == "list":
            items = frozenset(p.removeprefix("data.") for p in expand if p.startswith("data."))
            for entry in self.list_object(value, "list", Any):
                self.top(entry, items)
            return
        cls = stripe_class(name)
        if cls is None:
            self.differ("unknown-object", name)
            return
        self.object(value, cls, name)
        asked = {p.split(".")[0] for p in expand}
        for key in value:
            if f"{name}.{key}" in INCLUDABLE and key not in asked:
                self.differ("not-expanded", f"{name}.{key}")
        if name == "event" and isinstance(value.get("data"), dict):
            snapshot = value["data"].get("object")
            if isinstance(snapshot, dict) and isinstance(snapshot.get("object"), str):
                self.top(snapshot)

    def error(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.differ("type", "error")
            return
        hints = fields(ERROR_CLASS)
        for key in value:
            if key not in hints:
                self.differ("unknown", f"error.{key}")
        for key in ("type", "message"):
            if key not in value:
                self.differ("missing", f"error.{key}")
        for key, annotation in hints.items():
            if key in value:
                self.value(value[key], annotation, f"error.{key}")

    def object(self, value: Any, cls: type[Any], path: str) -> None:
        """``cls``'s fields in ``value``; an Optional field of a resource (not of a hash
        nested in one) must be present, as null when unset."""
        if not isinstance(value, dict):
            self.differ("type", path)
            return
        if value.get("deleted") is True:
            for key in set(value) ^ _DELETED_FIELDS:
                self.differ("deleted-object", f"{path}.{key}")
            return
        hints = fields(cls)
        for key in value:
            if key not in hints:
                self.differ("unknown", f"{path}.{key}")
        for key, annotation in hints.items():
            where = f"{path}.{key}"
            if key in value:
                self.value(value[key], annotation, where)
            elif _must_be_present(cls, key, annotation, value) and where not in ABSENT_OK:
                self.differ("missing", where)

    def list_object(self, value: dict[str, Any], path: str, item: Any) -> list[dict[str, Any]]:
        """Check a list object and its items of type ``item``; the items of an untyped
        list (``Any``) are returned for the caller to check as whole objects."""
        for key in set(value) - {"object", "data", "has_more", "url"}:
            self.differ("unknown", f"{path}.{key}")
        for key, kind in (("has_more", bool), ("url", str), ("data", list)):
            if not isinstance(value.get(key), kind):
                self.differ("missing" if key not in value else "type", f"{path}.{key}")
        untyped = []
        for entry in value.get("data") or []:
            if item is Any and isinstance(entry, dict) and "object" in entry:
                untyped.append(entry)
            else:
                self.value(entry, item, f"{path}.data[]")
        return untyped

    def value(self, value: Any, annotation: Any, path: str) -> None:
        if annotation is Any:
            return
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (Union, types.UnionType):
            self.union(value, args, path)
        elif value is None:
            self.differ("null", path)
        elif origin is Literal:
            if value not in args:
                self.differ("enum", f"{path}={value}")
        elif annotation in (str, int, bool, float, Decimal):
            if not _is_json(value, annotation):
                self.differ("type", path)
        elif origin in (list, list):
            if not isinstance(value, list):
                self.differ("type", path)
                return
            for item in value:
                self.value(item, args[0], f"{path}[]")
        elif origin in (dict, dict) or origin is UntypedStripeObject:
            if not isinstance(value, dict):
                self.differ("type", path)
                return
            for item in value.values():
                self.value(item, args[-1], f"{path}{{}}")
        elif origin in (ListObject, SearchResultObject) or annotation is ListObject:
            if not isinstance(value, dict) or value.get("object") not in ("list", "search_result"):
                self.differ("type", path)
                return
            for entry in self.list_object(value, path, args[0] if args else Any):
                self.top(entry)
        elif annotation is StripeObject:
            if not isinstance(value, dict):
                self.differ("type", path)
        elif inspect.isclass(annotation) and issubclass(annotation, StripeObject):
            object_name = getattr(annotation, "OBJECT_NAME", None)
            if object_name and isinstance(value, dict) and value.get("object") == object_name:
                self.object(value, annotation, object_name)
            else:
                self.object(value, annotation, path)
        else:
            raise TypeError(f"the oracle cannot read {annotation!r} at {path}")

    def union(self, value: Any, members: tuple[Any, ...], path: str) -> None:
        if value is None:
            if type(None) not in members:
                self.differ("null", path)
            return
        candidates = [m for m in members if m is not type(None) and _json_kind_fits(value, m)]
        if not candidates:
            self.differ("type", path)
            return
        if isinstance(value, dict) and len(candidates) > 1:
            named = [c for c in candidates if _object_name(c) == value.get("object")]
            candidates = named or candidates
        enum = enum_values(Union[members])  # noqa: UP007 - members is a runtime tuple
        if isinstance(value, str) and enum:
            if value not in enum:
                self.differ("enum", f"{path}={value}")
            return
        if isinstance(value, str) and any(c is str for c in candidates):
            return  # an id
        self.value(value, candidates[0], path)


def _must_be_present(cls: type[Any], key: str, annotation: Any, value: dict[str, Any]) -> bool:
    if not _is_optional(annotation) or key == value.get("type"):
        return True
    if key == "deleted" or key in sometimes_absent(cls) or key in _type_hashes(cls):
        return False
    # The hashes nested in a resource leave out what does not apply (a card payment's
    # details carry no ``sepa_debit`` key), and the SDK cannot say which keys Stripe keeps.
    return getattr(cls, "OBJECT_NAME", None) is not None


@cache
def _type_hashes(cls: type[Any]) -> frozenset[str]:
    """The fields named after a value of the object's ``type`` enum, in a family of such
    hashes (a payment method's ``card``, ``sepa_debit``...): only the hash of its own type
    is present. A lone one, such as a price's ``recurring``, is always present."""
    named = set(fields(cls)) & enum_values(fields(cls).get("type"))
    return frozenset(named if len(named) > _LONE else ())


def enum_values(annotation: Any) -> set[Any]:
    """Every value of the ``Literal`` types in ``annotation``, however nested in unions."""
    if typing.get_origin(annotation) is Literal:
        return set(typing.get_args(annotation))
    return {v for member in typing.get_args(annotation) for v in enum_values(member)}


def _is_optional(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (Union, types.UnionType) and type(None) in (
        typing.get_args(annotation)
    )


def _is_json(value: Any, kind: type) -> bool:
    if kind is Decimal:  # a decimal travels as a string: "12.5"
        return isinstance(value, str) and _DECIMAL.fullmatch(value) is not None
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _json_kind_fits(value: Any, annotation: Any) -> bool:
    """Whether ``value``'s JSON kind (string, number, object...) is the annotation's."""
    origin = typing.get_origin(annotation) or annotation
    if origin is Literal:
        return any(type(arg) is type(value) for arg in typing.get_args(annotation))
    if origin in (str, int, bool, float, Decimal):
        return _is_json(value, origin)
    if origin in (list, list):
        return isinstance(value, list)
    return isinstance(value, dict) or annotation is Any


def _object_name(annotation: Any) -> str | None:
    origin = typing.get_origin(annotation) or annotation
    return getattr(origin, "OBJECT_NAME", None) if inspect.isclass(origin) else None


@cache
def fields(cls: type[Any]) -> dict[str, Any]:
    """The public fields of an SDK class and their resolved annotations."""
    hints: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        if not base.__module__.startswith("stripe."):
            continue
        own = vars(base).get("__annotations__", {})
        public = types.SimpleNamespace(
            __annotations__={name: hint for name, hint in own.items() if not name.startswith("_")}
        )
        # Each class's string annotations name what its own module imports.
        hints.update(typing.get_type_hints(public, _namespace(base.__module__), dict(vars(base))))
    return {name: hint for name, hint in hints.items() if typing.get_origin(hint) is not ClassVar}


@cache
def sometimes_absent(cls: type[Any]) -> frozenset[str]:
    """The fields whose docstrings in the SDK say they are only present sometimes."""
    docs = _docstrings(cls.__module__).get(cls.__qualname__, {})
    return frozenset(name for name, doc in docs.items() if _SOMETIMES_ABSENT.search(doc))


@cache
def _namespace(module_name: str) -> dict[str, Any]:
    """The module's globals plus its ``if TYPE_CHECKING:`` imports, which the string
    annotations name (the request-param modules are left out: no field is typed by them)."""
    module = importlib.import_module(module_name)
    namespace = dict(vars(module))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            imports = [
                stmt
                for stmt in node.body
                if isinstance(stmt, ast.ImportFrom) and "params" not in (stmt.module or "")
            ]
            exec(compile(ast.Module(imports, []), module_name, "exec"), namespace)  # noqa: S102
    return namespace


@cache
def _docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """Class qualname -> field -> the docstring that follows the field's annotation."""
    found: dict[str, dict[str, str]] = {}

    def visit(node: ast.ClassDef, prefix: str) -> None:
        qualname = f"{prefix}{node.name}"
        docs = found.setdefault(qualname, {})
        body = node.body
        for stmt, following in zip(body, [*body[1:], None], strict=True):
            if isinstance(stmt, ast.ClassDef):
                visit(stmt, f"{qualname}.")
            elif (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[stmt.target.id] = following.value.value

    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            visit(node, "")
    return found
