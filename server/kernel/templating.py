"""The one Jinja environment: pages rendered by Litestar and fragments pushed over websockets
come from the same templates."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from server.kernel import i18n
from server.kernel.config import ROOT, debug_mode

TEMPLATES = ROOT / "ui" / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates are read once; a per-include stat() costs a lot on a 500-card board.
        auto_reload=debug_mode(),
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        money=i18n.money,
        number=i18n.number,
        day=i18n.day,
        short_day=i18n.short_day,
        moment=i18n.moment,
        ago=i18n.ago,
        clock=i18n.clock,
        weekday=i18n.weekday,
        duration=i18n.duration,
        html_lang=i18n.html_lang,
        current_locale=i18n.current_locale,
        languages=i18n.NAMES,
        language_tags=i18n.TAGS,
    )
    env.globals["card_html"] = card_html
    env.filters["dict_without"] = lambda mapping, key: {k: v for k, v in mapping.items() if k != key}
    return env


_cards: dict[tuple[Any, ...], Markup] = {}
CARD_CACHE_SIZE = 20_000


def card_html(card: Any, today: date, editable: bool, oob: bool = False) -> Markup:
    """A card's HTML, remembered by the card's fingerprint (everything the HTML depends on): a
    board is viewed far more often than its cards change, and its cards are most of its cost."""
    key = (card.fingerprint(), today, editable, oob, i18n.current_locale())
    html = _cards.get(key)
    if html is None:
        html = Markup(render_macro("boards/_card.html", "card_item", card, today, editable, oob))
        if len(_cards) >= CARD_CACHE_SIZE:
            _cards.clear()
        _cards[key] = html
    return html


def render_macro(template: str, macro: str, *args: object) -> str:
    module = environment().get_template(template).module
    return str(getattr(module, macro)(*args))


def render_fragment(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
