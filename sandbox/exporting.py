"""The one export path of every stored object: localstripe's fields, translated to the
pinned API version, then ``expand[]`` applied to that translated shape (so paths such as
``latest_charge`` or ``parent.subscription_details.subscription`` expand as on Stripe).

Installed over ``StripeObject._export`` by sandbox.patches; nested objects, list items
and event snapshots are exported through it too. Exports are deep copies: expanding one, or
an object changing later, never alters another export such as an event's snapshot.

Stripe's *includable* fields (``line_items`` of a checkout session, ``confirmation_secret``
of an invoice) appear only when expanded: a class lists them in ``_includable`` and
returns each from ``_include(name)``.
"""

import copy
from typing import Any

from localstripe import resources
from localstripe.resources import DeletedObject, StripeObject

from sandbox import unmodelled, versioning
from sandbox.errors import invalid_request

_MAX_EXPAND_DEPTH = 4
_localstripe_export = StripeObject._export


def export(obj: Any, expand: Any = None) -> dict[str, Any]:
    paths = _expand_paths(expand)
    exported: dict[str, Any] = copy.deepcopy(_localstripe_export(obj))
    if isinstance(obj, DeletedObject):
        return exported  # only id, object and deleted: nothing to translate or expand
    exported = unmodelled.complete(versioning.translate(exported, obj))
    for name in {path.split(".")[0] for path in paths} & set(getattr(obj, "_includable", ())):
        exported[name] = obj._include(name)
    for path in paths:
        _expand(exported, path.split("."), path)
    return exported


def _expand_paths(expand: Any) -> list[str]:
    if expand is None:
        return []
    if isinstance(expand, str):
        expand = [expand]
    if not isinstance(expand, list) or not all(isinstance(p, str) for p in expand):
        raise invalid_request("Invalid array: expand", "expand")
    if any(len(p.split(".")) > _MAX_EXPAND_DEPTH for p in expand):
        raise invalid_request("You cannot expand more than 4 levels of a property", "expand")
    return expand


def _class_for_id(id: str) -> Any:
    """The resource class of an id: the longest matching prefix (``sub_sched_`` is a
    schedule, not a ``sub_`` subscription)."""
    matching = [
        cls
        for cls in StripeObject.__subclasses__()
        if id.startswith(getattr(cls, "_id_prefix", None) or "\0")
    ]
    return max(matching, key=lambda cls: len(cls._id_prefix), default=None)


def _expand(value: Any, keys: list[str], path: str) -> None:
    if isinstance(value, list):
        for item in value:
            _expand(item, keys, path)
        return
    key, rest = keys[0], keys[1:]
    if not isinstance(value, dict) or key not in value:
        raise invalid_request(f"This property cannot be expanded ({path}).", "expand")
    if isinstance(value[key], str):
        value[key] = _expanded(key, value[key], rest, path)
        return
    if isinstance(value[key], list) and all(isinstance(id, str) for id in value[key]):
        value[key] = [_expanded(key, id, rest, path) for id in value[key]]  # e.g. discounts
        return
    if rest and value[key] is not None:
        _expand(value[key], rest, path)


def _expanded(key: str, id: str, rest: list[str], path: str) -> dict[str, Any]:
    """The object ``id`` names; the rest of the path expands inside, where the object's
    includables are known. Coupons have ids of the user's choosing: their field says what
    they are."""
    cls = _class_for_id(id) or (resources.Coupon if key == "coupon" else None)
    if cls is None:
        raise invalid_request(f"This property cannot be expanded ({path}).", "expand")
    exported: dict[str, Any] = cls._api_retrieve(id)._export(
        expand=[".".join(rest)] if rest else None
    )
    return exported
