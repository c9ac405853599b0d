"""No hard-coded text: every page and htmx fragment each persona can reach, read in a pseudo-locale
where every translation is wrapped as ⟦…⟧, shows no visible text outside the brackets but numbers,
dates, durations, money, the people's own data (names, titles, notes), the product's name and the
language menu's names.

The pseudo-locale lives only here: its catalogue is built in memory from the messages extracted from
the code and templates, and it is installed for this test under a code Babel formats like English
(`en_001`), which no language menu offers."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.support import Translations

from server import tables
from server.billing.demo import seed_billing
from server.boards.demo import seed_boards
from server.demo import seed_reviews
from server.imports.pages import ENCODING_NAMES
from server.kernel import i18n
from server.kernel.config import ROOT
from server.tables import Task, User
from tests.conftest import Agency
from tests.factories import actor, add_entry
from tests.test_catalogues import KEYWORDS

PSEUDO = "en_001"
OPEN, CLOSE = "⟦", "⟧"
PERSONAS = ("ada", "max", "cleo")
# Links the crawl does not follow: files, sockets, the API, signing out, what changes state on GET.
SKIP = re.compile(r"^/(static|api|ws|logout)|\.(csv|json|ics|png|svg|pdf|txt)(\?|$)|/download|/files/|/share/")
PER_SHAPE = 1  # pages of one shape (/tasks/N) read per persona: the templates are the same
WORD = re.compile(r"[^\W\d_]+")


def _wrapped(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def pseudo_translations() -> Translations:
    """Every message the code and templates say (as `make messages` extracts them), wrapped in ⟦…⟧
    with its placeholders kept; a plural message's two forms both wrapped."""
    catalogue = Catalog(locale="en")
    method_map = [("server/**.py", "python"), ("ui/templates/**.html", "jinja2")]
    options = {"ui/templates/**.html": {"extensions": "jinja2.ext.i18n", "silent": "false"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            catalogue.add(message[:2], tuple(_wrapped(form) for form in message[:2]))
        elif catalogue.get(message) is None:
            catalogue.add(message, _wrapped(message))
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


@pytest.fixture
def pseudo_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    translations = pseudo_translations()
    real = i18n._translations
    monkeypatch.setattr(i18n, "SUPPORTED", (*i18n.SUPPORTED, PSEUDO))
    monkeypatch.setattr(i18n, "_translations", lambda locale: translations if locale == PSEUDO else real(locale))
    yield


class TextNodes(HTMLParser):
    """The visible text of a page, and for each text node what stands outside any ⟦…⟧."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.depth = 0
        self.outside: list[str] = []
        self.links: list[tuple[str, bool]] = []  # (url, is an htmx fragment)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.skipping += 1
        found = dict(attrs)
        if not self.skipping:  # what a person reads of an element without its text: hints, tooltips
            for name in ("placeholder", "title", "aria-label", "alt"):
                if found.get(name):
                    self.handle_data(f" {found[name]} ")
        if tag == "a" and found.get("href"):
            self.links.append((found["href"] or "", False))
        if found.get("hx-get"):
            self.links.append((found["hx-get"] or "", True))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        # A translation may hold markup (<strong>…</strong>), so its brackets can span text nodes.
        outside = []
        for char in data:
            if char == OPEN:
                self.depth += 1
            elif char == CLOSE:
                self.depth = max(0, self.depth - 1)
            elif self.depth == 0:
                outside.append(char)
        text = " ".join("".join(outside).split())
        if text:
            self.outside.append(text)


def english_formatting_words() -> set[str]:
    """The words Babel writes in dates, times, relative times and money (formatting, not messages)."""
    locale = Locale.parse(PSEUDO)
    words: set[str] = {"AM", "PM", "ago", "in", "at", "now"}
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):  # not narrow: "M" or "T" alone would let "m" and "h" through
            words |= set(locale.months[context][width].values())
            words |= set(locale.days[context][width].values())
    words |= {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days"}
    words |= {"week", "weeks", "month", "months", "year", "years"}
    words |= set(locale.currency_symbols) | {s for s in locale.currency_symbols.values() if len(s) > 1}
    return {w.casefold() for w in words for w in WORD.findall(w) if len(w) > 1}


async def people_data() -> set[str]:
    """Every word the people (and the demo) wrote: names, titles, notes, comments; not the codes and
    states the product stores (roles, statuses, colours), which a page must translate."""
    written = {
        tables.Client: ["name"],
        tables.User: ["name", "email"],
        tables.Project: ["name", "key"],
        tables.BoardColumn: ["name"],
        tables.Label: ["name"],
        tables.Sprint: ["name", "goal", "review_note"],
        tables.Task: ["title", "description"],
        tables.ChecklistItem: ["text"],
        tables.Comment: ["body"],
        tables.TimeEntry: ["note"],
        tables.ApiToken: ["name"],
    }
    words: set[str] = set()
    for table, names in written.items():
        for row in await table.select(*(table._meta.get_column_by_name(n) for n in names)):
            for value in row.values():
                if isinstance(value, str):
                    words |= {w.casefold() for w in WORD.findall(value)}
                    # A person's initials in their avatar ("MM" for Max Member)
                    words.add("".join(w[0] for w in value.split()[:2]).casefold())
    return words


async def task_id(title: str) -> int:
    row = await Task.select(Task.id).where(Task.title == title).first()
    assert row is not None
    return int(row["id"])


async def crawl(browser: Any, start: str, limit: int = 400) -> dict[str, list[str]]:
    """Each reachable page's (and htmx fragment's) text outside the brackets, by URL."""
    seen: set[str] = set()
    shapes: defaultdict[str, int] = defaultdict(int)
    queue: list[tuple[str, bool]] = [(start, False)]
    found: dict[str, list[str]] = {}
    pages: list[str] = []
    while queue and len(seen) < limit:
        url, fragment = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(url):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        key = f"{url} {fragment}"
        # One shape per path (ids as N) and set of query keys: /projects/N?sprint= whatever the sprint.
        shape = f"{re.sub(r'[0-9]+', 'N', parts.path)}?{sorted(parse_qs(parts.query))} {fragment}"
        if key in seen or shapes[shape] >= PER_SHAPE:
            continue
        seen.add(key)
        shapes[shape] += 1
        headers = {"hx-request": "true"} if fragment else {}
        response = await browser.get(url, headers=headers)
        if response.is_redirect:
            queue.append((response.headers["location"], fragment))
            continue
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(url)
        nodes = TextNodes()
        nodes.feed(response.text)
        if nodes.outside:
            found[url + (" (htmx)" if fragment else "")] = nodes.outside
        queue += [(urljoin(url, link.split("#")[0]), is_fragment) for link, is_fragment in nodes.links if link]
    assert len(pages) > 10, pages  # the crawl reached the product, not just a sign-in page
    return found


async def test_every_text_a_persona_can_reach_goes_through_the_catalogue(
    pseudo_locale: None, agency: Agency, as_user: Any
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia, "ada": agency.ada})
    await seed_reviews(reviewer=agency.cleo, submitter=agency.max, project=agency.acme_project)
    hero = await task_id("Homepage hero copy")
    now = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    for back in (1, 35):  # this week's timesheet and last month's summary have hours
        await add_entry(hero, agency.max, now - timedelta(days=back), 95, note="Hero copy, second draft")
    await add_entry(hero, agency.ada, datetime.now(UTC) - timedelta(minutes=5), None)  # a running timer
    await seed_billing(agency.acme, actor(agency, "ada"), now.date(), "UTC")
    await User.update({User.locale: PSEUDO}).where(User.id.is_in([agency.ada, agency.max, agency.cleo]))
    allowed = await people_data() | english_formatting_words()
    names = [*i18n.NAMES.values(), *ENCODING_NAMES.values()]  # languages and encodings, by their names
    allowed |= {w.casefold() for name in names for w in WORD.findall(name)} | {"boardroom"}
    unwrapped: dict[str, set[str]] = defaultdict(set)
    for persona in PERSONAS:
        browser = await as_user(persona)
        for url, texts in (await crawl(browser, "/")).items():
            for text in texts:
                if any(w.casefold() not in allowed for w in WORD.findall(text)):
                    unwrapped[text].add(f"{persona} {url}")
    report = "\n".join(f"  {text!r}  ({', '.join(sorted(where)[:2])})" for text, where in sorted(unwrapped.items()))
    assert not unwrapped, f"{len(unwrapped)} texts are not translatable:\n{report}"


def test_the_reader_finds_text_outside_the_brackets_even_across_markup() -> None:
    nodes = TextNodes()
    nodes.feed(
        "<title>⟦Projects⟧ · Boardroom</title><p>⟦Hello <strong>Max</strong>, welcome⟧ Unwrapped</p>"
        '<script>var x = "ignored";</script><input placeholder="Search"><a href="/x" hx-get="/y">⟦⟦2h⟧ logged⟧</a>'
    )
    assert nodes.outside == ["· Boardroom", "Unwrapped", "Search"]
    assert nodes.links == [("/x", False), ("/y", True)]
