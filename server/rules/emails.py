"""A client's email saved as an .eml file, read for showing on a card: who from and to, when, the
subject, the text body, the HTML body made inert (nh3 allow-list, no remote images, no scripts, no
styles), and the message's own attachments by position. Pure: bytes in, values out."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.policy import default

import nh3

from server.rules.attachments import clean_filename

TAGS = {
    "p", "br", "hr", "div", "span", "strong", "b", "em", "i", "u", "s", "del", "code", "pre", "blockquote",
    "a", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "img", "font", "small", "sub", "sup",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan"}}
# Only inline data: images survive; an http(s) image is a tracking pixel telling its sender who read it and when.
_REMOTE_IMG = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_IMG_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
MAX_TEXT = 200_000  # characters of a body kept for showing


class BrokenEmail(ValueError):
    """Not an email message a mail program saved."""


@dataclass(frozen=True)
class Part:
    index: int  # its position among the message's attachments (what a download names)
    name: str
    content_type: str
    size: int


@dataclass
class ParsedEmail:
    sender: str = ""
    to: str = ""
    cc: str = ""
    date: datetime | None = None
    subject: str = ""
    text: str = ""
    html: str = ""  # sanitised: safe to put in a page
    parts: list[Part] = field(default_factory=list)

    def summary(self) -> dict[str, str]:
        """What the card's list shows without reading the file again."""
        return {
            "from": self.sender,
            "to": self.to,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else "",
        }


def _message(raw: bytes) -> EmailMessage:
    if not raw.strip() or b"\x00" in raw[:4096]:
        raise BrokenEmail("empty or binary")
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    if not any(message.get(name) for name in ("From", "Subject", "Date", "To")):
        raise BrokenEmail("no headers")
    if any(type(d).__name__ in {"MissingHeaderBodySeparatorDefect", "InvalidHeaderDefect"} for d in message.defects):
        raise BrokenEmail("malformed headers")
    return message


def _header(message: Message, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a header the policy cannot parse
        return ""


def _date(message: Message) -> datetime | None:
    try:
        value = message.get("Date")
        parsed = getattr(value, "datetime", None)
    except (ValueError, TypeError, IndexError):
        return None
    return parsed if isinstance(parsed, datetime) else None


def _content(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _drop_remote_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith("data:image/"):
        return None
    return value


def sanitise_html(html: str) -> str:
    """An email's HTML with nothing active left: allow-listed tags only (no script, style, form,
    iframe), links opened safely, images only when embedded in the message itself."""
    cleaned = nh3.clean(
        html[:MAX_TEXT],
        tags=TAGS,
        clean_content_tags={"script", "style", "title", "head"},
        attributes=ATTRIBUTES,
        attribute_filter=_drop_remote_images,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
    )
    # A remote image lost its src above; the empty tag goes too (nh3's output is well-formed).
    return _IMG_WITHOUT_SOURCE.sub("", cleaned)


def _attachments(message: EmailMessage) -> list[EmailMessage]:
    return [part for part in message.iter_attachments() if isinstance(part, EmailMessage)]


def parse(raw: bytes) -> ParsedEmail:
    """The message's headers, bodies and attachments; BrokenEmail if it is not one."""
    message = _message(raw)
    parsed = ParsedEmail(
        sender=_header(message, "From"),
        to=_header(message, "To"),
        cc=_header(message, "Cc"),
        date=_date(message),
        subject=_header(message, "Subject"),
    )
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    if isinstance(text, EmailMessage):
        parsed.text = _content(text)[:MAX_TEXT]
    if isinstance(html, EmailMessage):
        parsed.html = sanitise_html(_content(html))
    for index, part in enumerate(_attachments(message)):
        payload = part.get_payload(decode=True)
        parsed.parts.append(
            Part(
                index=index,
                name=clean_filename(part.get_filename() or f"attachment-{index + 1}"),
                content_type=part.get_content_type(),
                size=len(payload) if isinstance(payload, bytes) else 0,
            )
        )
    return parsed


def part_of(raw: bytes, index: int) -> tuple[Part, bytes] | None:
    """One of the message's own attachments and its bytes, or None if it has no such part."""
    message = _message(raw)
    parts = _attachments(message)
    if not 0 <= index < len(parts):
        return None
    part = parts[index]
    payload = part.get_payload(decode=True)
    body = payload if isinstance(payload, bytes) else b""
    name = clean_filename(part.get_filename() or f"attachment-{index + 1}")
    return Part(index, name, part.get_content_type(), len(body)), body
