"""Customers and saved payment methods end to end: SetupIntents over GraphQL,
confirmed in the sandbox, mirrored from its signed webhooks; defaults, removal,
ownership, the billing profile and bad input."""

from __future__ import annotations

from collections import Counter
from typing import Any

from billing.tokens import Role
from models.customers import Customer, PaymentMethod
from models.events import OutboxEvent
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, stripe_get, stripe_post
from tests.querycount import count_queries
from tests.test_subscriptions import subscribe

SETUP = """mutation($input: CreateSetupIntentInput!) {
  createSetupIntent(input: $input) { clientSecret customerId ephemeralKey
    errors { code message field } } }"""
METHOD = "id type brand last4 expMonth expYear wallet isDefault"
METHODS = f"query($userId: ID) {{ paymentMethods(userId: $userId) {{ {METHOD} }} }}"
SET_DEFAULT = f"""mutation($input: PaymentMethodIdInput!) {{
  setDefaultPaymentMethod(input: $input) {{ paymentMethods {{ {METHOD} }}
    errors {{ code message field }} }} }}"""
DETACH = f"""mutation($input: PaymentMethodIdInput!) {{
  detachPaymentMethod(input: $input) {{ paymentMethods {{ {METHOD} }}
    errors {{ code message field }} }} }}"""
PROFILE = f"""userId email name stripeCustomerId createdAt
  address {{ line1 line2 city state postalCode country }}
  defaultPaymentMethod {{ {METHOD} }}"""
CUSTOMER = f"query($userId: ID) {{ customer(userId: $userId) {{ {PROFILE} }} }}"
UPDATE = f"""mutation($input: UpdateCustomerInput!) {{
  updateCustomer(input: $input) {{ customer {{ {PROFILE} }} errors {{ code message field }} }} }}"""
ADMIN = bearer("admin", roles=(Role.ADMIN,))


async def gql(api: LiveServer, query: str, user: str, **variables: Any) -> dict[str, Any]:
    body = await api.gql(query, variables, bearer(user))
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def setup_intent(api: LiveServer, user: str, key: str = "save-1", **extra: Any) -> dict:
    data = await gql(api, SETUP, user, input={"idempotencyKey": key, **extra})
    result: dict = data["createSetupIntent"]
    assert result["errors"] == [], result
    return result


def setup_intent_id(client_secret: str) -> str:
    return client_secret.split("_secret_")[0]


async def save_card(
    api: LiveServer, sandbox: SandboxProcess, user: str, card: str = "pm_card_visa"
) -> str:
    """Save ``card`` as Stripe.js would: a SetupIntent confirmed with it; its pm_ id."""
    created = await setup_intent(api, user, key=f"save-{card}")
    intent = setup_intent_id(created["clientSecret"])
    confirmed = await sandbox.helper_async(f"setup_intents/{intent}/confirm", payment_method=card)
    if confirmed["status"] == "requires_action":
        confirmed = await sandbox.helper_async(f"setup_intents/{intent}/authenticate")
    assert confirmed["status"] == "succeeded"
    await sandbox.drain_async()
    method: str = confirmed["payment_method"]
    return method


async def methods(api: LiveServer, user: str) -> list[dict]:
    result: list[dict] = (await gql(api, METHODS, user))["paymentMethods"]
    return result


def codes(payload: dict) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


# ------------------------------------------------------------- saving cards


async def test_a_card_saved_through_a_setup_intent_is_listed(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    assert (await gql(api, CUSTOMER, "user-a"))["customer"] is None
    created = await setup_intent(api, "user-a", mobileApiVersion="2020-08-27")
    assert created["customerId"].startswith("cus_")
    assert created["ephemeralKey"].startswith("ek_test_")
    intent = await stripe_get(
        sandbox, f"/v1/setup_intents/{setup_intent_id(created['clientSecret'])}"
    )
    assert intent["customer"] == created["customerId"]
    assert intent["usage"] == "off_session"
    again = await setup_intent(api, "user-a", mobileApiVersion="2020-08-27")
    assert again["clientSecret"] == created["clientSecret"]  # the same key, the same intent

    await sandbox.helper_async(
        f"setup_intents/{setup_intent_id(created['clientSecret'])}/confirm",
        payment_method="pm_card_visa",
    )
    await sandbox.drain_async()
    [card] = await methods(api, "user-a")
    assert card["id"].startswith("pm_")
    assert (card["type"], card["brand"], card["last4"]) == ("card", "visa", "4242")
    assert (card["expMonth"], card["expYear"], card["wallet"]) == (12, 2034, None)
    assert card["isDefault"] is False
    web = await setup_intent(api, "user-a", key="save-web")
    assert web["ephemeralKey"] is None
    assert web["customerId"] == created["customerId"]


async def test_a_three_d_secure_card_is_listed_once_authenticated(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await setup_intent(api, "user-a")
    intent = setup_intent_id(created["clientSecret"])
    confirmed = await sandbox.helper_async(
        f"setup_intents/{intent}/confirm", payment_method="pm_card_threeDSecure2Required"
    )
    assert confirmed["status"] == "requires_action"
    await sandbox.drain_async()
    assert await methods(api, "user-a") == []
    await sandbox.helper_async(f"setup_intents/{intent}/authenticate")
    await sandbox.drain_async()
    [card] = await methods(api, "user-a")
    assert card["last4"] == "3220"


async def test_wallet_cards_show_their_wallet(api: LiveServer, sandbox: SandboxProcess) -> None:
    apple = await save_card(api, sandbox, "user-a", "pm_card_applePay")
    google = await save_card(api, sandbox, "user-a", "pm_card_googlePay")
    listed = {m["id"]: m for m in await methods(api, "user-a")}
    assert listed[apple]["wallet"] == "apple_pay"
    assert (listed[google]["wallet"], listed[google]["brand"]) == ("google_pay", "mastercard")


# ------------------------------------------------------- default and removal


async def announced(seen: set[Any]) -> Counter[tuple[str, str | None]]:
    """The events recorded since ``seen`` (which takes them in): each step's own
    events, told apart without ordering by the wall-clock ``occurred_at``."""
    fresh = [e for e in await OutboxEvent.filter(user_id="user-a") if e.id not in seen]
    seen.update(e.id for e in fresh)
    told = [
        (e.type, e.payload["defaultPaymentMethod"])
        if e.type == "customer.updated"
        else (e.type, e.payload["paymentMethod"]["id"])
        for e in fresh
    ]
    return Counter(told)


async def test_default_and_detach(api: LiveServer, sandbox: SandboxProcess) -> None:
    visa = await save_card(api, sandbox, "user-a")
    master = await save_card(api, sandbox, "user-a", "pm_card_mastercard")
    seen: set[Any] = set()
    assert await announced(seen) == Counter(
        [("payment_method.attached", visa), ("payment_method.attached", master)]
    )
    result = (await gql(api, SET_DEFAULT, "user-a", input={"paymentMethodId": visa}))[
        "setDefaultPaymentMethod"
    ]
    assert result["errors"] == []
    assert {m["id"]: m["isDefault"] for m in result["paymentMethods"]} == {
        visa: True,
        master: False,
    }
    customer = await Customer.get(user_id="user-a")
    stripe_customer = await stripe_get(sandbox, f"/v1/customers/{customer.stripe_customer_id}")
    assert stripe_customer["invoice_settings"]["default_payment_method"] == visa
    await sandbox.drain_async()  # customer.updated changes nothing more
    profile = (await gql(api, CUSTOMER, "user-a"))["customer"]
    assert profile["defaultPaymentMethod"]["id"] == visa
    # Each change told consumers once, whether billgraph or a webhook made it.
    assert await announced(seen) == Counter([("customer.updated", visa)])

    # The default can go; the remaining card becomes the default.
    result = (await gql(api, DETACH, "user-a", input={"paymentMethodId": visa}))[
        "detachPaymentMethod"
    ]
    assert result["errors"] == []
    assert [(m["id"], m["isDefault"]) for m in result["paymentMethods"]] == [(master, True)]
    detached = await stripe_get(sandbox, f"/v1/payment_methods/{visa}")
    assert detached["customer"] is None
    stripe_customer = await stripe_get(sandbox, f"/v1/customers/{customer.stripe_customer_id}")
    assert stripe_customer["invoice_settings"]["default_payment_method"] == master
    await sandbox.drain_async()
    assert [m["id"] for m in await methods(api, "user-a")] == [master]
    assert await announced(seen) == Counter(
        [("customer.updated", master), ("payment_method.detached", visa)]
    )

    # The last card can go too without a live subscription; no default is left.
    result = (await gql(api, DETACH, "user-a", input={"paymentMethodId": master}))[
        "detachPaymentMethod"
    ]
    assert (result["errors"], result["paymentMethods"]) == ([], [])
    await sandbox.drain_async()
    assert (await gql(api, CUSTOMER, "user-a"))["customer"]["defaultPaymentMethod"] is None
    assert await PaymentMethod.filter(user_id="user-a").count() == 0
    assert await announced(seen) == Counter(
        [("customer.updated", None), ("payment_method.detached", master)]
    )


async def test_a_live_subscription_keeps_a_method(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    subscription = await subscribe(shop, sandbox, "user-a")
    [paying] = await methods(shop, "user-a")  # saved by the checkout
    refused = (await gql(shop, DETACH, "user-a", input={"paymentMethodId": paying["id"]}))[
        "detachPaymentMethod"
    ]
    assert codes(refused) == [("INVALID_INPUT", "paymentMethodId")]
    assert "subscription" in refused["errors"][0]["message"]
    still = await stripe_get(sandbox, f"/v1/payment_methods/{paying['id']}")
    assert still["customer"] is not None

    other = await save_card(shop, sandbox, "user-a", "pm_card_mastercard")
    result = (await gql(shop, DETACH, "user-a", input={"paymentMethodId": paying["id"]}))[
        "detachPaymentMethod"
    ]
    assert result["errors"] == []
    assert [(m["id"], m["isDefault"]) for m in result["paymentMethods"]] == [(other, True)]
    renewed_with = await stripe_get(
        sandbox, f"/v1/subscriptions/{subscription['stripeSubscriptionId']}"
    )
    assert renewed_with["default_payment_method"] == other


# ---------------------------------------------------------------- ownership


async def test_another_users_method_is_not_found(api: LiveServer, sandbox: SandboxProcess) -> None:
    card = await save_card(api, sandbox, "user-a")
    assert await methods(api, "user-b") == []
    for mutation, name in (
        (SET_DEFAULT, "setDefaultPaymentMethod"),
        (DETACH, "detachPaymentMethod"),
    ):
        for method in (card, "pm_unknown"):
            result = (await gql(api, mutation, "user-b", input={"paymentMethodId": method}))[name]
            assert codes(result) == [("NOT_FOUND", "paymentMethodId")]
            assert card not in result["errors"][0]["message"]
    still = await stripe_get(sandbox, f"/v1/payment_methods/{card}")
    owner = await Customer.get(user_id="user-a")
    assert still["customer"] == owner.stripe_customer_id
    assert (await stripe_get(sandbox, f"/v1/customers/{owner.stripe_customer_id}"))[
        "invoice_settings"
    ]["default_payment_method"] is None
    forbidden = await api.gql(METHODS, {"userId": "user-a"}, bearer("user-b"))
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    on_behalf = await api.gql(METHODS, {"userId": "user-a"}, ADMIN)
    assert [m["id"] for m in on_behalf["data"]["paymentMethods"]] == [card]


# ------------------------------------------------------------ the mirror


async def test_changes_made_in_stripe_are_mirrored(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    card = await save_card(api, sandbox, "user-a")
    customer = await Customer.get(user_id="user-a")
    await stripe_post(
        sandbox,
        f"/v1/customers/{customer.stripe_customer_id}",
        **{"invoice_settings[default_payment_method]": card, "name": "Ada Lovelace"},
    )
    await stripe_post(sandbox, f"/v1/payment_methods/{card}", **{"card[exp_year]": "2031"})
    await sandbox.drain_async()
    [listed] = await methods(api, "user-a")
    assert (listed["isDefault"], listed["expYear"]) == (True, 2031)
    assert (await gql(api, CUSTOMER, "user-a"))["customer"]["name"] == "Ada Lovelace"
    await stripe_post(sandbox, f"/v1/payment_methods/{card}/detach")
    await sandbox.drain_async()
    assert await methods(api, "user-a") == []
    assert await PaymentMethod.all().count() == 0


async def test_listing_payment_methods_is_one_query(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    for card in ("pm_card_visa", "pm_card_mastercard", "pm_card_applePay"):
        await save_card(api, sandbox, "user-a", card)
    with count_queries() as statements:
        assert len(await methods(api, "user-a")) == 3
    assert len(statements) == 1, statements


# --------------------------------------------------------- billing profile


async def test_update_customer_sets_name_and_address_in_stripe(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    address = {"line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "de"}
    result = (
        await gql(api, UPDATE, "user-a", input={"name": " Ada Lovelace ", "address": address})
    )["updateCustomer"]
    assert result["errors"] == []
    profile = result["customer"]
    assert profile["name"] == "Ada Lovelace"
    assert profile["address"] == {
        "line1": "1 Main St", "line2": None, "city": "Berlin", "state": None,
        "postalCode": "10115", "country": "DE",
    }  # fmt: skip
    sent = await stripe_get(sandbox, f"/v1/customers/{profile['stripeCustomerId']}")
    assert sent["name"] == "Ada Lovelace"
    [event] = await OutboxEvent.filter(type="customer.updated")
    assert event.payload["address"]["postalCode"] == "10115"
    assert sent["address"]["country"] == "DE"
    assert sent["metadata"]["user_id"] == "user-a"
    assert (await gql(api, CUSTOMER, "user-a"))["customer"]["address"]["city"] == "Berlin"

    # Admins act for any user that has a customer; plain users only for themselves.
    admin = await api.gql(UPDATE, {"input": {"userId": "user-a", "name": "A. L."}}, ADMIN)
    assert admin["data"]["updateCustomer"]["customer"]["name"] == "A. L."
    other = (await gql(api, UPDATE, "user-b", input={"userId": "user-a", "name": "x"}))[
        "updateCustomer"
    ]
    assert codes(other) == [("FORBIDDEN", "userId")]
    nobody = await api.gql(UPDATE, {"input": {"userId": "user-z", "name": "Z"}}, ADMIN)
    assert codes(nobody["data"]["updateCustomer"]) == [("NOT_FOUND", "userId")]


async def test_bad_profile_input_writes_nothing(api: LiveServer, sandbox: SandboxProcess) -> None:
    await setup_intent(api, "user-a")  # the customer exists
    cases = [
        ({"name": "x" * 201}, "name"),
        ({"name": "Ada", "address": {"country": "XX"}}, "address.country"),
        ({"address": {"country": "Germany"}}, "address.country"),
        ({"address": {"line1": "y" * 201, "country": "DE"}}, "address.line1"),
    ]
    for update, field in cases:
        result = (await gql(api, UPDATE, "user-a", input=update))["updateCustomer"]
        assert codes(result) == [("INVALID_INPUT", field)], update
    customer = await Customer.get(user_id="user-a")
    assert (customer.name, customer.address) == (None, None)
    sent = await stripe_get(sandbox, f"/v1/customers/{customer.stripe_customer_id}")
    assert (sent["name"], sent["address"]) == (None, None)
    events = await stripe_get(sandbox, "/v1/events", type="customer.updated")
    assert events["data"] == []


async def test_a_bad_setup_intent_request_reaches_no_one(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    for extra, field in (
        ({"idempotencyKey": " "}, "idempotencyKey"),
        ({"idempotencyKey": "k", "mobileApiVersion": "x" * 65}, "mobileApiVersion"),
    ):
        result = (await gql(api, SETUP, "user-a", input=extra))["createSetupIntent"]
        assert codes(result) == [("INVALID_INPUT", field)]
        assert result["clientSecret"] is None
    assert (await stripe_get(sandbox, "/v1/customers"))["data"] == []
    assert await Customer.all().count() == 0
