"""How a CSV file must be written for the reader's spreadsheet to open it as columns (pure).

Excel and LibreOffice split a CSV on the list separator of the computer's regional settings: where
the decimal mark is a comma (Russian, Vietnamese, most of Europe) the list separator is a semicolon,
so a comma-separated file opens as one column there. The decimal mark follows the same locale, so
1234.50 hours is written 1234,50 beside a semicolon. Where the decimal mark is a point (English,
Chinese) the file keeps commas. A reader may also choose a style on the export."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol


class CsvChoice(StrEnum):
    """The styles a reader may pick on an export (the `separator` query parameter)."""

    COMMA = "comma"
    SEMICOLON = "semicolon"


class CsvStyle(NamedTuple):
    separator: str
    decimal: str


STYLES = {CsvChoice.COMMA: CsvStyle(",", "."), CsvChoice.SEMICOLON: CsvStyle(";", ",")}
COMMA = STYLES[CsvChoice.COMMA]
SEMICOLON = STYLES[CsvChoice.SEMICOLON]
HOURS_PLACES = Decimal("0.01")


def choice_for(locale: str) -> CsvChoice:
    """The style a spreadsheet in this locale expects: semicolons where the decimal mark is a comma."""
    try:
        mark = get_decimal_symbol(Locale.parse(locale.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return CsvChoice.COMMA
    return CsvChoice.SEMICOLON if mark == "," else CsvChoice.COMMA


def csv_style(choice: str | None, locale: str) -> CsvStyle | None:
    """The style for an export: the reader's explicit choice, else their locale's; None when the
    choice names no style (the caller refuses it)."""
    if not choice:
        return STYLES[choice_for(locale)]
    try:
        return STYLES[CsvChoice(choice)]
    except ValueError:
        return None


def decimal_cell(value: Decimal | str, style: CsvStyle) -> str:
    """A plain decimal number (no grouping, so spreadsheets read it as a number) with the style's mark."""
    return str(value).replace(".", style.decimal)


def decimal_hours(minutes: int) -> Decimal:
    """Minutes as hours with two places, half up: 90 → 1.50, 20 → 0.33, 50 → 0.83."""
    return (Decimal(int(minutes)) / 60).quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)
