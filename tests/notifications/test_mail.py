"""Email through the worker's job: a real SMTP server (aiosmtpd) receives the message with its text
and HTML parts and its unsubscribe header; without SMTP the mail stays in the admin's outbox; a
failed send is kept, tried again after a backoff, and shown in the outbox."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from server.kernel.config import Settings
from server.notifications.jobs import send_mail, sweep
from server.tables import OutboxMail, User
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card
from tests.notifications.helpers import mails


class Inbox:
    """aiosmtpd's handler: keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[Envelope, EmailMessage]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        self.received.append((envelope, email.message_from_bytes(raw, policy=default)))  # type: ignore[arg-type]
        return "250 OK"


def boardroom_only(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    """The test server's one account: the credentials in BOARDROOM_SMTP_URL must reach it."""
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"boardroom", b"s3cret")
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def smtp() -> AsyncIterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=boardroom_only, auth_require_tls=False, auth_required=True
    )
    await asyncio.to_thread(controller.start)
    yield inbox, port
    await asyncio.to_thread(controller.stop)


def ctx(smtp_url: str = "") -> dict[str, Any]:
    return {"settings": replace(Settings.from_env(), smtp_url=smtp_url), "redis": None}


async def _assigned(agency: Agency, ada: Browser) -> int:
    task_id = await add_card(agency.acme_project, "Hero copy", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    [mail] = await mails()
    return int(mail["id"])


async def test_the_worker_sends_max_s_email_to_a_real_smtp_server(
    agency: Agency, ada: Browser, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await User.update({User.locale: "zh"}).where(User.id == agency.max)
    mail_id = await _assigned(agency, ada)
    assert await send_mail(ctx(f"smtp://boardroom:s3cret@127.0.0.1:{port}"), mail_id) == "sent"
    [(envelope, message)] = inbox.received
    assert envelope.rcpt_tos == ["max@agency.test"]
    assert message["To"] == "max@agency.test"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "ACME-1" in text.get_content() and "<a href=" in html.get_content()
    assert "分配" in message["Subject"]  # max reads Chinese
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.strip().startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [row] = await mails()
    assert row["status"] == "sent" and row["sent_at"] is not None
    assert await send_mail(ctx(f"smtp://boardroom:s3cret@127.0.0.1:{port}"), mail_id) == "nothing to do"
    assert len(inbox.received) == 1  # never twice


async def test_without_smtp_the_email_is_kept_in_the_admin_s_outbox(agency: Agency, ada: Browser) -> None:
    mail_id = await _assigned(agency, ada)
    assert await send_mail(ctx(""), mail_id) == "held"
    page = await ada.get("/admin/outbox")
    assert page.status_code == 200
    assert "max@agency.test" in page.text and "Ada Admin assigned you to ACME-1 Hero copy" in page.text
    assert "Kept (no SMTP)" in page.text
    one = await ada.get(f"/admin/outbox/{mail_id}")
    assert "Open it in Boardroom" in one.text


async def test_a_failed_send_is_kept_and_tried_again_after_a_backoff(agency: Agency, ada: Browser) -> None:
    mail_id = await _assigned(agency, ada)
    closed_port = 1  # nothing listens there
    assert await send_mail(ctx(f"smtp://127.0.0.1:{closed_port}"), mail_id) == "retrying"
    [row] = await mails()
    assert row["attempts"] == 1 and row["last_error"]
    assert row["next_attempt_at"] > datetime.now(UTC) + timedelta(seconds=20)
    page = await ada.get("/admin/outbox")
    assert "Will retry" in page.text

    class Queue:
        jobs: list[tuple[str, int, str]] = []

        async def enqueue_job(self, name: str, mail: int, *, _job_id: str) -> object:
            self.jobs.append((name, mail, _job_id))
            return object()

    queue = Queue()
    assert await sweep(queue) == []  # not before its backoff
    assert await sweep(queue, datetime.now(UTC) + timedelta(minutes=2)) == [mail_id]
    assert queue.jobs[0][0] == "send_mail"


async def test_the_admin_sends_a_held_email_again(agency: Agency, ada: Browser) -> None:
    mail_id = await _assigned(agency, ada)
    await send_mail(ctx(""), mail_id)
    response = await ada.post(f"/admin/outbox/{mail_id}/send")
    assert response.status_code == 303
    row = await OutboxMail.select(OutboxMail.status).where(OutboxMail.id == mail_id).first()
    assert row is not None and row["status"] == "queued"


async def test_the_worker_s_sweep_and_job_deliver_the_email(
    agency: Agency, ada: Browser, smtp: tuple[Inbox, int], redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real arq worker, as `python -m tasks` builds it: the sweep queues the mail, send_mail sends it."""
    from arq import create_pool
    from arq.connections import RedisSettings

    from tests.billing.jobs_support import run_worker

    inbox, port = smtp
    monkeypatch.setenv("BOARDROOM_SMTP_URL", f"smtp://boardroom:s3cret@127.0.0.1:{port}")
    mail_id = await _assigned(agency, ada)
    queue = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        assert await sweep(queue) == [mail_id]
        assert await sweep(queue) == []  # already waiting: not queued twice
    finally:
        await queue.aclose()
    worker = await run_worker(redis_url)
    assert worker.jobs_complete == 1
    assert len(inbox.received) == 1
    [row] = await mails()
    assert row["status"] == "sent"
