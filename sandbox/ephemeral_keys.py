"""Ephemeral keys (``/v1/ephemeral_keys``): the short-lived customer key a mobile app's
PaymentSheet uses. Like Stripe, creation requires the ``Stripe-Version`` header, since the
key is pinned to the mobile SDK's API version rather than the server's.
"""

import time
from typing import Any

from localstripe.resources import Customer, StripeObject, random_id, store

from sandbox.context import requested_version
from sandbox.errors import invalid_request
from sandbox.params import Params

_LIFETIME = 3600


class EphemeralKey(StripeObject):  # type: ignore[misc]
    object = "ephemeral_key"
    _id_prefix = "ephkey_"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        customer = params.reference("customer", Customer, required=True)
        params.done()
        if requested_version() is None:
            raise invalid_request(
                "Stripe-Version header is required to create an ephemeral key: send the API "
                "version of the mobile SDK that will use the key."
            )
        super().__init__(self._id_prefix + random_id(24))
        self.associated_objects = [{"id": customer.id, "type": "customer"}]
        self.expires = self.created + _LIFETIME
        self.secret = "ek_test_" + random_id(64)

    @classmethod
    def _api_delete(cls, id: str) -> Any:
        """Invalidate the key; Stripe answers with the key, expired now."""
        key = cls._api_retrieve(id)
        del store[f"{cls.object}:{id}"]
        key.expires = int(time.time())
        return key
