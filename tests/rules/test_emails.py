"""An .eml read for showing: headers, bodies, its own attachments; the HTML body inert."""

from __future__ import annotations

import pytest

from server.rules.emails import BrokenEmail, parse, part_of, sanitise_html
from tests.attachments.files import EML


def test_the_headers_and_bodies_are_read() -> None:
    message = parse(EML)
    assert message.sender == "Ann Client <ann@acme.test>"
    assert message.to == "Max Member <max@agency.test>"
    assert message.subject == "The brief for the homepage"
    assert message.date is not None and message.date.isoformat() == "2026-11-30T10:00:00+00:00"
    assert message.text.startswith("Hello Max")
    assert "<b>Max</b>" in message.html


def test_the_html_body_is_inert() -> None:
    html = parse(EML).html
    for active in ("<script", "alert", "onmouseover", "javascript:", "<iframe", "<style", "display:none"):
        assert active not in html, active
    assert "tracker.test" not in html  # remote images never load
    assert "<img" not in html  # not even as an empty frame


def test_embedded_images_stay_and_remote_ones_go() -> None:
    html = sanitise_html('<img src="data:image/png;base64,AAAA" alt="logo"><img src="//cdn.test/a.png">')
    assert 'src="data:image/png;base64,AAAA"' in html and "cdn.test" not in html


def test_its_own_attachments_are_listed_and_read() -> None:
    message = parse(EML)
    assert [(p.index, p.name, p.content_type) for p in message.parts] == [(0, "notes.txt", "text/plain")]
    found = part_of(EML, 0)
    assert found is not None and found[1].strip() == b"Colours: navy and gold."
    assert part_of(EML, 1) is None


@pytest.mark.parametrize("raw", [b"", b"   ", b"\x00\x01binary", b"no headers here, just words"])
def test_what_is_not_a_message_is_broken(raw: bytes) -> None:
    with pytest.raises(BrokenEmail):
        parse(raw)
