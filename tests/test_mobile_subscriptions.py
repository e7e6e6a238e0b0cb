"""createSubscription (the mobile PaymentSheet's flow), the subscription and
checkoutSession lookups, promotion codes at checkout, app-scheme return URLs.
Through GraphQL over HTTP, the sandbox and its signed webhooks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from billing.catalog import sync_catalog
from billing.customers import ensure_customer
from billing.errors import ConfigError
from billing.plans_file import load_catalog
from billing.settings import load_settings
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from models.payments import Payment
from models.subscriptions import Subscription
from sandbox.process import SandboxError, SandboxProcess
from tests.conftest import (
    ADMIN,
    ROOT,
    LiveServer,
    bearer,
    make_settings,
    start_server,
    stripe_get,
    stripe_post,
)
from tests.test_payment_lookup import PAYMENTS
from tests.test_subscriptions import CANCEL_URL, NODE, OK_URL, checkout, codes, listed

DISCOUNT = "discount { code percentOff amountOff { amount currency } endsAt }"
CREATE = f"""mutation($input: CreateSubscriptionInput!) {{
  createSubscription(input: $input) {{
    subscription {{ {NODE} discount {{ code percentOff amountOff {{ amount currency }} endsAt }} }}
    clientSecret customerId ephemeralKey errors {{ code message field }} }} }}"""
SUBSCRIPTION = f"""query($id: ID!) {{ subscription(id: $id) {{ {NODE}
  discount {{ code percentOff amountOff {{ amount currency }} endsAt }} }} }}"""
CANCEL_KEEPING = f"""mutation($input: CancelSubscriptionInput!) {{
  cancelSubscription(input: $input) {{ subscription {{ cancelAtPeriodEnd {DISCOUNT} }}
    errors {{ code message field }} }} }}"""
SESSION = f"""query($id: ID!) {{ checkoutSession(id: $id) {{
  id status interval url expiresAt plan {{ id }} subscription {{ {NODE} }} }} }}"""


async def create(api: LiveServer, user: str, key: str = "k1", **fields: Any) -> dict:
    variables = {"input": {"planId": "premium", "idempotencyKey": key, **fields}}
    body = await api.gql(CREATE, variables, headers=bearer(user))
    assert "errors" not in body, body
    result: dict = body["data"]["createSubscription"]
    return result


def intent_of(secret: str) -> str:
    return secret.split("_secret_")[0]


async def confirm(sandbox: SandboxProcess, secret: str, card: str) -> None:
    """What the app does with the client secret: confirm the first payment."""
    await sandbox.helper_async(f"payment_intents/{intent_of(secret)}/confirm", payment_method=card)


async def status_of(api: LiveServer, user: str, subscription_id: str, **headers: str) -> Any:
    body = await api.gql(SUBSCRIPTION, {"id": subscription_id}, headers=headers or bearer(user))
    assert "errors" not in body, body
    return body["data"]["subscription"]


# --------------------------------------------------------- createSubscription


async def sell_a_trial(api: LiveServer, sandbox: SandboxProcess, tmp_path: Path) -> None:
    """The seed plans plus ``studio``, $19.99 a month after a 14-day trial."""
    plans_file = tmp_path / "plans.toml"
    plans_file.write_text(
        (ROOT / "billing" / "default_catalog.toml").read_text()
        + '\n[plans.studio]\nname = "Studio"\nmonthly = 1999\ntrial_days = 14\n'
    )
    await sync_catalog(load_catalog(plans_file), StripeGateway(api.settings))
    await sandbox.drain_async()


async def test_a_good_card_confirmed_in_the_app_makes_it_active(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop, "user-m", mobileApiVersion="2020-08-27")
    assert created["errors"] == []
    sub = created["subscription"]
    assert sub["status"] == "INCOMPLETE"
    assert sub["plan"]["id"] == "premium"
    assert created["customerId"].startswith("cus_")
    assert created["ephemeralKey"].startswith("ek_test_")
    secret = created["clientSecret"]
    assert secret.startswith("pi_") and "_secret_" in secret
    sent = await stripe_get(sandbox, f"/v1/subscriptions/{sub['stripeSubscriptionId']}")
    assert sent["metadata"] == {"user_id": "user-m"}
    assert sent["customer"] == created["customerId"]
    assert sent["payment_settings"]["save_default_payment_method"] == "on_subscription"

    await confirm(sandbox, secret, "pm_card_visa")
    await sandbox.drain_async()
    assert (await status_of(shop, "user-m", sub["id"]))["status"] == "ACTIVE"
    # The same key again: the same subscription, nothing new in Stripe, nothing left to pay.
    again = await create(shop, "user-m")
    assert again["errors"] == []
    assert again["subscription"]["id"] == sub["id"]
    assert again["clientSecret"] is None
    assert again["ephemeralKey"] is None
    listed_in_stripe = await stripe_get(sandbox, "/v1/subscriptions", status="all")
    assert [s["id"] for s in listed_in_stripe["data"]] == [sub["stripeSubscriptionId"]]
    # Another key, now that the user subscribed: refused, and nothing is created.
    other = await create(shop, "user-m", "k2")
    assert codes(other) == [("ALREADY_SUBSCRIBED", None)]
    conflict = await create(shop, "user-m", interval="YEAR")
    assert codes(conflict) == [("IDEMPOTENCY_CONFLICT", "idempotencyKey")]


async def test_racing_requests_with_one_key_make_one_subscription(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    first, second = await asyncio.gather(*(create(shop, "user-r", "race") for _ in range(2)))
    assert first["errors"] == second["errors"] == []
    assert first["subscription"]["id"] == second["subscription"]["id"]
    assert intent_of(first["clientSecret"]) == intent_of(second["clientSecret"])
    assert len((await stripe_get(sandbox, "/v1/subscriptions", status="all"))["data"]) == 1
    await sandbox.drain_async()
    (row,) = await Subscription.filter(user_id="user-r")
    assert row.idempotency_key == "race"


async def test_a_3d_secure_card_activates_after_authentication(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop, "user-3ds")
    sub = created["subscription"]
    await confirm(sandbox, created["clientSecret"], "pm_card_threeDSecure2Required")
    await sandbox.drain_async()
    assert (await status_of(shop, "user-3ds", sub["id"]))["status"] == "INCOMPLETE"
    await sandbox.helper_async(f"payment_intents/{intent_of(created['clientSecret'])}/authenticate")
    await sandbox.drain_async()
    assert (await status_of(shop, "user-3ds", sub["id"]))["status"] == "ACTIVE"


async def test_a_declined_card_stays_incomplete_then_expires(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop, "user-d")
    sub = created["subscription"]
    with pytest.raises(SandboxError):
        await confirm(sandbox, created["clientSecret"], "pm_card_chargeCustomerFail")
    await sandbox.drain_async()
    assert (await status_of(shop, "user-d", sub["id"]))["status"] == "INCOMPLETE"
    # 23 hours pass without a payment: Stripe ends it, and the user may start again.
    await sandbox.helper_async(f"subscriptions/{sub['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    ended = await status_of(shop, "user-d", sub["id"])
    assert ended["status"] == "INCOMPLETE_EXPIRED"
    assert ended["endedAt"] is not None
    retry = await create(shop, "user-d", "k2")
    assert retry["errors"] == []
    assert retry["subscription"]["id"] != sub["id"]


async def test_a_trial_returns_a_setup_intent_to_save_a_card(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    await sell_a_trial(shop, sandbox, tmp_path)
    created = await create(shop, "user-t", planId="studio")
    assert created["errors"] == []
    sub = created["subscription"]
    assert sub["status"] == "TRIALING"
    assert sub["trialEnd"] is not None
    assert created["clientSecret"].startswith("seti_")
    sent = await stripe_get(sandbox, f"/v1/subscriptions/{sub['stripeSubscriptionId']}")
    assert sent["pending_setup_intent"] == intent_of(created["clientSecret"])


@pytest.mark.parametrize(
    ("card", "last4"), [("pm_card_visa", "4242"), ("pm_card_threeDSecure2Required", "3220")]
)
async def test_a_trials_setup_intent_saves_the_card_like_any_other(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path, card: str, last4: str
) -> None:
    """The trial's SetupIntent is the sandbox's one SetupIntent: confirmed with the
    client secret, a 3-D Secure card waits for authentication, and the card ends up
    attached to the customer and listed (payment_method.attached)."""
    await sell_a_trial(shop, sandbox, tmp_path)
    created = await create(shop, "user-t", planId="studio")
    intent = intent_of(created["clientSecret"])
    sent = await stripe_get(sandbox, f"/v1/setup_intents/{intent}")
    assert (sent["status"], sent["usage"]) == ("requires_payment_method", "off_session")
    assert sent["customer"] == created["customerId"]

    confirmed = await sandbox.helper_async(f"setup_intents/{intent}/confirm", payment_method=card)
    if card == "pm_card_threeDSecure2Required":
        assert confirmed["status"] == "requires_action"
        assert confirmed["next_action"]["type"] == "use_stripe_sdk"
        await sandbox.drain_async()
        assert await listed_methods(shop, "user-t") == []
        confirmed = await sandbox.helper_async(f"setup_intents/{intent}/authenticate")
    assert confirmed["status"] == "succeeded"
    await sandbox.drain_async()
    attached = await stripe_get(sandbox, f"/v1/payment_methods/{confirmed['payment_method']}")
    assert attached["customer"] == created["customerId"]
    assert [m["last4"] for m in await listed_methods(shop, "user-t")] == [last4]


@pytest.mark.parametrize(
    ("card", "status", "paid"),
    [
        ("pm_card_visa", "ACTIVE", "SUCCEEDED"),
        # 3-D Secure when saved, then charged without the customer: Stripe's
        # "authenticate unless set up" card pays, its "always authenticate" one can't.
        ("pm_card_authenticationRequiredOnSetup", "ACTIVE", "SUCCEEDED"),
        ("pm_card_authenticationRequired", "PAST_DUE", "FAILED"),
    ],
)
async def test_a_trials_saved_card_pays_at_its_end(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path, card: str, status: str, paid: str
) -> None:
    """The card saved through the trial's SetupIntent becomes the subscription's default
    (``save_default_payment_method=on_subscription``), so the invoice at the trial's end
    is charged to it: ACTIVE, the payment listed, nothing past due."""
    await sell_a_trial(shop, sandbox, tmp_path)
    created = await create(shop, "user-t", planId="studio")
    sub = created["subscription"]
    stripe_id = sub["stripeSubscriptionId"]
    sent = await stripe_get(sandbox, f"/v1/subscriptions/{stripe_id}")
    assert sent["payment_settings"]["save_default_payment_method"] == "on_subscription"
    assert sent["default_payment_method"] is None
    intent = intent_of(created["clientSecret"])
    confirmed = await sandbox.helper_async(f"setup_intents/{intent}/confirm", payment_method=card)
    if confirmed["status"] == "requires_action":
        confirmed = await sandbox.helper_async(f"setup_intents/{intent}/authenticate")
    await sandbox.drain_async()
    saved = await stripe_get(sandbox, f"/v1/subscriptions/{stripe_id}")
    assert saved["default_payment_method"] == confirmed["payment_method"]
    assert (await status_of(shop, "user-t", sub["id"]))["status"] == "TRIALING"

    await sandbox.helper_async(f"subscriptions/{stripe_id}/advance")  # the trial ends
    await sandbox.drain_async()
    assert (await status_of(shop, "user-t", sub["id"]))["status"] == status
    body = await shop.gql(PAYMENTS, {}, headers=bearer("user-t"))
    nodes = [edge["node"] for edge in body["data"]["payments"]["edges"]]
    assert [(n["purpose"], n["status"], n["amount"]["amount"]) for n in nodes] == [
        ("SUBSCRIPTION", paid, 1999)
    ]
    assert nodes[0]["subscription"]["stripeSubscriptionId"] == stripe_id


async def listed_methods(api: LiveServer, user: str) -> list[dict]:
    body = await api.gql("{ paymentMethods { last4 } }", {}, headers=bearer(user))
    assert "errors" not in body, body
    methods: list[dict] = body["data"]["paymentMethods"]
    return methods


async def saved_card(sandbox: SandboxProcess, customer: str, card: str = "pm_card_visa") -> str:
    method = await stripe_post(sandbox, f"/v1/payment_methods/{card}/attach", customer=customer)
    return str(method["id"])


async def customer_of(api: LiveServer, user: str) -> str:
    """The user's Stripe customer (as a first payment or setup would make it)."""
    customer = await ensure_customer(Caller(user_id=user), StripeGateway(api.settings))
    return customer.stripe_customer_id


async def test_a_saved_card_is_charged_at_once_and_must_be_the_callers(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    mine = await saved_card(sandbox, await customer_of(shop, "user-s"))
    theirs = await saved_card(sandbox, await customer_of(shop, "user-other"))
    for foreign in (theirs, "pm_nonexistent", "x" * 300):
        refused = await create(shop, "user-s", f"k-{len(foreign)}", paymentMethodId=foreign)
        assert codes(refused) == [("NOT_FOUND", "paymentMethodId")]
    assert (await stripe_get(sandbox, "/v1/subscriptions", status="all"))["data"] == []

    created = await create(shop, "user-s", paymentMethodId=mine)
    assert created["errors"] == []
    assert created["subscription"]["status"] == "ACTIVE"
    assert created["clientSecret"] is None
    sent = await stripe_get(
        sandbox, f"/v1/subscriptions/{created['subscription']['stripeSubscriptionId']}"
    )
    assert sent["default_payment_method"] == mine


async def test_a_declined_saved_card_leaves_no_subscription(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    card = await saved_card(
        sandbox, await customer_of(shop, "user-x"), "pm_card_chargeCustomerFail"
    )
    declined = await create(shop, "user-x", paymentMethodId=card)
    assert codes(declined) == [("CARD_DECLINED", "paymentMethodId")]
    (sub,) = (await stripe_get(sandbox, "/v1/subscriptions", status="all"))["data"]
    assert sub["status"] in ("canceled", "incomplete_expired")
    again = await create(shop, "user-x", paymentMethodId=card)
    assert codes(again) == [("CARD_DECLINED", "paymentMethodId")]
    await sandbox.drain_async()
    assert [row.status.value for row in await Subscription.filter(user_id="user-x")] in (
        [],
        ["canceled"],
    )


async def test_an_open_checkout_is_expired_and_a_paid_one_refuses(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    session = await checkout(shop, "user-c")
    created = await create(shop, "user-c")
    assert created["errors"] == []
    state = await stripe_get(sandbox, f"/v1/checkout/sessions/{session['sessionId']}")
    assert state["status"] == "expired"
    looked_up = await shop.gql(SESSION, {"id": session["sessionId"]}, headers=bearer("user-c"))
    assert looked_up["data"]["checkoutSession"]["status"] == "EXPIRED"
    assert looked_up["data"]["checkoutSession"]["url"] is None
    with pytest.raises(SandboxError):
        await sandbox.helper_async(f"checkout/sessions/{session['sessionId']}/complete")

    # A checkout paid before its webhook arrived: the user is subscribed.
    paid = await checkout(shop, "user-p")
    await sandbox.helper_async(f"checkout/sessions/{paid['sessionId']}/complete")
    refused = await create(shop, "user-p")
    assert codes(refused) == [("ALREADY_SUBSCRIBED", None)]
    await sandbox.drain_async()
    subs = (await stripe_get(sandbox, "/v1/subscriptions", status="all"))["data"]
    assert sorted(s["metadata"]["user_id"] for s in subs) == ["user-c", "user-p"]


# ------------------------------------------------------------------ lookups


async def test_lookups_show_only_the_callers_objects_and_admins_all(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    session = await checkout(shop, "user-a")
    open_ = await shop.gql(SESSION, {"id": session["sessionId"]}, headers=bearer("user-a"))
    found = open_["data"]["checkoutSession"]
    assert found["status"] == "OPEN"
    assert found["plan"] == {"id": "premium"}
    assert found["interval"] == "MONTH"
    assert found["url"] == session["url"]
    assert found["subscription"] is None

    # Back from paying, before any webhook: Stripe says it is complete.
    await sandbox.helper_async(f"checkout/sessions/{session['sessionId']}/complete")
    back = await shop.gql(SESSION, {"id": session["sessionId"]}, headers=bearer("user-a"))
    assert back["data"]["checkoutSession"]["status"] == "COMPLETE"
    assert back["data"]["checkoutSession"]["url"] is None
    await sandbox.drain_async()
    done = await shop.gql(SESSION, {"id": session["sessionId"]}, headers=bearer("user-a"))
    sub = done["data"]["checkoutSession"]["subscription"]
    assert sub["status"] == "ACTIVE"
    assert [node["id"] for node in await listed(shop, "user-a")] == [sub["id"]]

    for query, id_ in ((SESSION, session["sessionId"]), (SUBSCRIPTION, sub["id"])):
        name = "checkoutSession" if query is SESSION else "subscription"
        other = await shop.gql(query, {"id": id_}, headers=bearer("user-b"))
        assert other == {"data": {name: None}}
        admin = await shop.gql(query, {"id": id_}, headers=bearer(ADMIN[0], roles=ADMIN[1]))
        assert admin["data"][name]["id"] == id_
    for unknown in ("cs_test_nope", "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        for query, name in ((SESSION, "checkoutSession"), (SUBSCRIPTION, "subscription")):
            assert await shop.gql(query, {"id": unknown}, headers=bearer("user-a")) == {
                "data": {name: None}
            }


# --------------------------------------------------------- promotion codes


async def test_a_checkout_with_a_promotion_code_mirrors_the_discount(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await stripe_post(sandbox, "/v1/coupons", id="launch", percent_off="20", duration="repeating",
                      duration_in_months="3")  # fmt: skip
    await stripe_post(sandbox, "/v1/promotion_codes", code="LAUNCH20",
                      **{"promotion[type]": "coupon", "promotion[coupon]": "launch"})  # fmt: skip
    session = await checkout(shop, "user-promo")
    sent = await stripe_get(sandbox, f"/v1/checkout/sessions/{session['sessionId']}")
    assert sent["allow_promotion_codes"] is True
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", promotion_code="LAUNCH20"
    )
    await sandbox.drain_async()
    (node,) = await listed(shop, "user-promo")
    sub = await status_of(shop, "user-promo", node["id"])
    discount = sub["discount"]
    assert discount["code"] == "LAUNCH20"
    assert discount["percentOff"] == 20.0
    assert discount["amountOff"] is None
    assert discount["endsAt"] is not None
    invoices = await stripe_get(sandbox, "/v1/invoices", subscription=sub["stripeSubscriptionId"])
    (invoice,) = invoices["data"]
    assert (invoice["subtotal"], invoice["total"]) == (999, 799)  # 20% of 9.99, rounded
    # What revenue figures read: the payment recorded is what was charged.
    assert [p.amount for p in await Payment.filter(user_id="user-promo")] == [799]


async def test_an_amount_off_code_is_mirrored_and_kept_through_a_cancellation(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await stripe_post(sandbox, "/v1/coupons", id="welcome", amount_off="300", currency="usd",
                      duration="once")  # fmt: skip
    await stripe_post(sandbox, "/v1/promotion_codes", code="WELCOME3",
                      **{"promotion[type]": "coupon", "promotion[coupon]": "welcome"})  # fmt: skip
    session = await checkout(shop, "user-off")
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", promotion_code="WELCOME3"
    )
    await sandbox.drain_async()
    (node,) = await listed(shop, "user-off")
    expected = {"code": "WELCOME3", "percentOff": None, "amountOff": {"amount": 300,
                "currency": "usd"}, "endsAt": None}  # fmt: skip
    assert (await status_of(shop, "user-off", node["id"]))["discount"] == expected
    # Stripe's answer to our cancel names the discount by id only: the row written from
    # it (the payload, before any webhook) keeps the discount.
    variables = {"input": {"subscriptionId": node["id"], "atPeriodEnd": True}}
    canceled = await shop.gql(CANCEL_KEEPING, variables, headers=bearer("user-off"))
    answer = canceled["data"]["cancelSubscription"]
    assert answer["errors"] == []
    assert answer["subscription"]["cancelAtPeriodEnd"] is True
    assert answer["subscription"]["discount"] == expected
    await sandbox.drain_async()
    assert (await status_of(shop, "user-off", node["id"]))["discount"] == expected
    assert [p.amount for p in await Payment.filter(user_id="user-off")] == [699]


# ------------------------------------------------------- app-scheme returns


async def test_app_scheme_return_urls_only_when_configured(
    db: str, sandbox: SandboxProcess
) -> None:
    plain = await start_server(make_settings(sandbox))
    apps = await start_server(
        make_settings(sandbox, allowed_redirect_schemes="myapp,com.example.app")
    )
    try:
        await sync_catalog(load_catalog(None), StripeGateway(plain.settings))
        urls = {"successUrl": "myapp://billing/done", "cancelUrl": "com.example.app://pricing"}
        refused = await checkout(plain, "user-a", **urls)
        assert codes(refused) == [("INVALID_INPUT", "successUrl")]
        assert "ALLOWED_REDIRECT_SCHEMES" in refused["errors"][0]["message"]
        accepted = await checkout(apps, "user-a", **urls)
        assert accepted["errors"] == []
        sent = await stripe_get(sandbox, f"/v1/checkout/sessions/{accepted['sessionId']}")
        assert (sent["success_url"], sent["cancel_url"]) == tuple(urls.values())
        for bad in ("otherapp://x", "javascript:alert(1)", "MYAPP:\\\\evil"):
            result = await checkout(apps, "user-b", successUrl=bad, cancelUrl=CANCEL_URL)
            assert codes(result) == [("INVALID_INPUT", "successUrl")], bad
        assert (await checkout(apps, "user-b", successUrl=OK_URL, cancelUrl=CANCEL_URL))[
            "errors"
        ] == []
    finally:
        await plain.stop()
        await apps.stop()


@pytest.mark.parametrize("value", ["https", "javascript", "my app", "1app", "data"])
def test_web_schemes_are_not_app_schemes(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, allowed_redirect_schemes=f"myapp,{value}")
    assert caught.value.variable == "ALLOWED_REDIRECT_SCHEMES"
