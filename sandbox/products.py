"""Products in today's shape (``/v1/products``).

localstripe's Product is the 2017 one: ``caption``/``attributes``, no ``images``,
``updated`` or ``default_price``, a ``shippable`` that refuses form-encoded booleans, updates
that store ``"false"`` as a string and emit nothing, and oldest-first lists. This one
replaces it, including for the products localstripe's legacy ``Plan`` creates inline.
"""

import time
from typing import Any

from localstripe.resources import DeletedObject, StripeObject, store

from sandbox import listing
from sandbox.errors import invalid_request, not_found
from sandbox.events import emit
from sandbox.params import Params
from sandbox.updates import UpdateEvents

_TYPES = ("good", "service")
_MAX_IMAGES = 8
# Optional string fields and their maximum lengths; "" unsets them.
_OPTIONAL_STRINGS = {
    "description": 40000,
    "statement_descriptor": 22,
    "tax_code": 5000,
    "unit_label": 12,
    "url": 5000,
}


class Product(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "product"
    _id_prefix = "prod_"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        id = params.string("id")
        kind = params.string("type", choices=_TYPES) or "service"
        fields = _read_fields(params, {})
        params.done()
        if not fields.get("name"):
            raise invalid_request("Missing required param: name.", "name", "parameter_missing")
        if id is not None and f"product:{id}" in store:
            raise invalid_request("Product already exists.", "id", "resource_already_exists")

        super().__init__(id)
        self.active = True
        self.default_price = None
        self.description = None
        self.images: list[str] = []
        self.marketing_features: list[dict[str, str]] = []
        self.metadata: dict[str, str] = {}
        self.package_dimensions = None
        self.shippable = None
        self.statement_descriptor = None
        self.tax_code = None
        self.type = kind
        self.unit_label = None
        self.updated = self.created
        self.url = None
        self.__dict__.update(fields)
        emit("product.created", self)

    def _modify(self, params: Params) -> None:
        default_price = params.string("default_price")
        fields = _read_fields(params, self.metadata)
        params.done()
        if "name" in fields and not fields["name"]:
            raise invalid_request("You must provide a non-empty name.", "name")
        if default_price is not None:
            price = store.get(f"price:{default_price}")
            if price is None:
                raise not_found("price", default_price, "default_price", status=400)
            if price.product != self.id:
                raise invalid_request(
                    "The price specified as default_price must belong to this product.",
                    "default_price",
                )
            fields["default_price"] = default_price
        self.__dict__.update(fields)
        self.updated = int(time.time())

    @classmethod
    def _api_delete(cls, id: str) -> Any:
        product = cls._api_retrieve(id)
        if any(price.product == id for price in listing.newest_first("price")):
            raise invalid_request(
                "This product cannot be deleted because it has one or more user-created prices."
            )
        del store[f"product:{id}"]
        emit("product.deleted", product)
        return DeletedObject(id, cls.object)

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        active = params.boolean("active")
        shippable = params.boolean("shippable")
        ids = params.strings("ids")
        kind = params.string("type", choices=_TYPES)
        product_url = params.string("url")

        def keep(product: Any) -> bool:
            return (
                (active is None or product.active == active)
                and (shippable is None or product.shippable == shippable)
                and (ids is None or product.id in ids)
                and (kind is None or product.type == kind)
                and (product_url is None or product.url == product_url)
            )

        return listing.paginate(cls.object, url, params, keep)


def _read_fields(params: Params, metadata: dict[str, str]) -> dict[str, Any]:
    """The writable fields present in ``params``, blanks read as Stripe's "unset"."""
    fields: dict[str, Any] = {}
    for key, max_length in _OPTIONAL_STRINGS.items():
        value = params.string(key, max_length=max_length)
        if value is not None:
            fields[key] = value or None
    features = params.hashes("marketing_features")
    values = {
        "name": params.string("name"),
        "active": params.boolean("active"),
        "shippable": params.boolean("shippable"),
        "images": params.strings("images", max_items=_MAX_IMAGES),
        "marketing_features": None if features is None else [_feature(f) for f in features],
        "metadata": params.metadata(metadata),
    }
    fields.update({k: v for k, v in values.items() if v is not None})
    return fields


def _feature(params: Params) -> dict[str, str]:
    name = params.string("name", required=True, max_length=80)
    params.done()
    assert name is not None
    return {"name": name}
