"""The one Jinja environment: pages rendered by Litestar and fragments pushed over websockets
come from the same templates."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from server import i18n
from server.config import ROOT

TEMPLATES = ROOT / "ui" / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        money=i18n.money,
        number=i18n.number,
        day=i18n.day,
        short_day=i18n.short_day,
        moment=i18n.moment,
        clock=i18n.clock,
        duration=i18n.duration,
    )
    env.filters["dict_without"] = lambda mapping, key: {k: v for k, v in mapping.items() if k != key}
    return env


def render_fragment(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
