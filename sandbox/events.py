"""Events as Stripe has them: the pinned ``api_version``, ``request``, ``pending_webhooks``,
``data.previous_attributes`` on updates, and a newest-first list with Stripe's filters.

sandbox.patches makes this class the ``Event`` that localstripe's resources create, so
their events are shaped the same as the sandbox's own.
"""

import fnmatch
from typing import Any

from localstripe import resources

from sandbox import listing, versioning
from sandbox.context import current_request
from sandbox.errors import invalid_request
from sandbox.params import Params
from sandbox.webhooks import endpoints_for

_MAX_TYPES = 20


class Event(resources.Event):  # type: ignore[misc]
    def __init__(self, type: str, data: Any) -> None:
        super().__init__(type, data)  # snapshots data.object, already translated
        self.api_version = versioning.API_VERSION
        self.request = current_request()
        self.pending_webhooks = len(endpoints_for(type))

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        type_pattern = params.string("type")
        types = params.strings("types", max_items=_MAX_TYPES)
        delivered = params.boolean("delivery_success")
        if type_pattern is not None and types is not None:
            raise invalid_request("You may only specify one of these parameters: type, types.")

        def keep(event: Any) -> bool:
            if type_pattern is not None and not fnmatch.fnmatchcase(event.type, type_pattern):
                return False
            if types is not None and event.type not in types:
                return False
            return delivered is None or (event.pending_webhooks == 0) == delivered

        return listing.paginate(cls.object, url, params, keep)


def emit(type: str, obj: Any, previous_attributes: dict[str, Any] | None = None) -> Any:
    """Record ``type`` for ``obj`` and hand it to webhook delivery, as localstripe does."""
    event = Event(type, obj)
    if previous_attributes:
        event.data["previous_attributes"] = previous_attributes
    # Looked up at call time: sandbox.patches points it at the sandbox's delivery queue.
    resources.schedule_webhook(event)
    return event
