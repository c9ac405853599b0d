"""Card descriptions and comments: Markdown rendered by markdown-it-py, then sanitised by nh3 with
an allow-list, so no user text reaches a page unescaped whatever the renderer lets through."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "a",
    "ul", "ol", "li", "input", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "input": {"checked"},
    "th": {"style"},
    "td": {"style"},
}
CLASSES = {
    "ul": {"contains-task-list"},
    "li": {"task-list-item"},
    "input": {"task-list-item-checkbox"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is escaped by the parser (html=False); images are off: a remote image in a card
    # would tell its host who opened the card and when.
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True})
    return parser.enable(["table", "strikethrough"]).disable("image").use(tasklists_plugin)


def render(text: str) -> str:
    """Markdown to safe HTML: only allow-listed tags and attributes, http(s) and mailto links,
    every link opened with rel="noopener noreferrer", task-list checkboxes read-only."""
    if not text.strip():
        return ""
    return sanitise(_parser().render(text))


def sanitise(html: str) -> str:
    """Keep only the allow-listed markup; everything else is dropped or escaped."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        tag_attribute_values={"input": {"type": {"checkbox"}}},
        set_tag_attribute_values={"input": {"disabled": "disabled"}},
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
