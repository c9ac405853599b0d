"""Timers: one running per person, enforced in the database; they are rows, so they outlive the
browser and the server; clients and people off the project cannot start one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine import engine_finder

from server.boards.changes import Silent
from server.kernel.db import close_pool, open_pool
from server.tables import TimeEntry
from server.time import writes as time_entries
from tests.conftest import Agency, Browser, running_app
from tests.factories import actor, add_card, add_cards, add_entry, task_row
from tests.time.conftest import entries_of, running_of


async def test_starting_a_timer_creates_a_running_entry_and_shows_it(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Homepage hero")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/timer/start", htmx=True)
    assert response.status_code == 200
    (running,) = await running_of(agency.max)
    assert running["task"] == card and running["project"] == agency.acme_project
    assert 'id="timer" hx-swap-oob="true"' in response.text
    assert "ACME-1 Homepage hero" in response.text  # the header names the task
    assert f'id="task-{card}"' in response.text
    card_html = response.text.split(f'id="task-{card}"', 1)[1]
    assert 'class="timer-dot"' in card_html  # the card's running dot


async def test_starting_on_another_card_stops_the_first(as_user: Any, agency: Agency) -> None:
    first, second = await add_cards(agency.acme_project, "First", "Second")
    started = datetime.now(UTC) - timedelta(minutes=20)
    earlier = await add_entry(first, agency.max, started, None)
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{second}/timer/start", htmx=True)
    assert response.status_code == 200
    stopped, running = await entries_of(agency.max)
    assert stopped["id"] == earlier
    assert stopped["ended_at"] is not None and stopped["minutes"] == 20
    assert running["task"] == second and running["ended_at"] is None
    assert len(await running_of(agency.max)) == 1
    assert running["started_at"] >= stopped["ended_at"]  # the two entries do not overlap


async def test_switching_cards_within_the_first_minute_leaves_no_overlap(as_user: Any, agency: Agency) -> None:
    first, second = await add_cards(agency.acme_project, "First", "Second")
    max_ = await as_user("max")
    await max_.post(f"/tasks/{first}/timer/start", htmx=True)
    await max_.post(f"/tasks/{second}/timer/start", htmx=True)
    stopped, running = await entries_of(agency.max)
    assert stopped["minutes"] == 1 and stopped["ended_at"] is not None
    assert running["ended_at"] is None
    assert running["started_at"] >= stopped["ended_at"]


async def test_starting_on_the_running_card_again_changes_nothing(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Card")
    max_ = await as_user("max")
    await max_.post(f"/tasks/{card}/timer/start", htmx=True)
    before = await entries_of(agency.max)
    again = await max_.post(f"/tasks/{card}/timer/start", htmx=True)
    assert again.status_code == 200
    assert await entries_of(agency.max) == before
    assert len(before) == 1 and before[0]["ended_at"] is None


async def test_stopping_the_timer_logs_at_least_a_minute(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Card")
    max_ = await as_user("max")
    await max_.post(f"/tasks/{card}/timer/start", htmx=True)
    response = await max_.post("/timer/stop", htmx=True)
    assert response.status_code == 200
    (entry,) = await entries_of(agency.max)
    assert entry["ended_at"] is not None and entry["minutes"] >= 1
    assert "Stopped: 1m logged." in response.text
    assert "ACME-1" not in (await max_.get("/timer")).text  # the header is empty again


async def test_stopping_with_no_timer_running_writes_nothing(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post("/timer/stop", htmx=True)
    assert response.status_code == 200
    assert 'id="timer"' in response.text
    assert await entries_of(agency.max) == []


async def test_a_timer_survives_a_new_app_instance(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Long haul")
    max_ = await as_user("max")
    await max_.post(f"/tasks/{card}/timer/start", htmx=True)
    async with running_app() as restarted:
        client = Browser(restarted)
        try:
            assert (await client.login("max@agency.test")).status_code == 303
            header = await client.get("/timer")
            assert "ACME-1 Long haul" in header.text
            assert "data-started=" in header.text
        finally:
            await client.aclose()


async def test_mia_cannot_start_a_timer_on_a_project_she_is_not_on(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Card")
    mia = await as_user("mia")
    response = await mia.post(f"/tasks/{card}/timer/start", htmx=True)
    assert response.status_code == 404
    assert await TimeEntry.count() == 0


async def test_cleo_cannot_start_a_timer_even_on_her_clients_shared_board(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Card")
    cleo = await as_user("cleo")
    response = await cleo.post(f"/tasks/{card}/timer/start", htmx=True)
    assert response.status_code in {403, 404}
    assert (await cleo.post("/timer/stop", htmx=True)).status_code == 404
    assert await TimeEntry.count() == 0


async def test_a_timer_running_over_12_hours_is_flagged_in_the_header(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Forgotten")
    await add_entry(card, agency.max, datetime.now(UTC) - timedelta(hours=13), None)
    max_ = await as_user("max")
    header = await max_.get("/timer")
    assert "header-timer long" in header.text
    assert "12 h+" in header.text


async def test_a_timer_under_12_hours_is_not_flagged(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Recent")
    await add_entry(card, agency.max, datetime.now(UTC) - timedelta(hours=11, minutes=59), None)
    header = await (await as_user("max")).get("/timer")
    assert "ACME-1 Recent" in header.text
    assert "12 h+" not in header.text


async def test_two_simultaneous_starts_over_http_leave_one_running(as_user: Any, agency: Agency) -> None:
    first, second = await add_cards(agency.acme_project, "First", "Second")
    third = await add_card(agency.brand_project, "Third")
    max_ = await as_user("max")
    responses = await asyncio.gather(*(max_.post(f"/tasks/{c}/timer/start", htmx=True) for c in (first, second, third)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len(await running_of(agency.max)) == 1
    assert len(await entries_of(agency.max)) == 3


async def test_two_simultaneous_starts_in_code_leave_one_running(agency: Agency) -> None:
    """Two requests in two processes: the partial unique index decides, and the loser retries."""
    acme_card = await add_card(agency.acme_project, "Acme card")
    brand_card = await add_card(agency.brand_project, "Brand card")
    tasks = [await task_row(acme_card), await task_row(brand_card)]
    engine = engine_finder()
    await open_pool(engine, max_size=10)  # PostgreSQL: real parallel connections; SQLite: nothing to do
    try:
        for _round in range(5):
            now = datetime.now(UTC)
            await asyncio.gather(
                *(time_entries.start_timer(actor(agency, "max"), task, now, "UTC", Silent()) for task in tasks)
            )
            assert len(await running_of(agency.max)) == 1
    finally:
        await close_pool(engine)
    assert len(await entries_of(agency.max)) == 10


async def test_the_database_refuses_a_second_running_timer(agency: Agency) -> None:
    first, second = await add_cards(agency.acme_project, "First", "Second")
    await add_entry(first, agency.max, datetime.now(UTC), None)
    try:
        await add_entry(second, agency.max, datetime.now(UTC), None)
    except Exception as error:  # the engines raise different classes
        from server.kernel.db import is_unique_violation

        assert is_unique_violation(error)
    else:
        raise AssertionError("a second running timer was accepted")
    assert len(await running_of(agency.max)) == 1


async def test_starting_from_a_cards_dialog_answers_with_the_dialog_showing_the_running_timer(
    as_user: Any, agency: Agency
) -> None:
    card = await add_card(agency.acme_project, "Homepage hero")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/timer/start", {"dialog": str(card)}, htmx=True)
    assert response.status_code == 200
    dialog = response.text.split('id="card-dialog-body"', 1)[1].split('hx-swap-oob="true"', 1)[0]
    assert 'class="cd-timer running"' in dialog and "Stop" in dialog and "Start timer" not in dialog
    assert 'id="timer" hx-swap-oob="true"' in response.text  # the header timer too
    assert response.headers["hx-trigger"] == "entries-changed"  # an open timesheet redraws its entries

    stopped = await max_.post("/timer/stop", {"dialog": str(card)}, htmx=True)
    assert stopped.status_code == 200
    dialog = stopped.text.split('id="card-dialog-body"', 1)[1]
    assert "cd-timer running" not in dialog and "Start timer" in dialog
    assert await running_of(agency.max) == []


async def test_a_dialog_naming_a_card_max_cannot_see_changes_nothing(as_user: Any, agency: Agency) -> None:
    mine = await add_card(agency.acme_project, "Homepage hero")
    theirs = await add_card(agency.globex_project, "Globex login")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{mine}/timer/start", {"dialog": str(theirs)}, htmx=True)
    assert response.status_code == 404
    assert await running_of(agency.max) == []
