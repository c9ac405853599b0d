"""News of cards through the real app: assigned, commented on, mentioned. Each reaches the right
people once, never the one who acted, and never a client's person when it is internal."""

from __future__ import annotations

from typing import Any

from server.tables import Task, User
from tests.conftest import Agency, Browser
from tests.factories import actor, add_card
from tests.notifications.helpers import everyone_told, kinds_for, mails


async def _card(agency: Agency, *, internal: bool = False, by: str = "ada") -> int:
    task_id = await add_card(agency.acme_project, "Homepage hero copy", by=actor(agency, by))
    if internal:
        await Task.update({Task.internal: True}).where(Task.id == task_id)
    return task_id


async def test_max_hears_he_was_assigned_and_ada_who_assigned_him_does_not(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    response = await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    assert response.status_code == 200
    assert await everyone_told() == {agency.max: ["assigned"]}


async def test_assigning_oneself_tells_nobody(agency: Agency, as_user: Any) -> None:
    task_id = await _card(agency)
    max_ = await as_user("max")
    await max_.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    assert await everyone_told() == {}


async def test_unassigning_tells_nobody(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    assert await kinds_for(agency.max) == ["assigned"]


async def test_a_comment_reaches_the_card_s_people_but_not_its_author(
    agency: Agency, ada: Browser, as_user: Any
) -> None:
    task_id = await _card(agency)  # made by ada: she is on it
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{task_id}/comments", {"body": "Draft is up", "visibility": "client"}, htmx=True)
    assert response.status_code == 200
    assert await everyone_told() == {agency.max: ["assigned"], agency.ada: ["commented"]}


async def test_a_mention_of_an_assignee_tells_him_once_as_a_mention(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    await ada.post(
        f"/tasks/{task_id}/comments", {"body": "@Max Member can you check?", "visibility": "internal"}, htmx=True
    )
    assert await kinds_for(agency.max) == ["assigned", "mentioned"]


async def test_cleo_hears_of_a_mention_in_a_comment_shared_with_her(agency: Agency, as_user: Any) -> None:
    task_id = await _card(agency)
    max_ = await as_user("max")
    await max_.post(
        f"/tasks/{task_id}/comments", {"body": "@Cleo Client please review", "visibility": "client"}, htmx=True
    )
    assert await kinds_for(agency.cleo) == ["mentioned"]


async def test_an_internal_comment_never_reaches_cleo_even_when_it_mentions_her(agency: Agency, as_user: Any) -> None:
    task_id = await _card(agency, by="max")
    cleo = await as_user("cleo")
    await cleo.post(f"/tasks/{task_id}/comments", {"body": "Looks good"}, htmx=True)  # cleo is on the card now
    max_ = await as_user("max")
    await max_.post(
        f"/tasks/{task_id}/comments", {"body": "@Cleo Client is picky", "visibility": "internal"}, htmx=True
    )
    assert await kinds_for(agency.cleo) == []
    assert await kinds_for(agency.max) == ["commented"]  # cleo's comment on max's card


async def test_nothing_on_an_internal_card_reaches_cleo(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency, internal=True)
    await ada.post(f"/tasks/{task_id}/comments", {"body": "@Cleo Client hello", "visibility": "client"}, htmx=True)
    assert await kinds_for(agency.cleo) == []


async def test_cole_of_globex_is_never_told_of_acme_s_card(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    await ada.post(f"/tasks/{task_id}/comments", {"body": "@Cole Client look", "visibility": "client"}, htmx=True)
    assert await kinds_for(agency.cole) == []


async def test_a_mention_added_to_a_description_tells_the_person_once(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    row = await Task.select(Task.version).where(Task.id == task_id).first()
    assert row is not None
    await ada.post(
        f"/tasks/{task_id}/description", {"description": "Ask @Max Member", "version": row["version"]}, htmx=True
    )
    await ada.post(
        f"/tasks/{task_id}/description",
        {"description": "Ask @Max Member today", "version": row["version"] + 1},
        htmx=True,
    )
    assert await kinds_for(agency.max) == ["mentioned"]


async def test_news_reaches_no_deactivated_person(agency: Agency, ada: Browser) -> None:
    task_id = await _card(agency)
    await User.update({User.active: False}).where(User.id == agency.max)
    await ada.post(f"/tasks/{task_id}/comments", {"body": "@Max Member hi", "visibility": "internal"}, htmx=True)
    assert await kinds_for(agency.max) == []


async def test_an_assignment_is_emailed_by_default_in_the_recipient_s_language(agency: Agency, ada: Browser) -> None:
    await User.update({User.locale: "ru"}).where(User.id == agency.max)
    task_id = await _card(agency)
    await ada.post(f"/tasks/{task_id}/assignees", {"person_id": agency.max}, htmx=True)
    [mail] = await mails()
    assert mail["to_address"] == "max@agency.test"
    assert mail["status"] == "queued"  # the worker sends it; never the request
    assert "Ada Admin" in mail["subject"] and "ACME-1" in mail["subject"]
    assert "назначил" in mail["subject"].lower() or "назнач" in mail["text"].lower()
    assert f"/tasks/{task_id}" in mail["text"] and f"/tasks/{task_id}" in mail["html"]
    assert "/unsubscribe/" in mail["unsubscribe_url"]
