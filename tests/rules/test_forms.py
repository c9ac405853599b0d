"""server/kernel/forms.py: each field parser, its clean value and the message it records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.kernel.forms import MAX_ID, Form


def parse(method: str, raw: Any, **options: Any) -> tuple[Any, str | None]:
    form = Form({"f": raw} if raw is not None else {})
    value = getattr(form, method)("f", **options)
    return value, form.errors.get("f")


# text


def test_text_strips_and_returns_the_value() -> None:
    assert parse("text", "  Initech  ", max_length=100) == ("Initech", None)


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_text_is_required_by_default(raw: str | None) -> None:
    assert parse("text", raw, max_length=10)[1] == "This field is required."


def test_optional_text_may_be_empty() -> None:
    assert parse("text", "", max_length=10, required=False) == ("", None)


def test_text_at_the_limit_is_fine_and_one_more_is_too_long() -> None:
    assert parse("text", "x" * 10, max_length=10)[1] is None
    assert parse("text", "x" * 11, max_length=10)[1] == "Use at most 10 characters."


def test_text_too_short() -> None:
    assert parse("text", "ab", max_length=10, min_length=3)[1] == "Use at least 3 characters."


def test_text_refuses_a_nul_character() -> None:
    assert parse("text", "Ini\x00tech", max_length=100)[1] == "Remove the invisible control characters."


def test_a_value_that_is_not_a_string_counts_as_empty() -> None:
    assert parse("text", ["a", "b"], max_length=10)[1] == "This field is required."


# email


def test_email_is_lowercased() -> None:
    assert parse("email", " Ada@Agency.TEST ") == ("ada@agency.test", None)


@pytest.mark.parametrize("raw", ["ada", "ada@", "@agency.test", "ada@agency", "a da@agency.test", "ada@@agency.test"])
def test_email_refuses_what_is_not_an_address(raw: str) -> None:
    assert parse("email", raw)[1] == "Enter an email address like name@example.com."


def test_email_is_required_and_not_too_long() -> None:
    assert parse("email", "")[1] == "This field is required."
    assert parse("email", "a" * 250 + "@x.io")[1] == "Use at most 254 characters."


# choice and boolean


def test_choice_accepts_one_of_the_options() -> None:
    assert parse("choice", "EUR", choices=["EUR", "USD"]) == ("EUR", None)


@pytest.mark.parametrize("raw", ["", "eur", "GBP", None])
def test_choice_refuses_anything_else(raw: str | None) -> None:
    assert parse("choice", raw, choices=["EUR", "USD"])[1] == "Choose one of the options."


@pytest.mark.parametrize(("raw", "expected"), [("on", True), ("TRUE", True), ("1", True), ("yes", True)])
def test_boolean_true(raw: str, expected: bool) -> None:
    assert parse("boolean", raw) == (expected, None)


@pytest.mark.parametrize("raw", [None, "", "off", "false", "0", "no", "maybe"])
def test_boolean_false(raw: str | None) -> None:
    assert parse("boolean", raw) == (False, None)


# integer


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("42", 42), (" 7 ", 7), ("+3", 3), ("007", 7)])
def test_integer_reads_whole_numbers(raw: str, expected: int) -> None:
    assert parse("integer", raw) == (expected, None)


def test_integer_is_optional_unless_required() -> None:
    assert parse("integer", "") == (None, None)
    assert parse("integer", "", required=True) == (None, "This field is required.")


@pytest.mark.parametrize("raw", ["1.5", "1,5", "abc", "1e3", "1_000", "١٢", "²", "0x10", "--1", "1 000"])
def test_integer_refuses_what_is_not_a_plain_whole_number(raw: str) -> None:
    assert parse("integer", raw) == (None, "Enter a whole number.")


@pytest.mark.parametrize("raw", ["-1", "11", "9" * 101, "9" * 5000])
def test_integer_refuses_numbers_out_of_range(raw: str) -> None:
    assert parse("integer", raw, maximum=10) == (None, "Enter a number from 0 to 10.")


def test_integer_accepts_a_negative_number_when_the_minimum_allows() -> None:
    assert parse("integer", "-5", minimum=-10) == (-5, None)


# money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85", "85.00"),
        ("92.50", "92.50"),
        ("92,5", "92.50"),
        ("0", "0.00"),
        ("-0", "0.00"),
        (".5", "0.50"),
        ("7.", "7.00"),
        ("9999999999.99", "9999999999.99"),
        ("1.10", "1.10"),
        ("1.000", "1.00"),  # trailing zeros are not a third decimal
    ],
)
def test_money_reads_amounts_with_a_dot_or_a_comma(raw: str, expected: str) -> None:
    value, error = parse("money", raw)
    assert error is None
    assert isinstance(value, Decimal) and str(value) == expected


def test_money_is_optional_unless_required() -> None:
    assert parse("money", "") == (None, None)
    assert parse("money", "  ", required=True) == (None, "This field is required.")


@pytest.mark.parametrize(
    "raw", ["lots", "1e2", "NaN", "Infinity", "-inf", "1_000", "1.2.3", "1,000.50", "+5", "€5", "5 EUR", "١٢", "."]
)
def test_money_refuses_what_is_not_an_amount(raw: str) -> None:
    assert parse("money", raw) == (None, "Enter an amount like 85 or 92.50.")


@pytest.mark.parametrize("raw", ["-0.01", "-5", "10000000000", "99999999999999999999"])
def test_money_refuses_amounts_out_of_range(raw: str) -> None:
    assert parse("money", raw) == (None, "Enter an amount from 0 to 9,999,999,999.99.")


@pytest.mark.parametrize("raw", ["92.505", "0,001", "1.0000001"])
def test_money_refuses_a_third_decimal(raw: str) -> None:
    assert parse("money", raw) == (None, "Use at most two decimal places.")


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_money_reads_back_every_amount_it_allows(amount: Decimal) -> None:
    assert parse("money", str(amount)) == (amount, None)
    assert parse("money", str(amount).replace(".", ",")) == (amount, None)


@given(st.text(max_size=30))
def test_money_never_crashes(raw: str) -> None:
    value, error = parse("money", raw)
    assert (value is None) or (error is None and value >= 0)


# id


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID)])
def test_id_reads_an_id(raw: str, expected: int) -> None:
    assert parse("id", raw) == (expected, None)


def test_id_is_required_by_default() -> None:
    assert parse("id", "") == (None, "This field is required.")
    assert parse("id", "", required=False) == (None, None)


@pytest.mark.parametrize("raw", ["abc", "-1", "1.0", "1e3", "²", "١٢", "0x1", str(MAX_ID + 1), "9" * 13, "1 2"])
def test_id_refuses_a_malformed_or_out_of_range_id(raw: str) -> None:
    assert parse("id", raw) == (None, "Choose one of the options.")


@given(st.text(max_size=20))
def test_id_never_crashes_and_stays_in_range(raw: str) -> None:
    value, error = parse("id", raw)
    assert value is None or (error is None and 0 <= value <= MAX_ID)


# the form as a whole


def test_a_form_keeps_the_first_message_of_each_field() -> None:
    form = Form({})
    form.error("name", "first")
    form.error("name", "second")
    assert form.errors == {"name": "first"}
    assert not form.ok


def test_a_form_without_errors_is_ok() -> None:
    form = Form({"name": "Initech", "rate": "85"})
    form.text("name", max_length=100)
    form.money("rate")
    assert form.ok
