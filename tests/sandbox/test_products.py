"""Products through the stripe SDK: today's shape, CRUD, filters, pagination, events."""

import pytest
import stripe

TODAYS_FIELDS = {
    "active",
    "created",
    "default_price",
    "description",
    "id",
    "images",
    "livemode",
    "marketing_features",
    "metadata",
    "name",
    "object",
    "package_dimensions",
    "shippable",
    "statement_descriptor",
    "tax_code",
    "tax_details",
    "type",
    "unit_label",
    "updated",
    "url",
}


async def test_create_with_id_and_retrieve(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(
        params={
            "id": "pro",
            "name": "Pro",
            "description": "For teams",
            "metadata": {"plan": "pro"},
            "active": False,
            "marketing_features": [{"name": "1,000 calls"}],
        }
    )
    assert set(product.to_dict()) == TODAYS_FIELDS
    assert product.id == "pro"
    assert product.object == "product"
    assert product.active is False
    assert product.description == "For teams"
    assert product.metadata.to_dict() == {"plan": "pro"}
    assert [f.name for f in product.marketing_features] == ["1,000 calls"]
    assert product.livemode is False
    assert product.updated == product.created
    fetched = await client.v1.products.retrieve_async("pro")
    assert fetched.to_dict() == product.to_dict()


async def test_duplicate_id_is_refused(client: stripe.StripeClient) -> None:
    await client.v1.products.create_async(params={"id": "pro", "name": "Pro"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.products.create_async(params={"id": "pro", "name": "Again"})
    assert refused.value.http_status == 400
    assert refused.value.code == "resource_already_exists"
    assert (await client.v1.products.retrieve_async("pro")).name == "Pro"


async def test_name_is_required(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.products.create_async(params={"description": "nameless"})
    assert refused.value.param == "name"
    assert refused.value.code == "parameter_missing"


async def test_update_fields_and_unset_with_blank(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(
        params={"name": "Pro", "description": "old", "metadata": {"a": "1", "b": "2"}}
    )
    updated = await client.v1.products.update_async(
        product.id,
        params={"name": "Pro+", "active": False, "description": "", "metadata": {"a": ""}},
    )
    assert updated.name == "Pro+"
    assert updated.active is False
    assert updated.description is None
    assert updated.metadata.to_dict() == {"b": "2"}
    assert (await client.v1.products.retrieve_async(product.id)).active is False


async def test_update_emits_previous_attributes(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(params={"name": "Pro"})
    await client.v1.products.update_async(
        product.id, params={"name": "Pro+", "metadata": {"tier": "2"}}
    )
    events = (await client.v1.events.list_async(params={"type": "product.*"})).data
    assert [e.type for e in events] == ["product.updated", "product.created"]
    previous = events[0].data.previous_attributes
    assert previous is not None
    assert previous["name"] == "Pro"
    assert previous["metadata"].to_dict() == {"tier": None}
    assert events[0].data.object["name"] == "Pro+"
    assert events[1].data.object["name"] == "Pro"


async def test_default_price_must_be_one_of_its_prices(client: stripe.StripeClient) -> None:
    product = await client.v1.products.create_async(params={"name": "Pro"})
    other = await client.v1.products.create_async(params={"name": "Other"})
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 100}
    )
    foreign = await client.v1.prices.create_async(
        params={"product": other.id, "currency": "usd", "unit_amount": 100}
    )
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.products.update_async(product.id, params={"default_price": foreign.id})
    updated = await client.v1.products.update_async(
        product.id, params={"default_price": price.id, "expand": ["default_price"]}
    )
    assert isinstance(updated.default_price, stripe.Price)
    assert updated.default_price.id == price.id


async def test_list_filters_active_and_ids_and_pages(client: stripe.StripeClient) -> None:
    ids = [
        (await client.v1.products.create_async(params={"name": f"P{n}", "active": n % 2 == 0})).id
        for n in range(5)
    ]
    newest_first = ids[::-1]
    active = await client.v1.products.list_async(params={"active": True})
    assert [p.id for p in active.data] == [ids[4], ids[2], ids[0]]
    inactive = await client.v1.products.list_async(params={"active": False})
    assert [p.id for p in inactive.data] == [ids[3], ids[1]]
    chosen = await client.v1.products.list_async(params={"ids": [ids[0], ids[3]]})
    assert [p.id for p in chosen.data] == [ids[3], ids[0]]

    page = await client.v1.products.list_async(params={"limit": 2})
    seen = [p.id for p in page.data]
    while page.has_more:
        page = await client.v1.products.list_async(
            params={"limit": 2, "starting_after": page.data[-1].id}
        )
        seen += [p.id for p in page.data]
    assert seen == newest_first


async def test_unknown_cursor_is_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.products.list_async(params={"starting_after": "prod_missing"})
    assert refused.value.param == "starting_after"


async def test_delete_only_without_prices(client: stripe.StripeClient) -> None:
    bare = await client.v1.products.create_async(params={"name": "Bare"})
    priced = await client.v1.products.create_async(params={"name": "Priced"})
    await client.v1.prices.create_async(
        params={"product": priced.id, "currency": "usd", "unit_amount": 100}
    )
    deleted = await client.v1.products.delete_async(bare.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as gone:
        await client.v1.products.retrieve_async(bare.id)
    assert gone.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.products.delete_async(priced.id)
    assert (await client.v1.products.retrieve_async(priced.id)).name == "Priced"


async def test_blank_on_create_is_refused_where_stripe_refuses_it(
    client: stripe.StripeClient,
) -> None:
    """Stripe reads "" as "unset", which a create can't do for most parameters (real
    Stripe answers 400 parameter_invalid_empty); which ones may be blank comes from the
    SDK's own parameter types, nested hashes included."""
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.products.create_async(params={"name": "Pro", "description": ""})
    assert refused.value.http_status == 400
    assert (refused.value.code, refused.value.param) == ("parameter_invalid_empty", "description")
    assert "empty string for 'description'" in str(refused.value.user_message)
    assert (await client.v1.products.list_async()).data == []

    product = await client.v1.products.create_async(params={"name": "Pro"})
    with pytest.raises(stripe.InvalidRequestError) as nested:
        await client.v1.prices.create_async(
            params={
                "product": product.id,
                "currency": "usd",
                "unit_amount": 100,
                "recurring": {"interval": ""},
            }
        )
    assert (nested.value.code, nested.value.param) == (
        "parameter_invalid_empty",
        "recurring[interval]",
    )
    # Blanks Stripe's API declares for create still pass: a plan's metadata.
    plan = await client.v1.plans.create_async(
        params={
            "product": product.id,
            "currency": "usd",
            "amount": 100,
            "interval": "month",
            "metadata": "",
        }
    )
    assert plan.metadata.to_dict() == {}
