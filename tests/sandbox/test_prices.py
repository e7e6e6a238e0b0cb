"""Prices through the stripe SDK: shapes, lookup keys, filters, immutability, events."""

from decimal import Decimal

import pytest
import stripe


@pytest.fixture
async def product(client: stripe.StripeClient) -> stripe.Product:
    return await client.v1.products.create_async(params={"name": "Pro"})


async def test_recurring_price_has_todays_shape(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={
            "product": product.id,
            "currency": "USD",
            "unit_amount": 1500,
            "recurring": {"interval": "month", "interval_count": 3},
            "lookup_key": "pro_quarterly",
            "nickname": "Pro quarterly",
            "metadata": {"plan": "pro"},
        }
    )
    assert price.id.startswith("price_")
    assert price.object == "price"
    assert price.type == "recurring"
    assert price.currency == "usd"
    assert price.unit_amount == 1500
    assert price.unit_amount_decimal == Decimal("1500")
    assert price.billing_scheme == "per_unit"
    assert price.tax_behavior == "unspecified"
    assert price.livemode is False
    assert price.active is True
    assert price.product == product.id
    assert price.metadata.to_dict() == {"plan": "pro"}
    assert price.recurring is not None
    assert price.recurring.to_dict() == {
        "interval": "month",
        "interval_count": 3,
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }
    fetched = await client.v1.prices.retrieve_async(price.id)
    assert fetched.to_dict() == price.to_dict()


async def test_one_time_price_and_expanded_product(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "eur", "unit_amount": 999}
    )
    assert price.type == "one_time"
    assert price.recurring is None
    assert price.lookup_key is None
    expanded = await client.v1.prices.retrieve_async(price.id, params={"expand": ["product"]})
    assert isinstance(expanded.product, stripe.Product)
    assert expanded.product.name == "Pro"


async def test_product_data_creates_the_product(client: stripe.StripeClient) -> None:
    price = await client.v1.prices.create_async(
        params={"product_data": {"name": "Inline"}, "currency": "usd", "unit_amount": 100}
    )
    assert isinstance(price.product, str)
    assert (await client.v1.products.retrieve_async(price.product)).name == "Inline"


async def test_list_filters_by_lookup_keys_active_type_and_product(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    other = await client.v1.products.create_async(params={"name": "Other"})

    async def create(key: str, prod: str, **extra: object) -> str:
        params = {"product": prod, "currency": "usd", "unit_amount": 100, "lookup_key": key}
        return (await client.v1.prices.create_async(params={**params, **extra})).id

    monthly = await create("m", product.id, recurring={"interval": "month"})
    yearly = await create("y", product.id, recurring={"interval": "year"})
    once = await create("o", other.id)
    archived = await create("a", product.id, active=False)

    async def ids(**params: object) -> list[str]:
        return [p.id for p in (await client.v1.prices.list_async(params=params)).data]

    assert await ids(lookup_keys=["m", "o"]) == [once, monthly]
    assert await ids(lookup_keys=["y"]) == [yearly]
    assert await ids(lookup_keys=["nothing"]) == []
    assert await ids(active=False) == [archived]
    assert await ids(active=True) == [once, yearly, monthly]
    assert await ids(type="one_time") == [archived, once]
    assert await ids(product=other.id) == [once]
    assert await ids(recurring={"interval": "year"}) == [yearly]
    assert await ids() == [archived, once, yearly, monthly]


async def test_list_pages_with_cursors(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    created = [
        (
            await client.v1.prices.create_async(
                params={"product": product.id, "currency": "usd", "unit_amount": n}
            )
        ).id
        for n in range(5)
    ]
    newest_first = created[::-1]
    first = await client.v1.prices.list_async(params={"limit": 2})
    assert [p.id for p in first.data] == newest_first[:2]
    assert first.has_more is True
    last = await client.v1.prices.list_async(params={"limit": 2, "starting_after": newest_first[3]})
    assert [p.id for p in last.data] == newest_first[4:]
    assert last.has_more is False
    before = await client.v1.prices.list_async(
        params={"limit": 2, "ending_before": newest_first[3]}
    )
    assert [p.id for p in before.data] == newest_first[1:3]
    assert before.has_more is True
    walked = [p.id async for p in first.auto_paging_iter()]
    assert walked == newest_first


async def test_lookup_key_is_unique_unless_transferred(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    params = {"product": product.id, "currency": "usd", "lookup_key": "pro_monthly"}
    old = await client.v1.prices.create_async(params={**params, "unit_amount": 1000})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.prices.create_async(params={**params, "unit_amount": 1200})
    assert refused.value.http_status == 400
    assert refused.value.param == "lookup_key"
    assert old.id in str(refused.value.user_message)

    new = await client.v1.prices.create_async(
        params={**params, "unit_amount": 1200, "transfer_lookup_key": True}
    )
    assert new.lookup_key == "pro_monthly"
    assert (await client.v1.prices.retrieve_async(old.id)).lookup_key is None
    found = await client.v1.prices.list_async(params={"lookup_keys": ["pro_monthly"]})
    assert [p.id for p in found.data] == [new.id]


async def test_update_moves_lookup_key_only_with_transfer(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    base = {"product": product.id, "currency": "usd", "unit_amount": 100}
    holder = await client.v1.prices.create_async(params={**base, "lookup_key": "k"})
    other = await client.v1.prices.create_async(params=base)
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.prices.update_async(other.id, params={"lookup_key": "k"})
    moved = await client.v1.prices.update_async(
        other.id, params={"lookup_key": "k", "transfer_lookup_key": True}
    )
    assert moved.lookup_key == "k"
    assert (await client.v1.prices.retrieve_async(holder.id)).lookup_key is None


async def test_update_active_nickname_and_metadata(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={
            "product": product.id,
            "currency": "usd",
            "unit_amount": 100,
            "metadata": {"keep": "1", "drop": "2"},
        }
    )
    updated = await client.v1.prices.update_async(
        price.id,
        params={"active": False, "nickname": "old", "metadata": {"drop": "", "new": "3"}},
    )
    assert updated.active is False
    assert updated.nickname == "old"
    assert updated.metadata.to_dict() == {"keep": "1", "new": "3"}
    assert (await client.v1.prices.retrieve_async(price.id)).active is False


async def test_amount_of_an_existing_price_cannot_change(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 100}
    )
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.prices.update_async(price.id, params={"unit_amount": 200})
    assert refused.value.http_status == 400
    assert refused.value.param == "unit_amount"
    assert (await client.v1.prices.retrieve_async(price.id)).unit_amount == 100


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"currency": "usd", "unit_amount": 100}, "product"),
        ({"product": "prod_missing", "currency": "usd", "unit_amount": 100}, "product"),
        ({"product": "{product}", "unit_amount": 100}, "currency"),
        ({"product": "{product}", "currency": "usd"}, "unit_amount"),
        ({"product": "{product}", "currency": "usd", "unit_amount": -1}, "unit_amount"),
        (
            {
                "product": "{product}",
                "currency": "usd",
                "unit_amount": 1,
                "recurring": {"interval": "fortnight"},
            },
            "recurring[interval]",
        ),
    ],
)
async def test_invalid_prices_are_refused_naming_the_parameter(
    client: stripe.StripeClient, product: stripe.Product, params: dict, param: str
) -> None:
    if params.get("product") == "{product}":
        params = {**params, "product": product.id}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.prices.create_async(params=params)
    assert refused.value.http_status == 400
    assert refused.value.param == param
    assert (await client.v1.prices.list_async()).data == []


async def test_missing_price_is_a_404_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.prices.retrieve_async("price_missing")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.user_message == "No such price: 'price_missing'"


async def test_price_events_carry_previous_attributes(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 100}
    )
    await client.v1.prices.update_async(price.id, params={"active": False})
    events = (await client.v1.events.list_async(params={"type": "price.*"})).data
    assert [e.type for e in events] == ["price.updated", "price.created"]
    updated, created = events
    assert updated.data.object["active"] is False
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes.to_dict() == {"active": True}
    assert created.data.object["id"] == price.id
    assert created.data.object["active"] is True


async def test_fractional_unit_amount_decimal(
    client: stripe.StripeClient, product: stripe.Product
) -> None:
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount_decimal": "0.25"}
    )
    assert price.unit_amount is None
    assert price.unit_amount_decimal == Decimal("0.25")


async def test_list_expands_each_item(client: stripe.StripeClient, product: stripe.Product) -> None:
    await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 1}
    )
    listed = await client.v1.prices.list_async(params={"expand": ["data.product"]})
    assert [p.product.name for p in listed.data] == ["Pro"]
