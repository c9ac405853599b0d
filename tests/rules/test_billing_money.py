"""Money in minor units: the integer arithmetic the SQL does, checked against Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from server.rules.money import digits, from_minor, line_minor, money_text, rate_text


def test_currencies_have_babels_digits() -> None:
    assert (digits("EUR"), digits("USD"), digits("JPY"), digits("VND"), digits("KWD")) == (2, 2, 0, 0, 3)


def test_minor_units_become_decimals_with_the_currencys_digits() -> None:
    assert from_minor(1234, 2) == Decimal("12.34")
    assert money_text(0, 2) == "0.00"
    assert money_text(1667, 0) == "1667"
    assert money_text(5, 3) == "0.005"


def test_a_line_is_rounded_half_up() -> None:
    assert line_minor(1, 10001, 2) == 167  # 1.666833... -> 1.67
    assert line_minor(10, 999900, 0) == 1667  # 1666.5 yen -> 1667
    assert line_minor(3, 1000, 2) == 50  # 0.50 exactly
    assert line_minor(1, 3, 2) == 0  # 0.0005 -> 0.00


def test_rates_print_with_two_decimals_or_not_at_all() -> None:
    assert (rate_text(9500), rate_text(1), rate_text(None)) == ("95.00", "0.01", None)


@given(
    minutes=st.integers(0, 1440),
    cents=st.integers(0, 10**9),
    places=st.sampled_from((0, 2, 3)),
)
def test_integer_arithmetic_matches_decimal_rounding(minutes: int, cents: int, places: int) -> None:
    expected = (Decimal(minutes) * Decimal(cents).scaleb(-2) / 60).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    assert from_minor(line_minor(minutes, cents, places), places) == expected
