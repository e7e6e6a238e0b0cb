"""Updates that emit ``<object>.updated`` with ``data.previous_attributes``, as Stripe does.

A mixin rather than a base class: localstripe finds the class of an id (for ``expand[]``)
among the *direct* subclasses of ``StripeObject`` only, so resources must keep
``StripeObject`` as a direct base.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sandbox.events import emit
from sandbox.params import Params


class UpdateEvents:
    object: str
    # The events' type prefix when it is not the object's name (customer.subscription).
    _event_prefix: str | None = None
    # Events Stripe sends with every ``.updated`` one (a refund's charge.refund.updated).
    _updated_also: tuple[str, ...] = ()
    _tracking_changes = False

    @classmethod
    def _api_update(cls, id: str, **data: Any) -> Any:
        obj = cls._api_retrieve(id)  # type: ignore[attr-defined]
        with obj._changes():
            obj._modify(Params(data))
        return obj

    def _modify(self, params: Params) -> None:
        """Validate every parameter, then apply them; nothing changes on a 400."""
        raise NotImplementedError

    @contextmanager
    def _changes(self, event_type: str | None = None) -> Iterator[None]:
        """Emit one ``.updated`` (or ``event_type``) event for whatever changes inside the
        block, including changes made by nested blocks (a renewal's payment activating the
        subscription it renews reports once, with every previous value)."""
        if self._tracking_changes:
            yield
            return
        before = self._export()  # type: ignore[attr-defined]
        self._tracking_changes = True
        try:
            yield
        finally:
            self._tracking_changes = False
            previous = changed_attributes(before, self._export())  # type: ignore[attr-defined]
            if previous and event_type is not None:
                emit(event_type, self, previous)
            elif previous:
                for type in (f"{self._event_prefix or self.object}.updated", *self._updated_also):
                    emit(type, self, previous)


def changed_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Stripe's ``previous_attributes``: the old value of each changed field; for a hash
    such as ``metadata``, only its changed keys (null where a key was added)."""
    previous: dict[str, Any] = {}
    for key, old in before.items():
        new = after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            previous[key] = {
                k: old.get(k) for k in old.keys() | new.keys() if old.get(k) != new.get(k)
            }
        else:
            previous[key] = old
    return previous
