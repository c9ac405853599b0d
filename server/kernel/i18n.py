"""Translations and locale-aware formatting (Babel). Every user-facing string goes through `_`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, format_time, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)
from babel.support import NullTranslations, Translations

from server.kernel.config import agency_timezone

LOCALE_DIR = Path(__file__).resolve().parents[2] / "ui" / "locale"
SUPPORTED = ("en", "vi", "ru", "zh")
DEFAULT = "en"
# Each language as its own speakers name it, as a language menu shows it (never translated).
NAMES = {"en": "English", "vi": "Tiếng Việt", "ru": "Русский", "zh": "中文"}
# The BCP 47 tag a page declares in <html lang>, where it is not the language's code: our Chinese
# is written in simplified characters.
TAGS = {"zh": "zh-Hans"}

_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT)


# A language's catalogue folder under ui/locale, where its name is not the language's code.
CATALOGUES = {"zh": "zh_Hans"}


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / CATALOGUES.get(locale, locale) / "LC_MESSAGES" / "messages.po"


@cache
def _translations(locale: str) -> NullTranslations:
    """The language's catalogue, compiled in memory from its .po file the first time it is needed:
    the .po files are the source, with no build step to forget. English, the source language, and a
    language without a catalogue yet fall back to the message ids; so does an empty translation."""
    path = catalogue_path(locale)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as source:
        catalogue = read_po(source, locale=CATALOGUES.get(locale, locale))
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in SUPPORTED else DEFAULT)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Render in this language for a while (a fragment drawn for viewers other than the requester)."""
    token = _locale.set(locale)
    try:
        yield
    finally:
        _locale.reset(token)


def current_locale() -> str:
    return _locale.get()


def html_lang() -> str:
    """The language the page is written in, for <html lang> (fonts, hyphenation, screen readers)."""
    locale = current_locale()
    return TAGS.get(locale, locale)


def _by_preference(accept_language: str) -> list[str]:
    """The language tags of an Accept-Language header, highest q first (ties keep the order sent);
    q=0 means "not this one", and a part with a malformed q is skipped."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, *params = part.split(";")
        weight = 1.0
        for param in params:
            key, _sep, raw = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(raw.strip())
                except ValueError:
                    weight = 0.0
        if 0.0 < weight <= 1.0:  # also drops nan and inf
            ranked.append((-weight, position, tag.strip()))
    return [tag for *_key, tag in sorted(ranked)]


def negotiate(accept_language: str | None, preferred: str | None = None) -> str:
    if preferred in SUPPORTED:
        return preferred
    for raw_tag in _by_preference(accept_language or ""):
        tag = raw_tag.replace("-", "_")
        try:
            language = Locale.parse(tag).language if tag else ""
        except (ValueError, UnknownLocaleError):
            continue
        if language in SUPPORTED:
            return language
    return DEFAULT


def adopted_language(saved: str | None, chosen: str | None) -> str | None:
    """The language to save on a person signing in, from the one chosen on the sign-in page (its
    cookie), or None to leave their account as it is: only a person with no choice of their own
    adopts it. Accounts start in English, the default, so English counts as no choice yet; a
    person who picked another language keeps it whatever this browser says."""
    if chosen not in SUPPORTED or saved == chosen:
        return None
    return chosen if saved in (None, "", DEFAULT) else None


def gettext(message: str, **params: object) -> str:
    text = _translations(current_locale()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = _translations(current_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


@cache
def _babel(locale: str) -> Locale:
    """The parsed locale Babel formats with: parsing it again for every number of a long page cost
    more than the formatting (the budgets overview formats a thousand)."""
    return Locale.parse(locale)


@dataclass(frozen=True)
class _MoneyShape:
    """How a language writes amounts of a currency, read once from Babel: the text before and after
    the digits (sign and symbol), the group and decimal marks, the places."""

    positive: tuple[str, str]
    negative: tuple[str, str]
    group: str
    decimal: str
    places: int

    def write(self, amount: Decimal) -> str:
        before, after = self.negative if amount < 0 else self.positive
        digits = f"{abs(amount):,.{self.places}f}".replace(",", "\0").replace(".", self.decimal)
        return before + digits.replace("\0", self.group) + after


def _around(written: str, digits: str) -> tuple[str, str] | None:
    at = written.find(digits)
    return None if at < 0 else (written[:at], written[at + len(digits) :])


@cache
def _money_shape(currency: str, locale: str) -> _MoneyShape | None:
    """The shape of `currency` amounts in `locale`, or None where it is not the plain one we can
    rebuild (then Babel formats each amount): checked against Babel on sample amounts."""
    babel = _babel(locale)
    places = get_currency_precision(currency)
    group, decimal = get_group_symbol(locale=babel), get_decimal_symbol(locale=babel)
    sample = Decimal("1234567.89").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    digits = _MoneyShape(("", ""), ("", ""), group, decimal, places).write(sample)
    positive = _around(format_currency(sample, currency, locale=babel), digits)
    negative = _around(format_currency(-sample, currency, locale=babel), digits)
    if positive is None or negative is None:
        return None
    shape = _MoneyShape(positive, negative, group, decimal, places)
    checks = ("0", "7", "1234", "-1234.5", "99999.99", "-0.5", "1000000")
    for check in checks:
        value = Decimal(check).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shape.write(value) != format_currency(value, currency, locale=babel):
            return None
    return shape


def money(amount: Decimal, currency: str) -> str:
    """An amount in its currency's minor unit (2 places for EUR, 0 for JPY and VND), rounded half
    up as billing rounds its lines; Babel on its own would round half to even. Written from the
    currency's shape in the language (a page of budgets writes two thousand amounts; Babel took
    20 µs each), with Babel's own output where the shape is not a plain one."""
    minor_unit = Decimal(1).scaleb(-get_currency_precision(currency))
    rounded = amount.quantize(minor_unit, rounding=ROUND_HALF_UP)
    shape = _money_shape(currency, current_locale())
    if shape is not None:
        return shape.write(rounded)
    return format_currency(rounded, currency, locale=_babel(current_locale()))


PLAIN_DECIMALS = "#,##0.###"  # the decimal pattern of every language we ship: groups of three, up to 3 places
THOUSANDTH = Decimal("0.001")


@cache
def _number_marks(locale: str) -> tuple[str, str, str] | None:
    """The group mark, decimal mark and minus sign `locale` writes numbers with, where its pattern is
    the plain one; None otherwise (then Babel formats each number)."""
    babel = _babel(locale)
    pattern = babel.decimal_formats.get(None)
    if pattern is None or pattern.pattern != PLAIN_DECIMALS:
        return None
    return get_group_symbol(locale=babel), get_decimal_symbol(locale=babel), get_minus_sign_symbol(locale=babel)


def number(value: Decimal | int | float) -> str:
    """A number as the reader's language writes it: "1,234.5", "1.234,5", "1 234,5"; at most three
    places, rounded half to even as Babel rounds. Written from the language's marks (the budgets
    overview writes a thousand numbers a page), Babel's own output for floats and other patterns."""
    marks = _number_marks(current_locale())
    if marks is None or isinstance(value, float):
        return format_decimal(value, locale=_babel(current_locale()))
    group, point, minus = marks
    if isinstance(value, int):
        text, negative = f"{abs(value):,}", value < 0
    else:
        rounded = value.quantize(THOUSANDTH, rounding=ROUND_HALF_EVEN)
        whole, _dot, places = f"{abs(rounded):,f}".partition(".")
        places = places.rstrip("0")
        text, negative = (whole + "\0" + places if places else whole), rounded.is_signed()  # Babel writes "-0"
    text = text.replace(",", group).replace("\0", point)
    return minus + text if negative else text


def day(value: date) -> str:
    return format_date(value, format="medium", locale=_babel(current_locale()))


def short_day(value: date, today: date | None = None) -> str:
    """A day and month as the viewer's language writes them, with the year when it is not this
    year's: "30 ноября", "30 tháng 11", "11月30日"; English keeps the agency's "30 Nov"."""
    this_year = today is None or value.year == today.year
    locale = current_locale()
    if locale == DEFAULT:
        return format_date(value, format="d MMM" if this_year else "d MMM y", locale=_babel(locale))
    return format_skeleton("MMMMd" if this_year else "yMMMMd", value, locale=_babel(locale))


def weekday(value: date) -> str:
    """Mon, Tue… in the viewer's language."""
    return format_date(value, format="EEE", locale=_babel(current_locale()))


@cache
def _duration(minutes: int, locale: str) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(m)sm", m=rest)
    return gettext("%(h)sh %(m)sm", h=hours, m=rest) if rest else gettext("%(h)sh", h=hours)


def duration(minutes: int) -> str:
    """Minutes as people read them on a card: 45m, 2h, 1h 30m."""
    return _duration(minutes, current_locale())


def clock(value: datetime, tz: str) -> str:
    """A time of day in the agency's time zone (Settings.timezone), as the viewer's locale writes it."""
    return format_time(value, format="short", tzinfo=ZoneInfo(tz), locale=_babel(current_locale()))


def moment(value: datetime) -> str:
    """A date and time in the agency's time zone (BOARDROOM_TZ), as the viewer's locale writes it."""
    return format_datetime(value, format="medium", tzinfo=_zone(agency_timezone()), locale=_babel(current_locale()))


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def ago(at: datetime, now: datetime | None = None) -> str:
    """How long before (or after) now `at` is, in the viewer's language: "5 minutes ago",
    "5 минут назад", "5 phút trước", "5分钟前"; "in 2 hours" for a time still to come."""
    return format_timedelta(at - (now or datetime.now(UTC)), add_direction=True, locale=_babel(current_locale()))
