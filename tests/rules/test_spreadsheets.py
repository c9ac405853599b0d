"""server/rules/spreadsheets.py: the CSV separator and decimal mark a reader's spreadsheet expects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.rules.spreadsheets import (
    COMMA,
    SEMICOLON,
    CsvChoice,
    choice_for,
    csv_style,
    decimal_cell,
    decimal_hours,
)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", CsvChoice.COMMA),
        ("zh", CsvChoice.COMMA),  # Chinese writes a decimal point, like English
        ("zh_Hans", CsvChoice.COMMA),
        ("ru", CsvChoice.SEMICOLON),
        ("vi", CsvChoice.SEMICOLON),
        ("ru-RU", CsvChoice.SEMICOLON),
        ("de", CsvChoice.SEMICOLON),  # any decimal-comma locale
        ("", CsvChoice.COMMA),
        ("x-klingon", CsvChoice.COMMA),
    ],
)
def test_the_locale_picks_the_style_its_spreadsheets_expect(locale: str, expected: CsvChoice) -> None:
    assert choice_for(locale) == expected


def test_english_and_chinese_get_commas_and_points_russian_and_vietnamese_semicolons_and_commas() -> None:
    assert (csv_style(None, "en"), csv_style(None, "zh")) == (COMMA, COMMA)
    assert COMMA == (",", ".")
    assert (csv_style(None, "ru"), csv_style("", "vi")) == (SEMICOLON, SEMICOLON)
    assert SEMICOLON == (";", ",")


def test_an_explicit_choice_wins_over_the_locale() -> None:
    assert csv_style("comma", "ru") == COMMA
    assert csv_style("semicolon", "en") == SEMICOLON


@pytest.mark.parametrize("choice", ["tab", "Comma", ";", "semicolon ", "x" * 500])
def test_an_unknown_choice_is_refused(choice: str) -> None:
    assert csv_style(choice, "en") is None


def test_decimal_cells_take_the_styles_mark_and_no_grouping() -> None:
    assert decimal_cell(Decimal("1234.50"), SEMICOLON) == "1234,50"
    assert decimal_cell("1234.50", COMMA) == "1234.50"
    assert decimal_cell(Decimal("1234"), SEMICOLON) == "1234"


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(0, "0.00"), (1, "0.02"), (20, "0.33"), (30, "0.50"), (50, "0.83"), (90, "1.50"), (1441, "24.02")],
)
def test_decimal_hours_have_two_places_rounded_half_up(minutes: int, hours: str) -> None:
    assert decimal_hours(minutes) == Decimal(hours)
