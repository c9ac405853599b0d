"""Each person chooses per kind: in the app, also by email, or off; the bell's list, marking read."""

from __future__ import annotations

from typing import Any

from server.tables import Notification
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card
from tests.notifications.helpers import kinds_for, mails


async def test_max_turns_assignments_off_and_hears_nothing(agency: Agency, ada: Browser, as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        "/notifications/settings",
        {"assigned": "off", "commented": "app", "mentioned": "email", "due_tomorrow": "app", "review_decided": "app"},
    )
    assert response.status_code == 303
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    assert await kinds_for(agency.max) == []
    assert await mails() == []


async def test_in_the_app_only_rings_the_bell_and_sends_no_email(agency: Agency, ada: Browser, as_user: Any) -> None:
    max_ = await as_user("max")
    await max_.post(
        "/notifications/settings",
        {"assigned": "app", "commented": "app", "mentioned": "app", "due_tomorrow": "app", "review_decided": "app"},
    )
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    assert await kinds_for(agency.max) == ["assigned"]
    assert await mails() == []


async def test_a_bad_choice_is_refused_and_nothing_saved(agency: Agency, as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post("/notifications/settings", {"assigned": "carrier-pigeon"})
    assert response.status_code == 422
    assert "Choose in the app, by email, or off." in response.text
    page = await max_.get("/notifications/settings")
    assert 'value="email" aria-label="A card is assigned to me: In the app and by email" checked' in page.text


async def test_the_list_shows_max_s_news_and_marks_it_read(agency: Agency, ada: Browser, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    max_ = await as_user("max")
    page = await max_.get("/notifications")
    assert "Ada Admin assigned you to ACME-1 Hero" in page.text
    bell = await max_.get("/notifications/bell")
    assert 'data-count="1"' in bell.text
    [row] = await Notification.select(Notification.id)
    opened = await max_.post(f"/notifications/{row['id']}/open")
    assert opened.status_code == 303 and opened.headers["location"] == f"/tasks/{task_id}"
    assert "data-count" not in (await max_.get("/notifications/bell")).text


async def test_mark_all_read_empties_the_bell(agency: Agency, ada: Browser, as_user: Any) -> None:
    for title in ("One", "Two"):
        task_id = await add_card(agency.acme_project, title, by=actor(agency, "ada"))
        await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    max_ = await as_user("max")
    assert 'data-count="2"' in (await max_.get("/notifications/bell")).text
    response = await max_.post("/notifications/read-all", htmx=True)
    assert response.status_code == 200 and "All read" in response.text
    assert "data-count" not in (await max_.get("/notifications/bell")).text


async def test_mia_cannot_read_max_s_notification(agency: Agency, ada: Browser, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    [row] = await Notification.select(Notification.id)
    mia = await as_user("mia")
    assert (await mia.post(f"/notifications/{row['id']}/read")).status_code == 404
    assert (await Notification.select(Notification.read_at))[0]["read_at"] is None
