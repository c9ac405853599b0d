"""Money in integer minor units (pure): SQL sums whole cents (or yen), Python turns them into
Decimal with the currency's digits. Rates are Numeric(12, 2): whole cents of the rate."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from babel.numbers import get_currency_precision


@cache
def digits(currency: str) -> int:
    """2 for EUR and USD, 0 for JPY and VND (Babel's data); 2 for a code Babel does not know."""
    try:
        return int(get_currency_precision(currency))
    except Exception:  # an unknown code bills in hundredths, like most currencies
        return 2


def amount_fraction(currency_digits: int) -> tuple[int, int]:
    """(numerator, denominator) so that an entry's amount in minor units is
    rounded_minutes * rate_cents * numerator / denominator, before rounding half up:
    minutes * (cents / 100) / 60 * 10**digits."""
    if currency_digits >= 2:
        return 10 ** (currency_digits - 2), 60
    return 1, 60 * 10 ** (2 - currency_digits)


def line_minor(rounded_minutes: int, rate_cents: int, currency_digits: int) -> int:
    """One entry's amount in minor units, half up (what the SQL computes, in Python)."""
    numerator, denominator = amount_fraction(currency_digits)
    return (2 * rounded_minutes * rate_cents * numerator + denominator) // (2 * denominator)


def from_minor(minor: int, currency_digits: int) -> Decimal:
    """Decimal(1234) with 2 digits is Decimal('12.34'); with 0, Decimal('1234')."""
    return Decimal(int(minor)).scaleb(-currency_digits)


def money_text(minor: int, currency_digits: int) -> str:
    return str(from_minor(minor, currency_digits))


def rate_text(rate_cents: int | None) -> str | None:
    return None if rate_cents is None else str(Decimal(int(rate_cents)).scaleb(-2))
