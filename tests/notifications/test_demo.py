"""The demo agency rings max's bell: a newcomer signed in as the demo member sees news at once, and
the admin's outbox shows the emails that would have gone out."""

from __future__ import annotations

from server.demo import seed_demo
from server.tables import User
from tests.conftest import Browser
from tests.notifications.helpers import kinds_for, mails


async def test_the_demo_member_has_unread_news_and_its_emails_wait_in_the_outbox(browser: Browser) -> None:
    await seed_demo()
    max_ = await User.select(User.id).where(User.email == "max@agency.example").first()
    assert max_ is not None
    assert sorted(await kinds_for(max_["id"])) == ["assigned", "commented", "due_tomorrow", "mentioned"]
    assert {m["kind"] for m in await mails()} == {"assigned", "mentioned"}
    await browser.login("max@agency.example", "boardroom-demo")
    bell = await browser.get("/notifications/bell")
    assert 'data-count="3"' in bell.text
    page = await browser.get("/notifications")
    assert "Mia Wong mentioned you on ACME-" in page.text
