"""Updates that emit ``<object>.updated`` with ``data.previous_attributes``, as Stripe does.

A mixin rather than a base class: localstripe finds the class of an id (for ``expand[]``)
among the *direct* subclasses of ``StripeObject`` only, so resources must keep
``StripeObject`` as a direct base.
"""

from typing import Any

from sandbox.events import emit
from sandbox.params import Params


class UpdateEvents:
    object: str

    @classmethod
    def _api_update(cls, id: str, **data: Any) -> Any:
        obj = cls._api_retrieve(id)  # type: ignore[attr-defined]
        before = obj._export()
        obj._modify(Params(data))
        previous = changed_attributes(before, obj._export())
        if previous:
            emit(f"{cls.object}.updated", obj, previous)
        return obj

    def _modify(self, params: Params) -> None:
        """Validate every parameter, then apply them; nothing changes on a 400."""
        raise NotImplementedError


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
