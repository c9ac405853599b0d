"""What an entry bills: the rate that applies (rates.py), the client's rounding (rounding.py), money
quantised per currency. The rates themselves are loaded by `time.store.price_entries`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from server.rules.rates import Rate, line_amount
from server.rules.rounding import round_minutes


@dataclass(frozen=True)
class Priced:
    minutes: int
    billed_minutes: int  # after the client's rounding; 0 when not billable
    rate: Rate
    amount: Decimal
    currency: str


def price(minutes: int, billable: bool, rate: Rate, currency: str, increment: int, mode: str) -> Priced:
    billed = round_minutes(minutes, increment, mode) if billable else 0
    return Priced(minutes, billed, rate, line_amount(billed, rate.amount, currency), currency)
