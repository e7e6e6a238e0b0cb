"""The hosted pages behind the ``url`` of checkout and billing portal sessions: plain HTML,
enough for a developer running billgraph in sandbox mode to pay with a test card in a
browser, or to cancel a subscription at the end of its period. They need no API key,
like Stripe's own pages.
"""

from html import escape
from typing import Any

from aiohttp import web
from localstripe.errors import UserError

from sandbox import listing, money
from sandbox.billing_portal import BillingPortalSession
from sandbox.checkout_sessions import CheckoutSession
from sandbox.products import Product
from sandbox.subscriptions import Subscription

PREFIXES = ("/c/", "/p/")
# The test cards offered on the checkout page.
_CARDS = (
    ("pm_card_visa", "Visa •••• 4242 (succeeds)"),
    ("pm_card_chargeDeclined", "Visa •••• 0002 (declined)"),
    ("pm_card_chargeDeclinedInsufficientFunds", "Visa •••• 9995 (insufficient funds)"),
    ("pm_card_chargeCustomerFail", "Visa •••• 0341 (saved, then every charge fails)"),
)


async def checkout(request: web.Request) -> web.Response:
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    return _checkout_page(session)


async def pay(request: web.Request) -> web.StreamResponse:
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    form = await request.post()
    try:
        CheckoutSession._api_complete(
            session.id,
            payment_method=str(form.get("payment_method") or "pm_card_visa"),
            email=str(form.get("email") or "") or None,
        )
    except UserError as refused:
        return _checkout_page(session, refused.body["error"].get("message"), refused.code)
    if session.success_url:
        raise web.HTTPSeeOther(session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id))
    raise web.HTTPSeeOther(request.path)


async def portal(request: web.Request) -> web.Response:
    session = BillingPortalSession._api_retrieve(request.match_info["id"])
    rows = []
    for subscription in _subscriptions(session.customer):
        item = subscription._items[0]
        price = item.price
        state = subscription.status
        if subscription.cancel_at_period_end:
            state += ", cancels at the end of the period"
            action = ""
        else:
            action = (
                f'<form method="post" action="{escape(request.path)}/cancel/{subscription.id}">'
                "<button>Cancel at the end of the period</button></form>"
            )
        amount = money.format_amount(item._amount, price.currency)
        rows.append(
            f"<li>{escape(Product._api_retrieve(price.product).name)}: {escape(amount)} per "
            f"{escape(price.recurring['interval'])} ({escape(state)}){action}</li>"
        )
    back = session.return_url
    body = f"<h1>Your subscriptions</h1><ul>{''.join(rows) or '<li>None</li>'}</ul>" + (
        f'<p><a href="{escape(back)}">Return</a></p>' if back else ""
    )
    return _html("Billing portal", body)


async def cancel(request: web.Request) -> web.StreamResponse:
    session = BillingPortalSession._api_retrieve(request.match_info["id"])
    subscription_id = request.match_info["subscription"]
    if subscription_id not in {s.id for s in _subscriptions(session.customer)}:
        raise web.HTTPNotFound()
    Subscription._api_update(subscription_id, cancel_at_period_end="true")
    raise web.HTTPSeeOther(f"/p/session/{session.id}")


def routes() -> list[web.RouteDef]:
    return [
        web.get("/c/pay/{id}", checkout),
        web.post("/c/pay/{id}", pay),
        web.get("/p/session/{id}", portal),
        web.post("/p/session/{id}/cancel/{subscription}", cancel),
    ]


def _checkout_page(session: Any, error: str | None = None, status: int = 200) -> web.Response:
    lines = "".join(
        f"<li>{escape(line.description)} × {line.quantity}: "  # noqa: RUF001
        f"{escape(money.format_amount(line.amount_total, line.currency))}</li>"
        for line in session._lines
    )
    total = money.format_amount(session.amount_total, session.currency)
    body = f"<h1>{escape(total)} due today</h1><ul>{lines}</ul>"
    if error:
        body += f'<p role="alert">{escape(error)}</p>'
    if session.status == "open":
        options = "".join(f'<option value="{v}">{escape(label)}</option>' for v, label in _CARDS)
        email = escape(session.customer_email or "")
        body += (
            '<form method="post">'
            f'<p><label>Email <input name="email" type="email" value="{email}"></label></p>'
            f'<p><label>Card <select name="payment_method">{options}</select></label></p>'
            "<p><button>Pay</button></p></form>"
        )
        if session.cancel_url:
            body += f'<p><a href="{escape(session.cancel_url)}">Cancel</a></p>'
    else:
        body += f"<p>This checkout session is {escape(session.status)}.</p>"
    return _html("Checkout", body, status)


def _subscriptions(customer: str) -> list[Any]:
    return [
        s
        for s in listing.newest_first("subscription")
        if s.customer == customer and s.status not in ("canceled", "incomplete_expired")
    ]


def _html(title: str, body: str, status: int = 200) -> web.Response:
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} · billgraph sandbox</title></head>"
        f"<body><p><small>billgraph sandbox: test mode, no real money</small></p>{body}</body>"
        "</html>"
    )
    return web.Response(text=page, content_type="text/html", status=status)
