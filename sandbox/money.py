"""Amounts as Stripe checks and prints them: minimum and maximum charge amounts per
currency, and ``$10.00``-style amounts in error messages and invoice line descriptions."""

from sandbox.errors import invalid_request
from sandbox.params import Params

# Stripe's minimum charge amounts, in minor units (https://docs.stripe.com/currencies).
_MINIMUMS = {
    "usd": 50, "aed": 200, "aud": 50, "brl": 50, "cad": 50, "chf": 50, "czk": 1500,
    "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500, "inr": 50, "jpy": 50,
    "mxn": 1000, "myr": 200, "nok": 300, "nzd": 50, "pln": 200, "ron": 200, "sek": 300,
    "sgd": 50, "thb": 1000,
}  # fmt: skip
_MAXIMUM = 99999999
_ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf",
                 "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}  # fmt: skip
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}


def format_amount(amount: int, currency: str) -> str:
    """``$10.00``, ``€9.50``, ``¥500``, or ``12.00 CHF`` where there is no common symbol."""
    major = str(amount) if currency in _ZERO_DECIMAL else f"{amount / 100:.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{major}" if symbol else f"{major} {currency.upper()}"


def charge_amount(params: Params, currency: str, key: str = "amount") -> int:
    """A required amount that Stripe would accept to charge in ``currency``."""
    amount = params.integer(key, required=True, minimum=1)
    assert amount is not None
    minimum = _MINIMUMS.get(currency, 1)
    if amount < minimum:
        raise invalid_request(
            f"Amount must be at least {format_amount(minimum, currency)} {currency}",
            params.name(key),
            "amount_too_small",
        )
    if amount > _MAXIMUM:
        raise invalid_request(
            f"Amount must be no more than {format_amount(_MAXIMUM, currency)}",
            params.name(key),
            "amount_too_large",
        )
    return amount
