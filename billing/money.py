"""Money in integer minor units: formatting and Stripe's per-currency bounds."""

from __future__ import annotations

from dataclasses import dataclass

MAX_AMOUNT = 99_999_999

# Stripe's minimum charge amounts, in minor units
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MINIMUM_CHARGE = {
    "usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50, "chf": 50,
    "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500, "inr": 50,
    "jpy": 50, "mxn": 1000, "myr": 200, "nok": 300, "nzd": 50, "pln": 200, "ron": 200,
    "sek": 300, "sgd": 50, "thb": 1000,
}  # fmt: skip

ZERO_DECIMAL = frozenset({
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
    "vuv", "xaf", "xof", "xpf",
})  # fmt: skip

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "inr": "₹", "jpy": "¥", "aud": "A$", "cad": "C$"}


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    @property
    def formatted(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: int, currency: str) -> str:
    """Human-readable amount, e.g. ``$9.99`` or ``12.50 CHF``."""
    currency = currency.lower()
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    number = f"{amount:,}" if currency in ZERO_DECIMAL else f"{amount // 100:,}.{amount % 100:02d}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency.upper()}"


def minimum_charge(currency: str) -> int:
    """Smallest amount Stripe will charge; 50 minor units where not listed."""
    return MINIMUM_CHARGE.get(currency.lower(), 50)
