"""What an email says: a notification as a plain-text and an HTML part in the recipient's language,
with its link and the kind's one-click unsubscribe; and the message as SMTP sends it."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

from server.kernel.i18n import _, speaking
from server.kernel.templating import render_fragment
from server.rules.notifications import Kind, describe, kind_label, unsubscribe_token


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def compose(person: dict[str, Any], kind: Kind, data: dict[str, Any], link: str, *, base_url: str, secret: str) -> Mail:
    """The email telling `person` (a users row) this news, in their saved language."""
    unsubscribe_url = f"{base_url}/unsubscribe/{unsubscribe_token(secret, person['id'], kind)}"
    url = f"{base_url}{link}" if link.startswith("/") else link
    with speaking(person.get("locale") or "en"):
        subject = describe(kind, data)
        context = {
            "name": person["name"],
            "sentence": subject,
            "excerpt": str(data.get("excerpt", "")),
            "url": url,
            "unsubscribe_url": unsubscribe_url,
            "kind_label": kind_label(kind),
        }
        text = render_fragment("notifications/mail.txt", **context)
        html = render_fragment("notifications/mail.html", **context)
    return Mail(subject=subject, text=text, html=html, unsubscribe_url=unsubscribe_url)


def message(mail: dict[str, Any], sender: str) -> EmailMessage:
    """An outbox row as a MIME message: text and HTML alternatives, List-Unsubscribe (RFC 8058)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail["to_address"]
    msg["Subject"] = mail["subject"]
    msg["Message-ID"] = make_msgid(domain="boardroom")
    if mail["unsubscribe_url"]:
        msg["List-Unsubscribe"] = f"<{mail['unsubscribe_url']}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail["text"])
    msg.add_alternative(mail["html"], subtype="html")
    return msg


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool


def smtp_server(url: str) -> SmtpServer:
    """BOARDROOM_SMTP_URL read: `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
    `smtps://user:pass@host:465` (TLS from the start)."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError(_("BOARDROOM_SMTP_URL must look like smtp://user:password@host:587"))
    use_tls = parts.scheme == "smtps"
    return SmtpServer(
        hostname=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
    )


def sender_address(mail_from: str) -> str:
    return mail_from if "<" in mail_from else formataddr(("Boardroom", mail_from))
