from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.rates import RateSource, line_amount, minor_unit, resolve_rate

D = Decimal
rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))


def test_the_membership_rate_wins_over_everything() -> None:
    rate = resolve_rate(D("90"), D("110"), D("95"), D("70"))
    assert rate.amount == D("90") and rate.source is RateSource.MEMBERSHIP


def test_the_project_rate_wins_over_client_and_user() -> None:
    assert resolve_rate(None, D("110"), D("95"), D("70")).source is RateSource.PROJECT


def test_the_client_rate_wins_over_the_user_default() -> None:
    assert resolve_rate(None, None, D("95"), D("70")).source is RateSource.CLIENT


def test_the_user_default_applies_last() -> None:
    rate = resolve_rate(None, None, None, D("70"))
    assert rate.amount == D("70") and rate.source is RateSource.USER


def test_no_rate_anywhere_bills_nothing() -> None:
    assert resolve_rate(None, None, None, None).amount == 0


def test_a_zero_rate_is_a_rate() -> None:
    """Pro bono work on a project: 0 is set on purpose and must not fall through to the client's rate."""
    rate = resolve_rate(None, D("0"), D("95"), None)
    assert rate.amount == 0 and rate.source is RateSource.PROJECT


@given(rates, rates, rates, rates)
def test_the_first_rate_set_from_most_specific_wins(m: D | None, p: D | None, c: D | None, u: D | None) -> None:
    expected = next((r for r in (m, p, c, u) if r is not None), D("0"))
    assert resolve_rate(m, p, c, u).amount == expected


@pytest.mark.parametrize(
    ("currency", "unit"),
    [("EUR", D("0.01")), ("USD", D("0.01")), ("RUB", D("0.01")), ("CNY", D("0.01")), ("JPY", D("1")), ("VND", D("1"))],
)
def test_minor_units_come_from_babel(currency: str, unit: D) -> None:
    assert minor_unit(currency) == unit


def test_a_line_rounds_half_up_to_cents() -> None:
    # 7 minutes at 95.00/h = 11.0833… -> 11.08; 1 minute at 0.30/h = 0.005 -> 0.01
    assert line_amount(7, D("95.00"), "EUR") == D("11.08")
    assert line_amount(1, D("0.30"), "EUR") == D("0.01")


def test_a_line_in_yen_has_no_decimals() -> None:
    assert line_amount(50, D("3333"), "JPY") == D("2778")  # 2777.5 rounds half up


@given(st.integers(min_value=0, max_value=24 * 60), st.decimals(min_value=0, max_value=1000, places=2))
def test_a_line_is_within_half_a_cent_of_the_exact_amount(minutes: int, rate: D) -> None:
    exact = D(minutes) * rate / 60
    assert abs(line_amount(minutes, rate, "EUR") - exact) <= D("0.005")
