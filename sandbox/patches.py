"""What the sandbox changes inside localstripe, all in one place.

localstripe keeps its state in module globals, so these patches apply to the whole
process: one sandbox app per process (``python -m sandbox`` runs exactly one).
"""

from typing import Any

from localstripe import resources

from sandbox import cards, events, exporting, payment_methods, products
from sandbox.errors import not_found
from sandbox.webhooks import WebhookDelivery


def install(delivery: WebhookDelivery) -> None:
    # Each sandbox keeps its state in memory: localstripe would re-pickle the whole store
    # to /tmp/localstripe.pickle after every write and share it between instances.
    resources.Store.dump_to_disk = _keep_in_memory
    resources.Store.try_load_from_disk = _keep_in_memory
    # Answers and event payloads in the pinned API version's shapes.
    resources.StripeObject._export = exporting.export
    resources.StripeObject._api_retrieve = classmethod(_retrieve)
    # localstripe's resources create these by their module-global names.
    resources.Event = events.Event
    resources.Product = products.Product
    resources.schedule_webhook = delivery.enqueue
    # Stripe's test cards, for localstripe's payment methods and setup intents too.
    method = resources.PaymentMethod
    method._try_get_canonical_test_article = classmethod(cards.test_payment_method)
    method._attaching_is_declined = lambda self: cards.attach_decline(self) is not None
    method._requires_authentication = cards.requires_authentication
    method._api_attach = staticmethod(payment_methods.attach)  # Customer(payment_method=...)
    method._api_list_all = classmethod(payment_methods.list_all)
    method._api_update = classmethod(payment_methods.update)


def _keep_in_memory(store: Any) -> None:
    """Replaces localstripe's pickling: the store stays in this process only."""


def _retrieve(cls: Any, id: str) -> Any:
    """localstripe's lookup, with Stripe's "No such <object>: '<id>'" 404."""
    obj = resources.store.get(f"{cls.object}:{id}")
    if obj is None:
        raise not_found(cls.object, id)
    return obj
