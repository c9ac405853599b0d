"""Reading and checking submitted forms: each field parser records a message a person
understands, and the handler writes nothing while any field has one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from litestar.params import QueryParameter

from server.kernel.i18n import _

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Plain ASCII digits only: int() and Decimal() also take "1_000", "1e3", "NaN" and other scripts' digits.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
CENT = Decimal("0.01")
# Ids are 32-bit serials on PostgreSQL; a larger number must not reach the driver.
# Dates people type: a typo like 20266 or 0202 is refused rather than stored.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_ID = 2**31 - 1
# What a query string may carry as a number (an id, an event number): the same 32-bit bound as path ids.
QueryId = Annotated[int, QueryParameter(ge=1, le=MAX_ID)]
OptionalQueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
QuerySeq = Annotated[int, QueryParameter(ge=-1, le=MAX_ID)]


def in_years(day: dt.date) -> bool:
    """Whether a date is one people mean: between FIRST_YEAR and LAST_YEAR."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def years_message() -> str:
    return _("Enter a date between %(lo)s and %(hi)s.", lo=FIRST_YEAR, hi=LAST_YEAR)


def bounded(value: object, lo: int, hi: int) -> int | None:
    """A whole number lo..hi from decoded JSON (an int, or digits in a string); None for anything else."""
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value) and len(value) <= 20:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
        return value
    return None


class Form:
    """One submitted form: raw values in, clean values and per-field errors out."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, str] = {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def value(self, name: str) -> str:
        raw = self.raw.get(name, "")
        return raw.strip() if isinstance(raw, str) else ""

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, *, max_length: int, min_length: int = 1, required: bool = True) -> str:
        value = self.value(name)
        if not value and required:
            self.error(name, _("This field is required."))
        elif value and len(value) < min_length:
            self.error(name, _("Use at least %(n)s characters.", n=min_length))
        elif len(value) > max_length:
            self.error(name, _("Use at most %(n)s characters.", n=max_length))
        elif "\x00" in value:  # PostgreSQL refuses NUL in text; it is never meant
            self.error(name, _("Remove the invisible control characters."))
        return value

    def email(self, name: str = "email") -> str:
        value = self.text(name, max_length=254).lower()
        if value and name not in self.errors and not EMAIL.match(value):
            self.error(name, _("Enter an email address like name@example.com."))
        return value

    def choice(self, name: str, choices: Iterable[str]) -> str:
        value = self.value(name)
        if value not in set(choices):
            self.error(name, _("Choose one of the options."))
        return value

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        """An ISO date (what `<input type="date">` sends), between 2000 and 2100."""
        value = self.value(name)
        if not value:
            if required:
                self.error(name, _("Enter a date like 2026-12-31."))
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(name, _("Enter a date like 2026-12-31."))
            return None
        if not in_years(day):
            self.error(name, years_message())
            return None
        return day

    def boolean(self, name: str) -> bool:
        return self.value(name).lower() in {"on", "true", "1", "yes"}

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 10**9, required: bool = False) -> int | None:
        value = self.value(name)
        if not value:
            if required:
                self.error(name, _("This field is required."))
            return None
        if not WHOLE_NUMBER.fullmatch(value):
            self.error(name, _("Enter a whole number."))
            return None
        number = int(value) if len(value) <= 100 else None  # int() refuses over 4,300 digits
        if number is None or not minimum <= number <= maximum:
            self.error(name, _("Enter a number from %(lo)s to %(hi)s.", lo=minimum, hi=maximum))
            return None
        return number

    def money(self, name: str, *, required: bool = False) -> Decimal | None:
        value = self.value(name).replace(",", ".")
        if not value:
            if required:
                self.error(name, _("This field is required."))
            return None
        if not AMOUNT.fullmatch(value):
            self.error(name, _("Enter an amount like 85 or 92.50."))
            return None
        amount = Decimal(value)
        if amount < 0 or amount >= Decimal("10000000000"):
            self.error(name, _("Enter an amount from 0 to 9,999,999,999.99."))
            return None
        if amount != amount.quantize(CENT):
            self.error(name, _("Use at most two decimal places."))
            return None
        return amount.copy_abs().quantize(CENT)  # "-0" is 0

    def id(self, name: str, *, required: bool = True) -> int | None:
        """An id chosen from a list; a malformed one is a form error, not a crash."""
        value = self.value(name)
        if not value:
            if required:
                self.error(name, _("This field is required."))
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > MAX_ID:
            self.error(name, _("Choose one of the options."))
            return None
        return int(value)
