"""server/kernel/i18n.py: choosing a language from Accept-Language, and money in each currency's minor unit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.kernel.i18n import DEFAULT, SUPPORTED, current_locale, gettext, money, negotiate, set_locale


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("en")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("vi", "vi"),
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("ru-RU", "ru"),
        ("zh-CN,zh;q=0.9", "zh"),
        ("zh-Hant-TW", "zh"),
        ("zh_Hans_CN", "zh"),
        ("fr-FR,fr;q=0.9,ru;q=0.5", "ru"),  # the first language we have
        ("de, en-GB;q=0.8", "en"),
        ("en-US,en;q=0.9", "en"),
        ("EN-us", "en"),
        ("fr, ru;q=0.5, zh;q=0.8", "zh"),  # by q, not by position
        ("ru;q=0.1, vi;q=0.9", "vi"),
        ("vi;q=0.5, ru;q=0.5", "vi"),  # a tie keeps the order sent
        ("ru;q=0, vi", "vi"),  # q=0 means not this one
        ("ru; q=0.8 , vi ; q = 0.2", "ru"),
    ],
)
def test_negotiate_picks_the_best_supported_language(header: str, expected: str) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "*",
        "fr",
        "ja-JP",
        ";;;,,,",
        "vi;q=abc",  # a malformed q is skipped
        "ru;q=nan",
        "ru;q=inf",
        "ru;q=2",
        "ru;q=-1",
        "x-klingon",
        "i-default",
        "en-",
        "-vi",
        "123",
        "e",
        "\x00",
        "ру",
        "a" * 5000,
    ],
)
def test_negotiate_falls_back_to_english_for_anything_else(header: str | None) -> None:
    assert negotiate(header) == DEFAULT


def test_a_users_own_choice_wins() -> None:
    assert negotiate("vi", preferred="ru") == "ru"


def test_an_unsupported_choice_is_ignored() -> None:
    assert negotiate("vi", preferred="fr") == "vi"
    assert negotiate(None, preferred="") == DEFAULT


@given(st.text(max_size=200))
def test_negotiate_never_crashes_and_answers_a_supported_language(header: str) -> None:
    assert negotiate(header) in SUPPORTED


def test_set_locale_refuses_unsupported_languages() -> None:
    set_locale("vi")
    assert current_locale() == "vi"
    set_locale("fr")
    assert current_locale() == DEFAULT


def test_gettext_fills_named_parameters() -> None:
    assert gettext("Use at most %(n)s characters.", n=5) == "Use at most 5 characters."


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.5", "EUR", "€1,234.50"),
        ("1234.5", "USD", "$1,234.50"),
        ("0", "EUR", "€0.00"),
        ("0.125", "EUR", "€0.13"),  # half up, as billing rounds its lines (Babel alone rounds half to even)
        ("1234.565", "USD", "$1,234.57"),
        ("0.124", "USD", "$0.12"),
        ("1234567", "VND", "₫1,234,567"),
        ("1234.5", "VND", "₫1,235"),  # VND has no minor unit
        ("2.5", "JPY", "¥3"),
        ("3.5", "JPY", "¥4"),
        ("2.4", "JPY", "¥2"),
        ("1000", "JPY", "¥1,000"),
    ],
)
def test_money_uses_the_currencys_minor_unit(amount: str, currency: str, expected: str) -> None:
    assert money(Decimal(amount), currency) == expected


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("vi", "1234.5", "VND", "1.235\xa0₫"),
        ("vi", "1234.5", "EUR", "1.234,50\xa0€"),
        ("ru", "1234.5", "RUB", "1\xa0234,50\xa0₽"),
        ("ru", "1234.5", "USD", "1\xa0234,50\xa0$"),
        ("zh", "1234.5", "CNY", "¥1,234.50"),
        ("zh", "1234.5", "JPY", "JP¥1,235"),
    ],
)
def test_money_is_formatted_for_the_viewers_locale(locale: str, amount: str, currency: str, expected: str) -> None:
    set_locale(locale)
    assert money(Decimal(amount), currency) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=4), st.sampled_from(["EUR", "USD", "VND", "JPY"]))
def test_money_shows_exactly_the_minor_unit(amount: Decimal, currency: str) -> None:
    shown = money(amount, currency)
    digits = 0 if currency in {"VND", "JPY"} else 2
    fraction = shown.rpartition(".")[2] if "." in shown else ""
    assert len(fraction) == digits
