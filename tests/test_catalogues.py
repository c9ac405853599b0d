"""The translations: every message the code and templates say has a translation in every language
we ship (vi, ru, zh_Hans), none fuzzy, each keeping its placeholders; and the catalogues load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server.kernel import i18n
from server.kernel.config import ROOT
from server.rules.durations import parse_minutes

LANGUAGES = [locale for locale in i18n.SUPPORTED if locale != i18n.DEFAULT]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    """The message ids in the code and templates, as `make messages` extracts them (babel.cfg)."""
    method_map = [("server/**.py", "python"), ("ui/templates/**.html", "jinja2")]
    options = {"ui/templates/**.html": {"extensions": "jinja2.ext.i18n", "silent": "false"}}
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(locale: str) -> Catalog:
    path = i18n.catalogue_path(locale)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    with path.open("rb") as source:
        return read_po(source)


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(locale: str, extracted: set[str]) -> None:
    catalogue = _catalogue(locale)
    missing = sorted(m for m in extracted if not _translated(catalogue, m))
    assert not missing, f"{len(missing)} messages untranslated in {locale} (run `make messages`), e.g. {missing[:5]}"


def _translated(catalogue: Catalog, message_id: str) -> bool:
    message = catalogue.get(message_id)
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translations_keep_their_placeholders(locale: str) -> None:
    wrong = []
    for message in _catalogue(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {tuple(sorted(PLACEHOLDER.findall(i))) for i in ids}
        wrong += [(ids[0], s) for s in strings if s and tuple(sorted(PLACEHOLDER.findall(s))) not in wanted]
    assert not wrong, f"placeholders dropped or renamed in {locale}: {wrong[:5]}"


@pytest.mark.parametrize(("locale", "word"), [("vi", "Đăng nhập"), ("ru", "Войти"), ("zh", "登录"), ("en", "Sign in")])
def test_a_catalogue_loads_from_its_po_file_with_no_build_step(locale: str, word: str) -> None:
    with i18n.speaking(locale):
        assert i18n.gettext("Sign in") == word


def test_russian_plurals_have_three_forms() -> None:
    ids = [m for m in _catalogue("ru") if isinstance(m.id, tuple)]
    assert ids, "the catalogue has plural messages"
    assert all(len(m.string) == 3 and all(m.string) for m in ids)


def test_no_compiled_catalogue_is_left_beside_its_source() -> None:
    stale = sorted(str(p.relative_to(ROOT)) for p in Path(i18n.LOCALE_DIR).rglob("*.mo"))
    assert not stale, f"catalogues are compiled when loaded; remove {stale}"


@pytest.mark.parametrize("locale", i18n.SUPPORTED)
@pytest.mark.parametrize("minutes", [5, 60, 90, 135, 6000])
def test_a_duration_shown_in_any_language_reads_back_as_the_same_minutes(locale: str, minutes: int) -> None:
    """An estimate's field is filled with its shown duration, and saved back with the card's other fields."""
    with i18n.speaking(locale):
        shown = i18n.duration(minutes)
    assert parse_minutes(shown) == minutes, shown
