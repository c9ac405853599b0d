"""Translations and locale-aware formatting (Babel). Every user-facing string goes through `_`."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "ui" / "locale"
SUPPORTED = ("en", "vi", "ru", "zh")
DEFAULT = "en"

_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT)


@cache
def _translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in SUPPORTED else DEFAULT)


def current_locale() -> str:
    return _locale.get()


def negotiate(accept_language: str | None, preferred: str | None = None) -> str:
    if preferred in SUPPORTED:
        return preferred
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        try:
            language = Locale.parse(tag).language if tag else ""
        except (ValueError, UnknownLocaleError):
            continue
        if language in SUPPORTED:
            return language
    return DEFAULT


def gettext(message: str, **params: object) -> str:
    text = _translations(current_locale()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = _translations(current_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=current_locale())


def number(value: Decimal | int | float) -> str:
    return format_decimal(value, locale=current_locale())


def day(value: date) -> str:
    return format_date(value, format="medium", locale=current_locale())


def moment(value: datetime) -> str:
    return format_datetime(value, format="medium", locale=current_locale())
