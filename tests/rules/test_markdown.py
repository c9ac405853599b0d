"""Markdown in descriptions and comments: rendered, then sanitised by an allow-list."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from server.rules.markdown import render, sanitise


class Tags(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def attributes(self) -> set[str]:
        return {name for _tag, attrs in self.found for name in attrs}

    def tags(self) -> set[str]:
        return {tag for tag, _attrs in self.found}


def test_it_renders_common_markdown() -> None:
    html = render("# Plan\n\n**bold** _em_ `code` ~~gone~~\n\n1. one\n2. two")
    assert "<h1>Plan</h1>" in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<code>code</code>" in html and "<s>gone</s>" in html
    assert "<ol>" in html and "<li>two</li>" in html


def test_empty_text_renders_nothing() -> None:
    assert render("") == ""
    assert render(" \n ") == ""


def test_task_lists_render_as_read_only_checkboxes() -> None:
    html = render("- [x] done\n- [ ] to do")
    assert html.count('type="checkbox"') == 2
    assert html.count('disabled="disabled"') == 2
    assert html.count('checked="checked"') == 1


def test_links_open_without_leaking_the_page() -> None:
    html = render("[site](https://example.com)")
    assert '<a href="https://example.com" rel="noopener noreferrer">site</a>' in html


def test_a_script_tag_is_shown_as_text() -> None:
    html = render("<script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_an_onerror_attribute_never_reaches_the_page() -> None:
    html = render('<img src=x onerror="alert(1)">\n\n![x](https://e.com/a.png"onerror="alert(1))')
    parsed = Tags(html)
    assert "img" not in parsed.tags()
    assert "onerror" not in parsed.attributes()


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_never_become_links(text: str) -> None:
    html = render(text)
    assert "href" not in html


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<p onclick="alert(1)">x</p>', "onclick"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
        ('<input type="text" name="password">', 'type="text"'),
        ('<a href="https://e.com" target="_blank" rel="opener">x</a>', 'rel="opener"'),
        ('<a href="https://e.com" target="_blank">x</a>', "target"),
    ],
)
def test_the_allow_list_removes_what_the_renderer_might_let_through(dirty: str, forbidden: str) -> None:
    assert forbidden not in sanitise(dirty)


def test_the_allow_list_keeps_safe_markup() -> None:
    html = sanitise('<p><a href="https://e.com">x</a> <strong>b</strong></p>')
    assert '<a href="https://e.com" rel="noopener noreferrer">x</a>' in html
    assert "<strong>b</strong>" in html


def test_a_checkbox_from_user_html_is_forced_read_only() -> None:
    html = sanitise('<input type="checkbox" name="x" checked>')
    assert 'disabled="disabled"' in html
    assert "name=" not in html


def test_remote_images_are_not_loaded() -> None:
    assert "<img" not in render("![tracker](https://tracker.example/pixel.gif)")
