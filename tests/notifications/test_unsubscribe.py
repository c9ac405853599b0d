"""The unsubscribe link of an email works without signing in, for its kind only, and only as signed."""

from __future__ import annotations

from typing import Any

from server.tables import NotificationPreference
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card
from tests.notifications.helpers import mails


async def test_max_stops_assignment_emails_from_the_link_without_signing_in(
    agency: Agency, ada: Browser, browser: Browser, as_user: Any
) -> None:
    task_id = await add_card(agency.acme_project, "Hero copy", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    [mail] = await mails()
    path = mail["unsubscribe_url"].split("://", 1)[1].split("/", 1)[1]
    page = await browser.get(f"/{path}")
    assert page.status_code == 200 and "Stop these emails?" in page.text
    assert await NotificationPreference.count() == 0  # opening the link changes nothing
    done = await browser.http.post(f"/{path}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more of these emails" in done.text
    rows = await NotificationPreference.select(NotificationPreference.kind, NotificationPreference.channel)
    assert rows == [{"kind": "assigned", "channel": "app"}]
    # the bell still rings; no email this time
    other = await add_card(agency.acme_project, "Footer", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{other}/assignees", {"person_id": agency.max}, htmx=True)
    assert len(await mails()) == 1


async def test_a_forged_link_is_not_found(agency: Agency, browser: Browser) -> None:
    assert (await browser.get(f"/unsubscribe/{agency.max}.assigned.AAAAAAAAAAAAAAAAAAAAAAAA")).status_code == 404
    assert (await browser.http.post(f"/unsubscribe/{agency.ada}.mentioned.nope")).status_code == 404
    assert (await browser.get("/unsubscribe/x")).status_code == 404
