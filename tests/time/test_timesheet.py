"""The weekly timesheet: tasks by Monday–Sunday in the agency's time zone, daily and weekly totals,
billable and non-billable apart; one's own, or anyone's for an admin."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import Agency, Browser
from tests.factories import add_card, add_cards, add_entry
from tests.time.conftest import app_in

MONDAY = datetime.now(UTC).date() - timedelta(days=datetime.now(UTC).weekday() + 14)  # two weeks ago


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def grid(response: httpx.Response) -> dict[str, list[str]]:
    """The timesheet table as {first cell: [the other cells' text]}: one key per task and per total."""
    table = response.text.split('<table class="table timesheet">', 1)[1].split("</table>", 1)[0]
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[" ".join(cells[0].split())] = [" ".join(c.split()) for c in cells[1:]]
    return rows


async def week_of_work(agency: Agency) -> tuple[int, int]:
    hero, footer = await add_cards(agency.acme_project, "Hero", "Footer")
    await add_entry(hero, agency.max, at(MONDAY, 9), 60)
    await add_entry(hero, agency.max, at(MONDAY + timedelta(days=1), 9), 30, billable=False)
    await add_entry(footer, agency.max, at(MONDAY, 11), 45)
    await add_entry(footer, agency.max, at(MONDAY + timedelta(days=6), 22), 90)  # Sunday night
    await add_entry(footer, agency.max, at(MONDAY + timedelta(days=7), 9), 240)  # next week's Monday
    await add_entry(hero, agency.mia, at(MONDAY, 9), 480)  # someone else's
    return hero, footer


async def test_the_week_grid_shows_tasks_by_day_with_totals(as_user: Any, agency: Agency) -> None:
    await week_of_work(agency)
    response = await (await as_user("max")).get(f"/timesheet?week={MONDAY.isoformat()}")
    assert response.status_code == 200
    rows = grid(response)
    dot = "·"
    assert rows["ACME-1 Hero"] == ["1h", "30m", dot, dot, dot, dot, dot, "1h 30m"]
    assert rows["ACME-2 Footer"] == ["45m", dot, dot, dot, dot, dot, "1h 30m", "2h 15m"]
    assert rows["Billable"] == ["1h 45m", "", "", "", "", "", "1h 30m", "3h 15m"]
    assert rows["Non-billable"] == ["", "30m", "", "", "", "", "", "30m"]
    assert rows["Total"][-8:] == ["1h 45m", "30m", "", "", "", "", "1h 30m", "3h 45m"]


async def test_the_grid_has_monday_to_sunday_columns(as_user: Any, agency: Agency) -> None:
    response = await (await as_user("max")).get(f"/timesheet?week={MONDAY.isoformat()}")
    header = grid(response)["Task"]
    assert len(header) == 8 and header[-1] == "Total"
    assert header[0].startswith(("Mon", str(MONDAY.day)))  # the locale decides the format; the day is there
    assert str(MONDAY.day) in header[0] and str((MONDAY + timedelta(days=6)).day) in header[6]


async def test_a_running_timer_is_listed_but_not_counted(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Now")
    await add_entry(card, agency.max, datetime.now(UTC) - timedelta(minutes=5), None)
    response = await (await as_user("max")).get("/timesheet")
    assert "running" in response.text
    assert grid(response)["Total"][-1] == "0m"


async def test_week_navigation_shows_that_weeks_entries(as_user: Any, agency: Agency) -> None:
    await week_of_work(agency)
    max_ = await as_user("max")
    next_monday = MONDAY + timedelta(days=7)
    this_week = await max_.get(f"/timesheet?week={MONDAY.isoformat()}")
    assert f'href="/timesheet?week={next_monday.isoformat()}" rel="next"' in this_week.text
    assert f'href="/timesheet?week={(MONDAY - timedelta(days=7)).isoformat()}" rel="prev"' in this_week.text
    following = await max_.get(f"/timesheet?week={next_monday.isoformat()}")
    assert grid(following)["ACME-2 Footer"][0] == "4h"
    assert grid(following)["Total"][-1] == "4h"
    assert "ACME-1 Hero" not in grid(following)


async def test_any_day_of_a_week_opens_that_week(as_user: Any, agency: Agency) -> None:
    await week_of_work(agency)
    wednesday = MONDAY + timedelta(days=2)
    response = await (await as_user("max")).get(f"/timesheet?week={wednesday.isoformat()}")
    assert grid(response)["Total"][-1] == "3h 45m"


async def test_a_malformed_week_is_404(as_user: Any, agency: Agency) -> None:
    assert (await (await as_user("max")).get("/timesheet?week=last-tuesday")).status_code == 404


async def test_ada_opens_maxs_timesheet(as_user: Any, agency: Agency) -> None:
    await week_of_work(agency)
    response = await (await as_user("ada")).get(f"/timesheet?week={MONDAY.isoformat()}&person={agency.max}")
    assert response.status_code == 200
    assert "Timesheet of Max Member" in response.text
    assert grid(response)["Total"][-1] == "3h 45m"


async def test_max_cannot_open_mias_timesheet(as_user: Any, agency: Agency) -> None:
    await week_of_work(agency)
    max_ = await as_user("max")
    assert (await max_.get(f"/timesheet?person={agency.mia}")).status_code == 404
    own = await max_.get(f"/timesheet?week={MONDAY.isoformat()}&person={agency.max}")
    assert own.status_code == 200 and "Your timesheet" in own.text


async def test_ada_cannot_open_a_client_users_timesheet(as_user: Any, agency: Agency) -> None:
    assert (await (await as_user("ada")).get(f"/timesheet?person={agency.cleo}")).status_code == 404


async def test_clients_have_no_timesheet(as_user: Any, agency: Agency) -> None:
    assert (await (await as_user("cleo")).get("/timesheet")).status_code == 404
    assert (await (await as_user("cole")).get("/timesheet")).status_code == 404


async def test_a_locked_week_says_so(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    await ada.post("/timesheet/locks", {"person": agency.max, "week": MONDAY.isoformat()})
    response = await (await as_user("max")).get(f"/timesheet?week={MONDAY.isoformat()}")
    assert "This week is locked for Max Member." in html.unescape(response.text)


# ---- the agency's time zone ----------------------------------------------------------------------


@pytest.fixture
async def auckland() -> AsyncIterator[Any]:
    """The app as an agency in Auckland runs it (UTC+12 or +13)."""
    async with app_in("Pacific/Auckland") as application:
        yield application


async def test_week_boundaries_follow_the_agencys_time_zone(auckland: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Late")
    sunday_evening_utc = at(MONDAY - timedelta(days=1), 20)  # Monday morning in Auckland
    await add_entry(card, agency.max, sunday_evening_utc, 60)
    client = Browser(auckland)
    try:
        assert (await client.login("max@agency.test")).status_code == 303
        in_auckland = grid(await client.get(f"/timesheet?week={MONDAY.isoformat()}"))
        before = grid(await client.get(f"/timesheet?week={(MONDAY - timedelta(days=7)).isoformat()}"))
    finally:
        await client.aclose()
    assert in_auckland["ACME-1 Late"][0] == "1h"  # on Monday, not the Sunday before
    assert before["Total"][-1] == "0m"


async def test_in_utc_the_same_entry_falls_on_the_sunday_before(as_user: Any, agency: Agency) -> None:
    card = await add_card(agency.acme_project, "Late")
    await add_entry(card, agency.max, at(MONDAY - timedelta(days=1), 20), 60)
    max_ = await as_user("max")
    before = grid(await max_.get(f"/timesheet?week={(MONDAY - timedelta(days=7)).isoformat()}"))
    assert before["ACME-1 Late"][6] == "1h"
    assert grid(await max_.get(f"/timesheet?week={MONDAY.isoformat()}"))["Total"][-1] == "0m"
