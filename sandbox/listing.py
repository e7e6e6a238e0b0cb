"""Stripe's list endpoints: newest first, ``limit``, ``starting_after``/``ending_before``
cursors, ``created`` ranges and a ``has_more`` that is exact.

localstripe lists oldest first, knows only ``starting_after`` and quietly restarts from the
top on an unknown cursor. Order here is store insertion order, i.e. creation order, which
stays exact within one second where ``created`` ties.
"""

from collections.abc import Callable
from typing import Any

from localstripe.resources import List, store

from sandbox.errors import invalid_request, not_found
from sandbox.params import Params

_DEFAULT_LIMIT = 10
_MAX_LIMIT = 100


class Page(List):  # type: ignore[misc]
    """One page of a list, exported as Stripe's ``{"object": "list", "data", ...}``."""

    def __init__(self, url: str, items: list[Any], has_more: bool) -> None:
        super().__init__(url)
        self._list = items
        self._has_more = has_more

    @property
    def data(self) -> list[dict[str, Any]]:
        return [item._export() for item in self._list]

    @property
    def has_more(self) -> bool:
        return self._has_more


def newest_first(object_name: str) -> list[Any]:
    """Every stored object of a type, most recently created first."""
    prefix = object_name + ":"
    return [obj for key, obj in reversed(store.items()) if key.startswith(prefix)]


def paginate(object_name: str, url: str, params: Params, keep: Callable[[Any], bool]) -> Page:
    """A page of the objects ``keep`` accepts; reads the paging and ``created`` params
    and refuses any other parameter left unread in ``params``."""
    limit = params.integer("limit", minimum=1, maximum=_MAX_LIMIT) or _DEFAULT_LIMIT
    starting_after = params.string("starting_after")
    ending_before = params.string("ending_before")
    in_range = _created_filter(params)
    params.done()
    if starting_after and ending_before:
        raise invalid_request(
            "You may only specify one of these parameters: ending_before, starting_after."
        )

    ordered = newest_first(object_name)
    if starting_after:
        ordered = ordered[_position(ordered, object_name, starting_after, "starting_after") + 1 :]
    elif ending_before:
        ordered = ordered[: _position(ordered, object_name, ending_before, "ending_before")]
    matching = [obj for obj in ordered if keep(obj) and in_range(obj.created)]
    if ending_before:
        # The page right before the cursor, still newest first.
        return Page(url, matching[-limit:], has_more=len(matching) > limit)
    return Page(url, matching[:limit], has_more=len(matching) > limit)


def attributes_equal(**filters: object) -> Callable[[Any], bool]:
    """The usual list filter: attributes equal to every parameter given (None: not given)."""
    wanted = {key: value for key, value in filters.items() if value is not None}
    return lambda obj: all(getattr(obj, key) == value for key, value in wanted.items())


def of_charge(object_name: str, url: str, data: dict[str, Any]) -> Page:
    """The list of objects about a charge (refunds, disputes): filtered by
    ``charge`` and ``payment_intent``, as Stripe's list endpoints are."""
    params = Params(data)
    keep = attributes_equal(
        charge=params.string("charge"), payment_intent=params.string("payment_intent")
    )
    return paginate(object_name, url, params, keep)


def _created_filter(params: Params) -> Callable[[int], bool]:
    """``created`` as an exact timestamp or a ``gt``/``gte``/``lt``/``lte`` range."""
    if not isinstance(params.peek("created"), dict):
        exact = params.integer("created")
        return lambda created: exact is None or created == exact
    bounds = params.nested("created")
    assert bounds is not None
    gt, gte = bounds.integer("gt"), bounds.integer("gte")
    lt, lte = bounds.integer("lt"), bounds.integer("lte")
    bounds.done()
    return lambda created: (
        (gt is None or created > gt)
        and (gte is None or created >= gte)
        and (lt is None or created < lt)
        and (lte is None or created <= lte)
    )


def _position(ordered: list[Any], object_name: str, cursor: str, param: str) -> int:
    for index, obj in enumerate(ordered):
        if obj.id == cursor:
            return index
    raise not_found(object_name, cursor, param, status=400)
