"""Which hourly rate an entry bills at, and what a line costs.

Most specific wins: the person's rate on the project (membership) > the project's rate > the
client's rate > the person's default rate. Money is Decimal; a line is quantised half-up to the
currency's minor unit (Babel knows it: 2 for EUR, 0 for JPY and VND).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from babel.numbers import get_currency_precision


class RateSource(StrEnum):
    MEMBERSHIP = "membership"
    PROJECT = "project"
    CLIENT = "client"
    USER = "user"
    NONE = "none"


@dataclass(frozen=True)
class Rate:
    amount: Decimal
    source: RateSource


def resolve_rate(
    membership: Decimal | None, project: Decimal | None, client: Decimal | None, user: Decimal | None
) -> Rate:
    for amount, source in (
        (membership, RateSource.MEMBERSHIP),
        (project, RateSource.PROJECT),
        (client, RateSource.CLIENT),
        (user, RateSource.USER),
    ):
        if amount is not None:
            return Rate(amount, source)
    return Rate(Decimal("0"), RateSource.NONE)


def minor_unit(currency: str) -> Decimal:
    """Decimal('0.01') for EUR, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def line_amount(minutes: int, hourly_rate: Decimal, currency: str) -> Decimal:
    """What `minutes` at `hourly_rate` cost, rounded half-up to the currency's minor unit."""
    return (Decimal(minutes) * hourly_rate / 60).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
