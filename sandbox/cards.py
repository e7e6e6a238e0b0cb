"""Stripe's test cards: the ``pm_card_*`` payment method ids and card numbers, and how each
behaves when attached, charged or confirmed (https://docs.stripe.com/testing).

localstripe knows three ``pm_card_*`` ids and declines at charge time only for
``4000000000000341``; billgraph's flows need the documented declines with their
``decline_code`` and the cards that require 3-D Secure. sandbox.patches installs
``test_payment_method`` and the ``attach_decline``/``requires_authentication`` checks in
localstripe's PaymentMethod, so its SetupIntents behave the same way.

A card that needs 3-D Secure is declined off-session (``authentication_required``), except
``pm_card_authenticationRequiredOnSetup`` once a SetupIntent for off-session use saved it
with the customer authenticating: later charges ride on that (Stripe's exemption for
payments the merchant starts), as Stripe's "authenticate unless set up" card does.

``pm_card_applePay`` and ``pm_card_googlePay`` are the sandbox's own too: cards that came
from a wallet (``card.wallet.type``), as the PaymentSheet and Stripe.js's Payment Request
Button save them.

``pm_card_processing`` is the sandbox's own, not Stripe's: a card whose payments stay
``processing`` (as bank debits do) until ``/_sandbox/payment_intents/{id}/settle``.
"""

from dataclasses import dataclass
from typing import Any

from localstripe.resources import PaymentMethod


@dataclass(frozen=True)
class Decline:
    """How Stripe declines a card: the error ``code``, its ``decline_code`` and message."""

    code: str
    decline_code: str
    message: str
    on_attach: bool = True  # Stripe checks the card when it is attached to a customer


_GENERIC = "Your card was declined."
_DECLINES = {
    "4000000000000002": Decline("card_declined", "generic_decline", _GENERIC),
    "4000000000009995": Decline(
        "card_declined", "insufficient_funds", "Your card has insufficient funds."
    ),
    "4000000000009987": Decline("card_declined", "lost_card", _GENERIC),
    "4000000000009979": Decline("card_declined", "stolen_card", _GENERIC),
    "4000000000000069": Decline("expired_card", "expired_card", "Your card has expired."),
    "4000000000000127": Decline(
        "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."
    ),
    "4000000000000119": Decline(
        "processing_error",
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
    "4000000000006975": Decline(
        "card_declined",
        "card_velocity_exceeded",
        "Your card was declined for making repeated attempts too frequently or exceeding "
        "its amount limit.",
    ),
    # Attaching succeeds; every charge fails (renewals of a saved card that stopped working).
    "4000000000000341": Decline("card_declined", "generic_decline", _GENERIC, on_attach=False),
}
# Declined without the customer present: the bank wants 3-D Secure, nobody can do it.
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
    on_attach=False,
)
# What a payment that was processing fails with when settled as failed.
SETTLEMENT_FAILURE = Decline("card_declined", "generic_decline", _GENERIC)
_PROCESSING = "4000000000008888"  # the sandbox's own: not a Stripe test card
_THREE_D_SECURE = {"4000000000003220", "4000000000003063", "4000002500003155", "4000002760003184"}
_UNLESS_SET_UP = "4000002500003155"  # authenticated once on setup, then charged without

_TEST_PAYMENT_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_visa_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_visa_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": "4000000000006975",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_threeDSecure2Required": "4000000000003220",
    "pm_card_threeDSecureRequired": "4000000000003063",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredOnSetup": _UNLESS_SET_UP,
    "pm_card_processing": _PROCESSING,
}


# The sandbox's own: wallet cards -> (card number, wallet type).
_WALLET_PAYMENT_METHODS = {
    "pm_card_applePay": ("4242424242424242", "apple_pay"),
    "pm_card_googlePay": ("5555555555554444", "google_pay"),
}


def test_payment_method(cls: Any, id: str) -> Any:
    """A new PaymentMethod for a ``pm_card_*`` id, as Stripe makes one on each use."""
    number, wallet = _TEST_PAYMENT_METHODS.get(id), None
    if id in _WALLET_PAYMENT_METHODS:
        number, wallet = _WALLET_PAYMENT_METHODS[id]
    if number is None:
        return None
    card = {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}
    method = PaymentMethod(type="card", card=card)
    method._wallet = wallet
    return method


def charge_decline(method: Any, off_session: bool = False) -> Decline | None:
    """How charging ``method`` fails, or None when the bank approves."""
    decline = _DECLINES.get(_number(method))
    set_up = _number(method) == _UNLESS_SET_UP and getattr(method, "_set_up_off_session", False)
    if decline is None and off_session and requires_authentication(method) and not set_up:
        return AUTHENTICATION_REQUIRED
    return decline


def set_up_off_session(method: Any) -> None:
    """A SetupIntent for off-session use saved ``method`` (authenticated if it asked)."""
    method._set_up_off_session = True


def attach_decline(method: Any) -> Decline | None:
    """How attaching ``method`` to a customer fails, or None when the bank approves."""
    decline = _DECLINES.get(_number(method))
    return decline if decline is not None and decline.on_attach else None


def requires_authentication(method: Any) -> bool:
    """The bank asks for 3-D Secure when the customer pays on session."""
    return _number(method) in _THREE_D_SECURE


def settles_later(method: Any) -> bool:
    """Payments stay ``processing`` until a test helper settles them."""
    return _number(method) == _PROCESSING


def card(method: Any) -> dict[str, Any] | None:
    """Today's ``card`` hash of a card PaymentMethod (localstripe says every card is a
    French Visa), or None for other payment method types."""
    stored = getattr(method, "card", None)
    if not isinstance(stored, dict):
        return None
    number = _number(method)
    brand = "mastercard" if number.startswith("5") else "visa"
    return {
        "brand": brand,
        "checks": {"address_line1_check": None, "address_postal_code_check": None,
                   "cvc_check": "pass"},
        "country": "US",
        "display_brand": brand,
        "exp_month": stored["exp_month"],
        "exp_year": stored["exp_year"],
        "fingerprint": stored["fingerprint"],
        "funding": "debit" if number == "4000056655665556" else "credit",
        "generated_from": None,
        "last4": number[-4:],
        "networks": {"available": [brand], "preferred": None},
        "regulated_status": "unregulated",
        "three_d_secure_usage": {"supported": True},
        "wallet": _wallet(method, number),
    }  # fmt: skip


def _wallet(method: Any, number: str) -> dict[str, Any] | None:
    kind = getattr(method, "_wallet", None)
    if kind is None:
        return None
    return {"type": kind, kind: {}, "dynamic_last4": number[-4:]}


def payment_method_details(method: Any, authenticated: bool) -> dict[str, Any]:
    """A charge's ``payment_method_details`` for ``method``."""
    details = card(method)
    if details is None:  # a SEPA debit or a legacy source
        return {"type": getattr(method, "type", "card")}
    for key in ("display_brand", "generated_from", "networks", "three_d_secure_usage"):
        del details[key]
    three_d_secure = {"authentication_flow": "challenge", "result": "authenticated",
                      "version": "2.2.0"}  # fmt: skip
    details.update(
        installments=None,
        mandate=None,
        network=details["brand"],
        three_d_secure=three_d_secure if authenticated else None,
    )
    return {"type": "card", "card": details}


def _number(method: Any) -> str:
    return str(getattr(method, "_card_number", ""))
