"""server/rules/pricing.py: what an entry bills, rounded by its client's rule and then priced."""

from __future__ import annotations

from decimal import Decimal

from server.rules.pricing import price
from server.rules.rates import Rate, RateSource

D = Decimal


def test_a_billable_entry_is_rounded_by_the_clients_rule_then_priced() -> None:
    priced = price(7, True, Rate(D("95.00"), RateSource.CLIENT), "EUR", 15, "up")
    assert priced.billed_minutes == 15 and priced.amount == D("23.75")


def test_a_non_billable_entry_bills_nothing_whatever_the_rate() -> None:
    priced = price(90, False, Rate(D("95.00"), RateSource.CLIENT), "EUR", 15, "up")
    assert priced.billed_minutes == 0 and priced.amount == 0 and priced.minutes == 90
