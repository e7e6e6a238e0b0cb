"""Plan changes over GraphQL with the sandbox's signed webhooks: the preview is what
changePlan charges (to the cent), a declined upgrade changes nothing, downgrades wait
for the renewal (or are called off), month -> year, the free plan, resume, and one
client key making one change when two calls race."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from models.events import OutboxEvent
from models.payments import Payment
from models.plan_changes import PlanChange
from models.subscriptions import Subscription
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer
from tests.test_subscriptions import checkout, listed, parse, stripe_get, stripe_post, subscribe
from tests.test_usage import limits, track

USER = "user-plans"
ERRORS = "errors { code message field }"
SUBSCRIPTION = """subscription { id status plan { id } price { interval price { amount } }
  currentPeriodStart currentPeriodEnd cancelAtPeriodEnd
  scheduledChange { plan { id } interval effectiveAt } }"""
PREVIEW = f"""query($input: ChangePlanInput!) {{ planChangePreview(input: $input) {{
  preview {{ immediate effectiveAt amountDueNow {{ amount currency }}
    nextInvoiceAmount {{ amount }} nextInvoiceAt
    lines {{ description amount {{ amount }} proration }} }}
  {ERRORS} }} }}"""
CHANGE = f"""mutation($input: ChangePlanInput!) {{ changePlan(input: $input) {{
  {SUBSCRIPTION} payment {{ id amount {{ amount currency }} status }} {ERRORS} }} }}"""
CANCEL_SCHEDULED = f"""mutation($input: SubscriptionIdInput!) {{
  cancelScheduledChange(input: $input) {{ {SUBSCRIPTION} {ERRORS} }} }}"""
RESUME = f"""mutation($input: SubscriptionIdInput!) {{
  resumeSubscription(input: $input) {{ {SUBSCRIPTION} {ERRORS} }} }}"""
CANCEL = f"""mutation($input: CancelSubscriptionInput!) {{
  cancelSubscription(input: $input) {{ {SUBSCRIPTION} {ERRORS} }} }}"""

# Every upgrade's preview and charge, for the closing note (printed with -s).
FIGURES: list[tuple[str, int, int]] = []


async def call(api: LiveServer, query: str, name: str, user: str = USER, **fields: Any) -> dict:
    body = await api.gql(query, {"input": fields}, bearer(user))
    assert "errors" not in body, body
    result: dict = body["data"][name]
    return result


async def preview(api: LiveServer, subscription_id: str, plan: str, **fields: Any) -> dict:
    return await call(
        api, PREVIEW, "planChangePreview", subscriptionId=subscription_id, planId=plan, **fields
    )


async def change(api: LiveServer, subscription_id: str, plan: str, **fields: Any) -> dict:
    return await call(
        api, CHANGE, "changePlan", subscriptionId=subscription_id, planId=plan, **fields
    )


async def mid_period(api: LiveServer, sandbox: SandboxProcess, node: dict) -> dict:
    """As if subscribed 11 days, 10 hours and 20 minutes ago (odd seconds: the
    prorations come out in uneven cents)."""
    await sandbox.helper_async(
        f"subscriptions/{node['stripeSubscriptionId']}/backdate", seconds=987_654
    )
    await sandbox.drain_async()
    (moved,) = await listed(api, USER)
    assert parse(moved["currentPeriodStart"]) < parse(node["currentPeriodStart"])
    return moved


async def subscribe_with_code(
    api: LiveServer, sandbox: SandboxProcess, plan: str, percent_off: int
) -> dict:
    """Check out with a promotion code for a repeating percentage off: Stripe's
    invoices are then not the catalog's prices."""
    coupon = f"off{percent_off}"
    await stripe_post(sandbox, "/v1/coupons", id=coupon, percent_off=str(percent_off),
                      duration="repeating", duration_in_months="6")  # fmt: skip
    await stripe_post(sandbox, "/v1/promotion_codes", code=coupon.upper(),
                      **{"promotion[type]": "coupon", "promotion[coupon]": coupon})  # fmt: skip
    session = await checkout(api, USER, plan)
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete",
        payment_method="pm_card_visa",
        promotion_code=coupon.upper(),
    )
    await sandbox.drain_async()
    (node,) = await listed(api, USER)
    return node


async def renewal_invoice(sandbox: SandboxProcess, node: dict) -> dict:
    """Advance the subscription to its next period: the invoice Stripe billed then."""
    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    invoice: dict = await stripe_get(sandbox, f"/v1/invoices/{state['latest_invoice']}")
    return invoice


async def updates(subscription_id: str) -> list[dict]:
    """The subscription.updated domain events of a subscription, oldest first."""
    rows = await OutboxEvent.filter(type="subscription.updated").order_by("occurred_at")
    return [row.payload for row in rows if row.payload["id"] == subscription_id]


def codes(result: dict) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in result["errors"]]


async def upgraded_and_charged(
    api: LiveServer, sandbox: SandboxProcess, node: dict, plan: str, label: str, **fields: Any
) -> dict:
    """Preview, change, and check the acceptance rule: charged == previewed, to the cent."""
    shown = await preview(api, node["id"], plan, **fields)
    assert shown["errors"] == [] and shown["preview"]["immediate"] is True
    amount = shown["preview"]["amountDueNow"]["amount"]
    changed = await change(api, node["id"], plan, **fields)
    assert changed["errors"] == [], changed
    assert changed["payment"]["status"] == "SUCCEEDED"
    assert changed["payment"]["amount"] == shown["preview"]["amountDueNow"]
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    invoice = await stripe_get(sandbox, f"/v1/invoices/{state['latest_invoice']}")
    assert invoice["amount_paid"] == amount
    FIGURES.append((label, amount, invoice["amount_paid"]))
    print(f"{label}: previewed {amount}, charged {invoice['amount_paid']}")
    return changed


async def test_upgrade_mid_period_charges_the_preview_and_raises_limits_at_once(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await mid_period(shop, sandbox, await subscribe(shop, sandbox, USER))
    await track(shop, quantity=80, user=USER)
    assert codes(await track(shop, quantity=30, user=USER)) == [("LIMIT_EXCEEDED", "quantity")]

    shown = (await preview(shop, node["id"], "pro"))["preview"]
    credit, charge = shown["lines"]
    assert credit["proration"] and charge["proration"]
    assert credit["amount"]["amount"] < 0 < charge["amount"]["amount"]
    assert (
        shown["amountDueNow"]["amount"] == credit["amount"]["amount"] + charge["amount"]["amount"]
    )
    assert 0 < shown["amountDueNow"]["amount"] <= 2999 - 999
    assert (shown["nextInvoiceAmount"]["amount"], parse(shown["nextInvoiceAt"])) == (
        2999,
        parse(node["currentPeriodEnd"]),
    )

    changed = await upgraded_and_charged(shop, sandbox, node, "pro", "premium -> pro")
    subscription = changed["subscription"]
    assert subscription["plan"]["id"] == "pro" and subscription["status"] == "ACTIVE"
    assert subscription["currentPeriodEnd"] == node["currentPeriodEnd"]  # same period
    # The new limit at once (before any webhook), the usage so far carried over.
    images = (await limits(shop, USER))["images"]
    assert (images["used"], images["limit"]) == (80, 1000)
    assert (await track(shop, quantity=30, user=USER))["usage"]["used"] == 110
    assert {"plan", "price"} <= set((await updates(node["id"]))[-1]["changed"])

    await sandbox.drain_async()
    (confirmed,) = await listed(shop, USER)
    assert confirmed["plan"]["id"] == "pro"
    assert await Payment.filter(user_id=USER).count() == 2  # first invoice + proration


async def decline_upgrades(sandbox: SandboxProcess, node: dict) -> None:
    """From now on the subscription's card is refused when charged."""
    sub_id = node["stripeSubscriptionId"]
    customer = (await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}"))["customer"]
    failing = await stripe_post(
        sandbox, "/v1/payment_methods/pm_card_chargeCustomerFail/attach", customer=customer
    )
    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", default_payment_method=failing["id"])
    await sandbox.drain_async()


async def visible(api: LiveServer, sandbox: SandboxProcess, node: dict) -> dict:
    """Everything a declined upgrade must leave as it was: the subscription over
    GraphQL, its limits, Stripe's subscription, invoices and events (what webhooks
    would carry), and our domain events."""
    sub_id = node["stripeSubscriptionId"]
    state = await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}")
    body = await api.gql(
        f"{{ subscriptions {{ edges {{ node {SUBSCRIPTION.removeprefix('subscription ')} }} }} }}",
        {},
        bearer(USER),
    )
    return {
        "graphql": body["data"]["subscriptions"]["edges"],
        "limit": (await limits(api, USER))["images"]["limit"],
        "stripe": (state["items"]["data"][0]["price"]["id"], state["status"], state["schedule"]),
        "invoices": await stripe_get(sandbox, "/v1/invoices", subscription=sub_id),
        "events": [e["id"] for e in (await stripe_get(sandbox, "/v1/events", limit=100))["data"]],
        "outbox": await OutboxEvent.all().count(),
        "plan_changes": await PlanChange.all().count(),
    }


async def test_a_declined_upgrade_changes_nothing(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    await decline_upgrades(sandbox, node)
    before = await visible(shop, sandbox, node)

    refused = await change(shop, node["id"], "pro")
    assert refused["subscription"] is None and refused["payment"] is None
    assert [e["code"] for e in refused["errors"]] == ["CARD_DECLINED"]
    await sandbox.drain_async()
    after = await visible(shop, sandbox, node)
    assert after == before
    assert after["limit"] == 100 and after["graphql"][0]["node"]["plan"]["id"] == "premium"


async def test_a_declined_upgrade_keeps_a_scheduled_downgrade(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """The downgrade an upgrade would replace stays scheduled when the upgrade's charge
    is refused: no release, no event, nothing to put back."""
    node = await subscribe(shop, sandbox, USER, "pro")
    assert (await change(shop, node["id"], "premium"))["errors"] == []
    await decline_upgrades(sandbox, node)
    before = await visible(shop, sandbox, node)
    assert before["graphql"][0]["node"]["scheduledChange"]["plan"]["id"] == "premium"

    refused = await change(shop, node["id"], "enterprise")
    assert [e["code"] for e in refused["errors"]] == ["CARD_DECLINED"]
    await sandbox.drain_async()
    assert await visible(shop, sandbox, node) == before

    await renewal_invoice(sandbox, node)  # the downgrade still happens at the renewal
    (renewed,) = await listed(shop, USER)
    assert renewed["plan"]["id"] == "premium"


async def test_month_to_year_is_an_upgrade_that_starts_a_yearly_period(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await mid_period(shop, sandbox, await subscribe(shop, sandbox, USER))
    changed = await upgraded_and_charged(
        shop, sandbox, node, "premium", "premium monthly -> yearly", interval="YEAR"
    )
    subscription = changed["subscription"]
    assert subscription["price"] == {"interval": "YEAR", "price": {"amount": 9990}}
    start, end = parse(subscription["currentPeriodStart"]), parse(subscription["currentPeriodEnd"])
    assert 365 <= (end - start).days <= 366
    # Monthly allowances still: this month's slice of the new year.
    images = (await limits(shop, USER))["images"]
    assert (
        parse(images["periodStart"]) == start
        and 28 <= (parse(images["resetsAt"]) - start).days <= 31
    )


async def test_a_downgrade_waits_for_the_renewal(shop: LiveServer, sandbox: SandboxProcess) -> None:
    node = await subscribe(shop, sandbox, USER, "pro")
    await track(shop, quantity=150, user=USER)
    shown = (await preview(shop, node["id"], "premium"))["preview"]
    assert shown["immediate"] is False and shown["amountDueNow"]["amount"] == 0
    assert parse(shown["effectiveAt"]) == parse(node["currentPeriodEnd"])
    assert shown["nextInvoiceAmount"]["amount"] == 999

    changed = await change(shop, node["id"], "premium")
    assert changed["errors"] == [] and changed["payment"] is None
    subscription = changed["subscription"]
    assert subscription["plan"]["id"] == "pro"  # until the period ends
    assert subscription["scheduledChange"]["plan"]["id"] == "premium"
    assert parse(subscription["scheduledChange"]["effectiveAt"]) == parse(node["currentPeriodEnd"])
    assert (await limits(shop, USER))["images"]["limit"] == 1000
    assert (await updates(node["id"]))[-1]["changed"] == ["scheduledChange"]
    await sandbox.drain_async()
    (confirmed,) = await listed(shop, USER)
    assert confirmed["plan"]["id"] == "pro"

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    node_fields = SUBSCRIPTION.removeprefix("subscription ")
    body = await shop.gql(
        f"{{ subscriptions {{ edges {{ node {node_fields} }} }} }}", {}, bearer(USER)
    )
    (renewed,) = [edge["node"] for edge in body["data"]["subscriptions"]["edges"]]
    assert renewed["plan"]["id"] == "premium" and renewed["scheduledChange"] is None
    assert renewed["price"] == {"interval": "MONTH", "price": {"amount": 999}}
    images = (await limits(shop, USER))["images"]
    assert (images["used"], images["limit"]) == (0, 100)  # a new period on the new plan
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    invoice = await stripe_get(sandbox, f"/v1/invoices/{state['latest_invoice']}")
    assert invoice["amount_paid"] == 999


async def test_a_scheduled_downgrade_can_be_called_off(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER, "pro")
    assert (await change(shop, node["id"], "premium"))["errors"] == []
    kept = await call(shop, CANCEL_SCHEDULED, "cancelScheduledChange", subscriptionId=node["id"])
    assert kept["errors"] == [] and kept["subscription"]["scheduledChange"] is None
    again = await call(shop, CANCEL_SCHEDULED, "cancelScheduledChange", subscriptionId=node["id"])
    assert codes(again) == [("INVALID_INPUT", "subscriptionId")]

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    (renewed,) = await listed(shop, USER)
    assert renewed["plan"]["id"] == "pro"
    assert (await limits(shop, USER))["images"]["limit"] == 1000


async def test_the_free_plan_cancels_at_the_period_end_and_resume_undoes_it(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    shown = (await preview(shop, node["id"], "free"))["preview"]
    assert (shown["immediate"], shown["amountDueNow"]["amount"]) == (False, 0)
    changed = await change(shop, node["id"], "free")
    assert changed["errors"] == [] and changed["subscription"]["cancelAtPeriodEnd"] is True
    assert codes(await change(shop, node["id"], "pro")) == [("INVALID_INPUT", "subscriptionId")]

    resumed = await call(shop, RESUME, "resumeSubscription", subscriptionId=node["id"])
    assert resumed["errors"] == [] and resumed["subscription"]["cancelAtPeriodEnd"] is False
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    assert state["cancel_at_period_end"] is False
    again = await call(shop, RESUME, "resumeSubscription", subscriptionId=node["id"])
    assert codes(again) == [("INVALID_INPUT", "subscriptionId")]

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    (renewed,) = await listed(shop, USER)
    assert renewed["status"] == "ACTIVE" and renewed["plan"]["id"] == "premium"


async def test_resume_after_the_period_ended_is_refused(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    canceled = await call(
        shop, CANCEL, "cancelSubscription", subscriptionId=node["id"], atPeriodEnd=True
    )
    assert canceled["errors"] == []
    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    refused = await call(shop, RESUME, "resumeSubscription", subscriptionId=node["id"])
    assert codes(refused) == [("INVALID_INPUT", "subscriptionId")]
    assert refused["subscription"] is None


async def test_two_racing_changes_with_one_key_make_one_change(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER)
    first, second = await asyncio.gather(
        change(shop, node["id"], "pro", idempotencyKey="up-1"),
        change(shop, node["id"], "pro", idempotencyKey="up-1"),
    )
    assert first["errors"] == [] and second["errors"] == []
    assert first["payment"]["id"] == second["payment"]["id"]
    invoices = await stripe_get(sandbox, "/v1/invoices", subscription=node["stripeSubscriptionId"])
    assert len(invoices["data"]) == 2  # the first one and one proration invoice
    assert await PlanChange.filter(user_id=USER).count() == 1
    replay = await change(shop, node["id"], "pro", idempotencyKey="up-1")
    assert replay["payment"]["id"] == first["payment"]["id"]
    conflict = await change(shop, node["id"], "enterprise", idempotencyKey="up-1")
    assert codes(conflict) == [("IDEMPOTENCY_CONFLICT", "idempotencyKey")]


async def test_refusals(shop: LiveServer, sandbox: SandboxProcess) -> None:
    node = await subscribe(shop, sandbox, USER)
    assert codes(await change(shop, node["id"], "premium")) == [("INVALID_INPUT", "planId")]
    assert codes(await change(shop, node["id"], "nope")) == [("NOT_FOUND", "planId")]
    assert codes(await change(shop, node["id"], "enterprise", interval="YEAR")) == [
        ("INVALID_INPUT", "interval")
    ]
    other = await call(
        shop, CHANGE, "changePlan", "someone-else", subscriptionId=node["id"], planId="pro"
    )
    assert [e["code"] for e in other["errors"]] in (["NOT_FOUND"], ["FORBIDDEN"])
    assert (await listed(shop, USER))[0]["plan"]["id"] == "premium"


async def test_a_change_scheduled_in_stripe_shows_from_its_webhook(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """A schedule made outside billgraph (dashboard, API) arrives as subscription_schedule.*."""
    node = await subscribe(shop, sandbox, USER, "pro")
    schedule = await stripe_post(
        sandbox, "/v1/subscription_schedules", from_subscription=node["stripeSubscriptionId"]
    )
    phase = schedule["phases"][0]
    premium = await stripe_get(sandbox, "/v1/prices", lookup_keys=["billgraph_premium_month"])
    await stripe_post(
        sandbox,
        f"/v1/subscription_schedules/{schedule['id']}",
        **{
            "phases[0][items][0][price]": phase["items"][0]["price"],
            "phases[0][start_date]": phase["start_date"],
            "phases[0][end_date]": phase["end_date"],
            "phases[1][items][0][price]": premium["data"][0]["id"],
            "phases[1][duration][interval]": "month",
        },
    )
    await sandbox.drain_async()
    row = await Subscription.get(id=node["id"])
    assert row.scheduled_price_id == premium["data"][0]["id"]
    assert row.scheduled_at == parse(node["currentPeriodEnd"])

    await stripe_post(sandbox, f"/v1/subscription_schedules/{schedule['id']}/release")
    await sandbox.drain_async()
    row = await Subscription.get(id=node["id"])
    assert (row.scheduled_price_id, row.stripe_schedule_id) == (None, None)


async def test_change_plan_prorates_from_the_previews_moment_for_15_minutes(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """Stripe prorates to the second: changePlan passes the preview's proration date
    (Stripe's advice), so the charge is the previewed one even a while later."""
    node = await mid_period(shop, sandbox, await subscribe(shop, sandbox, USER))
    shown = (await preview(shop, node["id"], "pro"))["preview"]
    row = await Subscription.get(id=node["id"])
    assert row.quoted_proration_date == parse(shown["effectiveAt"])
    # As if the preview had been shown ten minutes ago: changePlan still uses its moment.
    earlier = row.quoted_proration_date - timedelta(minutes=10)
    await Subscription.filter(id=node["id"]).update(quoted_proration_date=earlier)
    changed = await change(shop, node["id"], "pro")
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    invoice = await stripe_get(sandbox, f"/v1/invoices/{state['latest_invoice']}")
    starts = {line["period"]["start"] for line in invoice["lines"]["data"]}
    assert starts == {int(earlier.timestamp())}
    assert changed["payment"]["amount"]["amount"] == invoice["amount_paid"]


async def test_a_stale_quote_is_not_used(shop: LiveServer, sandbox: SandboxProcess) -> None:
    node = await mid_period(shop, sandbox, await subscribe(shop, sandbox, USER))
    await preview(shop, node["id"], "pro")
    stale = datetime.now(UTC) - timedelta(minutes=16)
    await Subscription.filter(id=node["id"]).update(quoted_proration_date=stale)
    await change(shop, node["id"], "pro")
    state = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    invoice = await stripe_get(sandbox, f"/v1/invoices/{state['latest_invoice']}")
    (start,) = {line["period"]["start"] for line in invoice["lines"]["data"]}
    assert start > int(stale.timestamp()) + 15 * 60


async def test_an_upgrade_replaces_a_scheduled_downgrade(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, USER, "pro")
    assert (await change(shop, node["id"], "premium"))["errors"] == []
    upgraded = await change(shop, node["id"], "enterprise")
    assert upgraded["errors"] == [] and upgraded["payment"]["status"] == "SUCCEEDED"
    assert upgraded["subscription"]["plan"]["id"] == "enterprise"
    assert upgraded["subscription"]["scheduledChange"] is None
    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    (renewed,) = await listed(shop, USER)
    assert renewed["plan"]["id"] == "enterprise"


async def test_a_downgrades_preview_is_stripes_renewal_invoice(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """With 25% off, the renewal on premium is 7.49, not the catalog's 9.99: the preview
    says what Stripe will bill at the period end, line by line."""
    node = await subscribe_with_code(shop, sandbox, "pro", 25)
    shown = (await preview(shop, node["id"], "premium"))["preview"]
    assert (shown["immediate"], shown["amountDueNow"]["amount"]) == (False, 0)
    assert parse(shown["nextInvoiceAt"]) == parse(node["currentPeriodEnd"])
    (line,) = shown["lines"]
    assert (line["amount"]["amount"], line["proration"]) == (999, False)
    assert shown["nextInvoiceAmount"]["amount"] == 749

    assert (await change(shop, node["id"], "premium"))["errors"] == []
    invoice = await renewal_invoice(sandbox, node)
    assert invoice["amount_paid"] == shown["nextInvoiceAmount"]["amount"]
    FIGURES.append(("pro -> premium (25% off), at renewal", 749, invoice["amount_paid"]))
    print(f"downgrade: previewed {749} at renewal, charged {invoice['amount_paid']}")


async def test_an_upgrade_in_a_trial_charges_nothing_now_as_previewed(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """Stripe prorates nothing in a trial: the new price applies at once, nothing is
    invoiced (preview 0 == charged 0), and the trial's end bills what the preview said
    (Stripe's figure, with the discount; the catalog would say 29.99)."""
    plans_file = tmp_path / "plans.toml"
    plans_file.write_text(
        (Path(__file__).parent.parent / "billing" / "default_catalog.toml").read_text()
        + '\n[plans.studio]\nname = "Studio"\nmonthly = 1999\ntrial_days = 14\n'
    )
    await sync_catalog(load_catalog(plans_file), StripeGateway(shop.settings))
    await sandbox.drain_async()
    node = await subscribe_with_code(shop, sandbox, "studio", 10)
    assert node["status"] == "TRIALING"
    invoices_before = await stripe_get(
        sandbox, "/v1/invoices", subscription=node["stripeSubscriptionId"]
    )

    shown = (await preview(shop, node["id"], "pro"))["preview"]
    assert (shown["immediate"], shown["amountDueNow"]["amount"]) == (True, 0)
    assert shown["nextInvoiceAmount"]["amount"] == 2699  # 29.99 less 10%
    assert parse(shown["nextInvoiceAt"]) == parse(node["trialEnd"])
    changed = await change(shop, node["id"], "pro")
    assert changed["errors"] == [] and changed["payment"] is None
    assert changed["subscription"]["plan"]["id"] == "pro"
    after = await stripe_get(sandbox, "/v1/invoices", subscription=node["stripeSubscriptionId"])
    assert after["data"] == invoices_before["data"]  # charged now: nothing
    FIGURES.append(("studio (trial) -> pro, now", 0, 0))

    invoice = await renewal_invoice(sandbox, node)
    assert invoice["billing_reason"] == "subscription_cycle"
    assert invoice["amount_paid"] == shown["nextInvoiceAmount"]["amount"]
    FIGURES.append(("studio (trial) -> pro, at the trial's end", 2699, invoice["amount_paid"]))


async def test_an_upgrade_with_a_discount_charges_and_renews_as_previewed(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """25% off: the proration charged now and the renewal after it are both Stripe's
    discounted figures, as the preview said (the catalog would say 29.99 at renewal)."""
    node = await mid_period(shop, sandbox, await subscribe_with_code(shop, sandbox, "premium", 25))
    shown = (await preview(shop, node["id"], "pro"))["preview"]
    assert shown["nextInvoiceAmount"]["amount"] == 2249  # 29.99 less 25%
    await upgraded_and_charged(shop, sandbox, node, "pro", "premium -> pro (25% off)")
    invoice = await renewal_invoice(sandbox, node)
    assert invoice["amount_paid"] == shown["nextInvoiceAmount"]["amount"]
    FIGURES.append(("premium -> pro (25% off), at renewal", 2249, invoice["amount_paid"]))
