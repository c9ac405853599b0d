"""Numbers, money, dates, weekdays, durations and plurals in each language we ship, through the
helpers pages use (server/kernel/i18n.py) and the real catalogues."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_currency, format_decimal, get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from server.kernel import i18n
from server.rules.durations import parse_minutes

MONDAY = date(2026, 11, 30)
THIS_YEAR = date(2026, 1, 1)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_locale("en")


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("vi", "1234567.5", "VND", "1.234.568\xa0₫"),  # no minor unit; the symbol after, as Vietnamese writes it
        ("vi", "0.4", "VND", "0\xa0₫"),
        ("en", "1234567.5", "VND", "₫1,234,568"),
        ("ru", "1234567.5", "VND", "1\xa0234\xa0568\xa0₫"),
        ("zh", "1234567.5", "VND", "₫1,234,568"),
        ("ru", "1234.565", "RUB", "1\xa0234,57\xa0₽"),
        ("vi", "1234.5", "RUB", "1.234,50\xa0RUB"),
        ("en", "1234.5", "RUB", "RUB1,234.50"),
        ("zh", "1234.5", "CNY", "¥1,234.50"),
        ("ru", "1234.5", "CNY", "1\xa0234,50\xa0CN¥"),
        ("en", "1234.5", "CNY", "CN¥1,234.50"),
    ],
)
def test_money_in_each_locale(locale: str, amount: str, currency: str, expected: str) -> None:
    i18n.set_locale(locale)
    assert i18n.money(Decimal(amount), currency) == expected


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=3),
    currency=st.sampled_from(["EUR", "USD", "JPY", "VND", "RUB", "CNY", "GBP", "KRW", "CHF"]),
    locale=st.sampled_from(i18n.SUPPORTED),
)
def test_money_writes_what_babel_writes(amount: Decimal, currency: str, locale: str) -> None:
    """money() writes from each currency's shape, learnt once from Babel: the same text as Babel's."""
    i18n.set_locale(locale)
    rounded = amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # Babel writes "-€0.00" for a negative zero; money() writes no sign on nothing
    assert i18n.money(amount, currency) == format_currency(rounded, currency, locale=locale)


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "1,234.5"), ("vi", "1.234,5"), ("ru", "1\xa0234,5"), ("zh", "1,234.5")]
)
def test_numbers_in_each_locale(locale: str, expected: str) -> None:
    i18n.set_locale(locale)
    assert i18n.number(Decimal("1234.5")) == expected


@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(
        st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.sampled_from([Decimal("-0.0004"), Decimal("0.0005"), Decimal("-0"), Decimal("12.3450"), Decimal("1E+3")]),
    ),
    locale=st.sampled_from(i18n.SUPPORTED),
)
def test_number_writes_what_babel_writes(value: Decimal | int, locale: str) -> None:
    """number() writes from each language's marks, learnt once from Babel: the same text as Babel's."""
    i18n.set_locale(locale)
    assert i18n.number(value) == format_decimal(value, locale=locale)


@pytest.mark.parametrize(
    ("locale", "this_year", "another_year"),
    [
        ("en", "30 Nov", "30 Nov 2026"),
        ("ru", "30 ноября", "30 ноября 2026\u202fг."),
        ("vi", "30 tháng 11", "30 tháng 11 2026"),
        ("zh", "11月30日", "2026年11月30日"),
    ],
)
def test_a_short_day_reads_as_each_language_writes_it(locale: str, this_year: str, another_year: str) -> None:
    i18n.set_locale(locale)
    assert i18n.short_day(MONDAY, THIS_YEAR) == this_year
    assert i18n.short_day(MONDAY, date(2027, 1, 4)) == another_year


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Nov 30, 2026"), ("ru", "30 нояб. 2026\u202fг."), ("vi", "30 thg 11, 2026"), ("zh", "2026年11月30日")],
)
def test_a_day_with_its_year(locale: str, expected: str) -> None:
    i18n.set_locale(locale)
    assert i18n.day(MONDAY) == expected


@pytest.mark.parametrize(
    ("locale", "monday", "sunday"),
    [("en", "Mon", "Sun"), ("ru", "пн", "вс"), ("vi", "Thứ 2", "CN"), ("zh", "周一", "周日")],
)
def test_weekdays_in_each_language(locale: str, monday: str, sunday: str) -> None:
    i18n.set_locale(locale)
    assert i18n.weekday(MONDAY) == monday
    assert i18n.weekday(date(2026, 12, 6)) == sunday


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["45m", "2h", "2h 10m"]),
        ("ru", ["45 мин", "2 ч", "2 ч 10 мин"]),
        ("vi", ["45 phút", "2 giờ", "2 giờ 10 phút"]),
        ("zh", ["45分钟", "2小时", "2小时10分钟"]),
    ],
)
def test_durations_in_each_language_and_they_parse_back(locale: str, expected: list[str]) -> None:
    i18n.set_locale(locale)
    assert [i18n.duration(m) for m in (45, 120, 130)] == expected
    assert [parse_minutes(text) for text in expected] == [45, 120, 130]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 карточка"),
        (2, "2 карточки"),
        (5, "5 карточек"),
        (11, "11 карточек"),
        (21, "21 карточка"),
        (22, "22 карточки"),
        (0, "0 карточек"),
    ],
)
def test_russian_plurals_take_the_catalogues_three_forms(n: int, expected: str) -> None:
    i18n.set_locale("ru")
    assert i18n.ngettext("%(num)s card", "%(num)s cards", n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1 запись"), (2, "2 записи"), (5, "5 записей"), (21, "21 запись")])
def test_russian_plurals_of_entries(n: int, expected: str) -> None:
    i18n.set_locale("ru")
    assert i18n.ngettext("%(num)s entry", "%(num)s entries", n) == expected


@pytest.mark.parametrize(("locale", "one", "five"), [("vi", "1 thẻ", "5 thẻ"), ("zh", "1 张卡片", "5 张卡片")])
def test_languages_with_one_form_use_it_for_every_number(locale: str, one: str, five: str) -> None:
    i18n.set_locale(locale)
    assert i18n.ngettext("%(num)s card", "%(num)s cards", 1) == one
    assert i18n.ngettext("%(num)s card", "%(num)s cards", 5) == five


@pytest.mark.parametrize(
    ("locale", "five_minutes_ago", "two_days_ago", "in_two_hours"),
    [
        ("en", "5 minutes ago", "2 days ago", "in 2 hours"),
        ("ru", "5 минут назад", "2 дня назад", "через 2 часа"),
        ("vi", "5 phút trước", "2 ngày trước", "sau 2 giờ nữa"),
        ("zh", "5分钟前", "2天前", "2小时后"),
    ],
)
def test_relative_times_in_each_language(
    locale: str, five_minutes_ago: str, two_days_ago: str, in_two_hours: str
) -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    i18n.set_locale(locale)
    assert i18n.ago(now - timedelta(minutes=5), now) == five_minutes_ago
    assert i18n.ago(now - timedelta(days=2), now) == two_days_ago
    assert i18n.ago(now + timedelta(hours=2), now) == in_two_hours
    assert i18n.ago(datetime.now(UTC) - timedelta(minutes=5)) == five_minutes_ago  # now by default


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Dec 1, 2026, 5:00:00\u202fAM"),
        ("ru", "1 дек. 2026\u202fг., 05:00:00"),
        ("vi", "05:00:00 1 thg 12, 2026"),
    ],
)
def test_a_moment_is_shown_in_the_agency_s_time_zone(
    locale: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored in UTC; 22:00 on 30 November in UTC is already 1 December in Hanoi."""
    monkeypatch.setenv("BOARDROOM_TZ", "Asia/Ho_Chi_Minh")
    i18n.set_locale(locale)
    assert i18n.moment(datetime(2026, 11, 30, 22, 0, tzinfo=UTC)) == expected
