"""Manual entries on the timesheet: good input saved in UTC from the agency's local time, every bad
input refused beside its field with nothing written; deleting; the grid's in-place cells."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.tables import TimeEntry
from tests.conftest import Agency, Browser
from tests.factories import add_card, add_entry
from tests.time.conftest import app_in, entries_of

TODAY = datetime.now(UTC).date()
DAY = TODAY - timedelta(days=15)  # a day safely in the past, in no week anyone has locked


def at(day: date, hour: int, minute: int = 0, tz: str = "UTC") -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def error_beside(response: httpx.Response, field: str) -> str:
    """The message shown under a field of the log-time form (inside the field's own box)."""
    box = response.text.split(f'id="f-{field}"', 1)[1].split("</div>", 1)[0]
    match = re.search(r'<p class="error"[^>]*>([^<]*)</p>', box)
    assert match, f"no error beside {field}"
    return html.unescape(match.group(1))


def page_alert(response: httpx.Response) -> str:
    match = re.search(r'<p class="alert alert-error" role="alert">([^<]*)</p>', response.text)
    assert match, "no alert on the page"
    return html.unescape(match.group(1))


async def log(client: Browser, task: int, day: date = DAY, **fields: Any) -> httpx.Response:
    return await client.post("/timesheet/entries", {"task": task, "date": day.isoformat(), "billable": "on", **fields})


@pytest.fixture
async def card(agency: Agency) -> int:
    card_id = await add_card(agency.acme_project, "Homepage hero")
    return card_id


async def test_max_logs_a_start_and_end_in_utc(as_user: Any, agency: Agency, card: int) -> None:
    max_ = await as_user("max")
    response = await log(max_, card, start="09:15", end="10:45", note="Kick-off")
    assert response.status_code == 303
    assert response.headers["location"] == f"/timesheet?week={(DAY - timedelta(days=DAY.weekday())).isoformat()}"
    (entry,) = await entries_of(agency.max)
    assert entry["started_at"] == at(DAY, 9, 15) and entry["ended_at"] == at(DAY, 10, 45)
    assert entry["minutes"] == 90 and entry["note"] == "Kick-off" and entry["billable"] is True
    assert entry["task"] == card and entry["project"] == agency.acme_project


@pytest.mark.parametrize("typed", ["1:30", "1h30", "1.5h", "90m", "90", "1h 30m", "1,5 h"])
async def test_a_duration_is_read_the_way_people_type_it(as_user: Any, agency: Agency, card: int, typed: str) -> None:
    response = await log(await as_user("max"), card, duration=typed)
    assert response.status_code == 303
    (entry,) = await entries_of(agency.max)
    assert entry["minutes"] == 90
    assert entry["ended_at"] - entry["started_at"] == timedelta(minutes=90)


async def test_a_duration_without_times_goes_after_that_days_last_entry(
    as_user: Any, agency: Agency, card: int
) -> None:
    await add_entry(card, agency.max, at(DAY, 9), 60)
    await add_entry(card, agency.max, at(DAY, 11), 30)
    max_ = await as_user("max")
    assert (await log(max_, card, duration="45m")).status_code == 303  # after 11:30, not in the 10:00 gap
    assert (await log(max_, card, duration="1h")).status_code == 303
    placed = [(e["started_at"], e["ended_at"]) for e in (await entries_of(agency.max))[2:]]
    assert placed == [(at(DAY, 11, 30), at(DAY, 12, 15)), (at(DAY, 12, 15), at(DAY, 13, 15))]


async def test_a_duration_typed_on_a_quiet_day_today_ends_now_not_at_an_invented_nine(
    as_user: Any, agency: Agency, card: int
) -> None:
    max_ = await as_user("max")
    before = datetime.now(UTC)
    today = before.date()  # now, not when the module was imported: a run may cross midnight
    response = await log(max_, card, today, duration="1h30")
    after = datetime.now(UTC)
    if before - timedelta(minutes=90) < at(today, 0):  # just after midnight: it would end in the future
        assert response.status_code == 422
        return
    assert response.status_code == 303
    (entry,) = await entries_of(agency.max)
    assert before - timedelta(seconds=61) <= entry["ended_at"] <= after + timedelta(seconds=1)
    assert entry["ended_at"] - entry["started_at"] == timedelta(minutes=90)


async def test_a_billable_box_left_unticked_logs_non_billable_time(as_user: Any, agency: Agency, card: int) -> None:
    max_ = await as_user("max")
    await max_.post("/timesheet/entries", {"task": card, "date": DAY.isoformat(), "duration": "30"})
    (entry,) = await entries_of(agency.max)
    assert entry["billable"] is False


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"duration": "0"}, "duration", "An entry lasts at least one minute."),
        ({"start": "10:00", "end": "10:00"}, "end", "An entry lasts at least one minute."),
        ({"start": "11:00", "end": "10:00"}, "end", "The end is before the start."),
        ({"duration": "-30"}, "duration", "Type a duration like 1:30"),
        ({"duration": "25h"}, "duration", "An entry lasts at most 24 hours."),
        ({"duration": "soon"}, "duration", "Type a duration like 1:30"),
        ({"start": "25:00", "end": "26:00"}, "start", "Enter a time like 09:30."),
        ({"start": "9", "end": "noon"}, "end", "Enter a time like 09:30."),
        ({"date": "2026-13-01", "duration": "1h"}, "date", "Enter a date like"),
        ({"date": "", "duration": "1h"}, "date", "Enter a date like"),
        ({}, "duration", "Enter a duration, or a start and an end time."),
        ({"task": "", "duration": "1h"}, "task", "This field is required."),
    ],
)
async def test_bad_input_answers_422_beside_the_field_and_writes_nothing(
    as_user: Any, agency: Agency, card: int, fields: dict[str, str], field: str, message: str
) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        "/timesheet/entries", {"task": card, "date": DAY.isoformat(), "billable": "on", **fields}
    )
    assert response.status_code == 422
    assert error_beside(response, field).startswith(message)
    assert await TimeEntry.count() == 0


async def test_an_entry_ending_over_5_minutes_from_now_is_refused(as_user: Any, agency: Agency, card: int) -> None:
    later = datetime.now(UTC) + timedelta(minutes=10)
    response = await log(await as_user("max"), card, later.date(), start=later.strftime("%H:%M"), duration="30m")
    assert response.status_code == 422
    assert error_beside(response, "duration") == "An entry cannot end more than 5 minutes from now."
    assert await TimeEntry.count() == 0


async def test_an_entry_ending_just_now_is_accepted(as_user: Any, agency: Agency, card: int) -> None:
    earlier = datetime.now(UTC) - timedelta(minutes=31)
    response = await log(await as_user("max"), card, earlier.date(), start=earlier.strftime("%H:%M"), duration="30")
    assert response.status_code == 303
    assert await TimeEntry.count() == 1


async def test_an_overlap_is_refused_naming_the_other_entry(as_user: Any, agency: Agency, card: int) -> None:
    other = await add_entry(card, agency.max, at(DAY, 9), 60)
    response = await log(await as_user("max"), card, start="09:30", end="10:30")
    assert response.status_code == 422
    message = error_beside(response, "duration")
    assert f"#{other}" in message and "overlaps" in message
    assert [e["id"] for e in await entries_of(agency.max)] == [other]


async def test_an_overlap_with_a_running_timer_is_refused(as_user: Any, agency: Agency, card: int) -> None:
    started = datetime.now(UTC) - timedelta(hours=2)
    timer = await add_entry(card, agency.max, started, None)
    later = started + timedelta(minutes=30)
    response = await log(await as_user("max"), card, later.date(), start=later.strftime("%H:%M"), duration="15")
    assert response.status_code == 422
    assert f"#{timer}" in error_beside(response, "duration")
    assert await TimeEntry.count() == 1


async def test_entries_touching_end_to_start_are_both_kept(as_user: Any, agency: Agency, card: int) -> None:
    await add_entry(card, agency.max, at(DAY, 9), 60)
    response = await log(await as_user("max"), card, start="10:00", end="11:00")
    assert response.status_code == 303
    assert await TimeEntry.count() == 2


async def test_another_persons_entries_do_not_count_as_an_overlap(as_user: Any, agency: Agency, card: int) -> None:
    await add_entry(card, agency.ada, at(DAY, 9), 60)
    assert (await log(await as_user("max"), card, start="09:00", end="10:00")).status_code == 303


async def test_a_week_ada_locked_for_max_refuses_his_entries(as_user: Any, agency: Agency, card: int) -> None:
    ada = await as_user("ada")
    locked = await ada.post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})
    assert locked.status_code == 303
    response = await log(await as_user("max"), card, duration="1h")
    assert response.status_code == 422
    assert "That week is locked" in page_alert(response)
    assert await TimeEntry.count() == 0


async def test_a_clients_locked_week_refuses_entries_on_its_projects_only(as_user: Any, agency: Agency) -> None:
    acme_card = await add_card(agency.acme_project, "Acme card")
    globex_card = await add_card(agency.globex_project, "Globex card")
    ada = await as_user("ada")
    assert (await ada.post("/timesheet/locks", {"client": agency.acme, "week": DAY.isoformat()})).status_code == 303
    refused = await log(ada, acme_card, duration="1h")
    assert refused.status_code == 422 and "That week is locked" in page_alert(refused)
    assert (await log(ada, globex_card, duration="1h")).status_code == 303
    assert [e["task"] for e in await entries_of(agency.ada)] == [globex_card]


async def test_the_week_after_a_locked_week_is_open(as_user: Any, agency: Agency, card: int) -> None:
    ada = await as_user("ada")
    await ada.post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})
    next_week = DAY + timedelta(days=7)
    assert (await log(await as_user("max"), card, next_week, duration="1h")).status_code == 303


async def test_members_cannot_lock_weeks(as_user: Any, agency: Agency, card: int) -> None:
    max_ = await as_user("max")
    assert (await max_.post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})).status_code == 404
    assert (await log(max_, card, duration="1h")).status_code == 303


async def test_mia_cannot_log_time_on_a_task_she_cannot_see(as_user: Any, agency: Agency, card: int) -> None:
    response = await log(await as_user("mia"), card, duration="1h")
    assert response.status_code == 404
    assert await TimeEntry.count() == 0


async def test_max_cannot_log_time_for_mia(as_user: Any, agency: Agency, card: int) -> None:
    response = await log(await as_user("max"), card, duration="1h", person=agency.mia)
    assert response.status_code == 404
    assert await TimeEntry.count() == 0


async def test_cleo_cannot_log_time(as_user: Any, agency: Agency, card: int) -> None:
    response = await log(await as_user("cleo"), card, duration="1h")
    assert response.status_code == 404
    assert await TimeEntry.count() == 0


async def test_ada_logs_time_for_max(as_user: Any, agency: Agency, card: int) -> None:
    response = await log(await as_user("ada"), card, duration="1h", person=agency.max)
    assert response.status_code == 303
    assert f"&person={agency.max}" in response.headers["location"]
    (entry,) = await entries_of(agency.max)
    assert entry["minutes"] == 60


# ---- another time zone ----------------------------------------------------------------------------


@pytest.fixture
async def tokyo() -> AsyncIterator[Any]:
    """The app as an agency in Tokyo runs it (UTC+9, no daylight saving)."""
    async with app_in("Asia/Tokyo") as application:
        yield application


async def signed_in(application: Any, email: str) -> Browser:
    client = Browser(application)
    assert (await client.login(email)).status_code == 303
    return client


async def test_local_times_are_stored_in_utc_for_the_agencys_time_zone(tokyo: Any, agency: Agency, card: int) -> None:
    max_ = await signed_in(tokyo, "max@agency.test")
    try:
        assert (await log(max_, card, start="08:00", end="09:30")).status_code == 303
        assert (await log(max_, card, duration="1h")).status_code == 303
    finally:
        await max_.aclose()
    by_hand, placed = await entries_of(agency.max)
    assert by_hand["started_at"] == at(DAY, 8, tz="Asia/Tokyo") == at(DAY - timedelta(days=1), 23)
    assert by_hand["ended_at"] == at(DAY, 0, 30)
    assert placed["started_at"] == at(DAY, 9, 30, tz="Asia/Tokyo")  # from 09:00 local, after 08:00–09:30


# ---- deleting ---------------------------------------------------------------------------------------


async def test_max_deletes_his_own_entry(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 60)
    response = await (await as_user("max")).post(f"/entries/{entry}/delete")
    assert response.status_code == 303
    assert await TimeEntry.count() == 0


async def test_max_cannot_delete_adas_entry(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.ada, at(DAY, 9), 60)
    assert (await (await as_user("max")).post(f"/entries/{entry}/delete")).status_code == 404
    assert await TimeEntry.count() == 1


async def test_mia_cannot_delete_an_entry_on_a_project_she_is_not_on(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 60)
    assert (await (await as_user("mia")).post(f"/entries/{entry}/delete")).status_code == 404
    assert await TimeEntry.count() == 1


async def test_ada_deletes_anyones_entry(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 60)
    response = await (await as_user("ada")).post(f"/entries/{entry}/delete")
    assert response.status_code == 303
    assert f"person={agency.max}" in response.headers["location"]
    assert await TimeEntry.count() == 0


async def test_a_locked_entry_cannot_be_deleted_even_by_ada(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 60, locked=True)
    response = await (await as_user("ada")).post(f"/entries/{entry}/delete")
    assert response.status_code == 409
    assert "finalised billing summary" in page_alert(response)
    assert await TimeEntry.count() == 1


async def test_an_entry_in_a_locked_week_cannot_be_deleted(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 60)
    await (await as_user("ada")).post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})
    response = await (await as_user("max")).post(f"/entries/{entry}/delete")
    assert response.status_code == 409
    assert "That week is locked" in page_alert(response)
    assert await TimeEntry.count() == 1


async def test_an_unlocked_week_accepts_entries_again(as_user: Any, agency: Agency, card: int) -> None:
    ada = await as_user("ada")
    await ada.post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})
    max_ = await as_user("max")
    assert (await log(max_, card, duration="1h")).status_code == 422
    page = await ada.get(f"/timesheet?week={DAY.isoformat()}&person={agency.max}")
    (lock_id,) = re.findall(r'action="/timesheet/locks/(\d+)/delete"', page.text)
    assert (await ada.post(f"/timesheet/locks/{lock_id}/delete")).status_code == 303
    assert (await log(max_, card, duration="1h")).status_code == 303


# ---- the grid's cells -------------------------------------------------------------------------------


async def set_cell(client: Browser, task: int, person: int, duration: str, day: date = DAY) -> httpx.Response:
    data = {"task": task, "day": day.isoformat(), "person": person, "duration": duration}
    return await client.post("/timesheet/cell", data, htmx=True)


async def test_a_cell_opens_as_an_input_with_the_days_time(as_user: Any, agency: Agency, card: int) -> None:
    await add_entry(card, agency.max, at(DAY, 9), 90)
    max_ = await as_user("max")
    response = await max_.get(
        f"/timesheet/cell?task={card}&day={DAY.isoformat()}&person={agency.max}", headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    assert 'name="duration" value="1:30"' in response.text


async def test_a_cell_creates_changes_and_clears_the_days_entry(as_user: Any, agency: Agency, card: int) -> None:
    max_ = await as_user("max")
    created = await set_cell(max_, card, agency.max, "2h")
    assert created.status_code == 200
    assert 'id="timesheet"' in created.text
    (entry,) = await entries_of(agency.max)
    # a quiet past day: it ends at this time of day (rules.placing), not at an invented 9:00
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    ends = max(datetime.combine(DAY, now.time(), tzinfo=UTC), at(DAY, 2))
    assert ends - timedelta(minutes=1) <= entry["ended_at"] <= ends and entry["minutes"] == 120
    assert (await set_cell(max_, card, agency.max, "45m")).status_code == 200
    (changed,) = await entries_of(agency.max)
    assert changed["id"] == entry["id"] and changed["minutes"] == 45
    assert changed["ended_at"] == entry["started_at"] + timedelta(minutes=45)
    assert (await set_cell(max_, card, agency.max, "0")).status_code == 200
    assert await entries_of(agency.max) == []


async def test_a_cell_with_several_entries_refuses_to_change(as_user: Any, agency: Agency, card: int) -> None:
    await add_entry(card, agency.max, at(DAY, 9), 30)
    await add_entry(card, agency.max, at(DAY, 14), 30)
    before = await entries_of(agency.max)
    response = await set_cell(await as_user("max"), card, agency.max, "2h")
    assert response.status_code == 422
    assert "This day has 2 entries for this task" in page_alert(response)
    assert await entries_of(agency.max) == before


async def test_a_cell_in_a_locked_week_refuses_to_change(as_user: Any, agency: Agency, card: int) -> None:
    entry = await add_entry(card, agency.max, at(DAY, 9), 30)
    await (await as_user("ada")).post("/timesheet/locks", {"person": agency.max, "week": DAY.isoformat()})
    response = await set_cell(await as_user("max"), card, agency.max, "2h")
    assert response.status_code == 422
    assert "That week is locked" in page_alert(response)
    (unchanged,) = await entries_of(agency.max)
    assert unchanged["id"] == entry and unchanged["minutes"] == 30


async def test_a_cell_refuses_a_malformed_duration(as_user: Any, agency: Agency, card: int) -> None:
    response = await set_cell(await as_user("max"), card, agency.max, "lots")
    assert response.status_code == 422
    assert "Type a duration like" in page_alert(response)
    assert await TimeEntry.count() == 0


async def test_max_cannot_set_a_cell_of_mias_timesheet(as_user: Any, agency: Agency, card: int) -> None:
    max_ = await as_user("max")
    assert (await set_cell(max_, card, agency.mia, "1h")).status_code == 404
    assert (await max_.get(f"/timesheet/cell?task={card}&day={DAY.isoformat()}&person={agency.mia}")).status_code == 404
    assert await TimeEntry.count() == 0


async def test_ada_sets_a_cell_of_maxs_timesheet(as_user: Any, agency: Agency, card: int) -> None:
    assert (await set_cell(await as_user("ada"), card, agency.max, "1:15")).status_code == 200
    (entry,) = await entries_of(agency.max)
    assert entry["minutes"] == 75
