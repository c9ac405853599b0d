"""Bad input answers a 4xx a person (or a script) understands, never a 500: out-of-range numbers in
query strings, dates outside 2000–2100, odd paths, deeply nested JSON and OPTIONS on the API."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from server.boards.sockets import _after
from tests.billing.helpers import computed_summary
from tests.conftest import Agency, Browser
from tests.factories import add_card

HUGE = "99999999999"


# ---- integers in query strings: bounded like path ids ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/timesheet?person={HUGE}",
        "/timesheet?person=-99999999999999999999",
        "/timesheet?person=0",
        f"/timesheet/cell?task={HUGE}&day=2026-11-23",
        "/timesheet/cell?task=-1&day=2026-11-23",
        "/projects/{acme}/changes?after=-99999999999999999999",
        f"/projects/{{acme}}/changes?after={HUGE}",
        f"/projects/{{acme}}/plan?sprint={HUGE}",
        "/projects/{acme}/plan?sprint=-5",
    ],
)
async def test_an_out_of_range_number_in_a_query_is_a_4xx(as_user: Any, agency: Agency, path: str) -> None:
    ada = await as_user("ada")
    response = await ada.get(path.format(acme=agency.acme_project))
    assert 400 <= response.status_code < 500, response.text[:500]


async def test_the_board_changes_still_answer_a_number_in_range(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    await add_card(agency.acme_project, "Hero copy")
    assert (await ada.get(f"/projects/{agency.acme_project}/changes?after=-1")).status_code == 200
    assert (await ada.get(f"/projects/{agency.acme_project}/changes?after=2147483647")).status_code == 304


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('{"after": 3}', 3),
        ('{"after": "4"}', 4),
        ('{"after": -1}', -1),
        ('{"after": -99999999999999999999}', None),
        ('{"after": 99999999999}', None),
        ('{"after": "99999999999999999999999999"}', None),
        ('{"after": "²"}', None),
        ('{"after": true}', None),
        ('{"after": 1.5}', None),
        ("[1]", None),
    ],
)
def test_the_board_socket_reads_only_an_event_number_in_range(message: str, expected: int | None) -> None:
    assert _after(message) == expected


# ---- dates outside 2000–2100 --------------------------------------------------------------------


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
async def test_a_week_outside_the_years_is_a_422_with_the_fields_message(as_user: Any, week: str) -> None:
    ada = await as_user("ada")
    response = await ada.get(f"/timesheet?week={week}")
    assert response.status_code == 422
    assert "between 2000 and 2100" in response.text


async def test_a_timesheet_cell_on_9999_12_31_is_refused(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    task = await add_card(agency.acme_project, "Hero copy")
    shown = await ada.get(f"/timesheet/cell?task={task}&day=9999-12-31")
    assert shown.status_code == 422 and "between 2000 and 2100" in shown.text
    posted = await ada.post("/timesheet/cell", {"task": str(task), "day": "9999-12-31", "duration": "1h"})
    assert posted.status_code == 422 and "between 2000 and 2100" in posted.text


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
async def test_an_entry_on_a_day_outside_the_years_is_refused(as_user: Any, agency: Agency, day: str) -> None:
    ada = await as_user("ada")
    task = await add_card(agency.acme_project, "Hero copy")
    response = await ada.post("/timesheet/entries", {"task": str(task), "date": day, "duration": "1h"})
    assert response.status_code == 422
    assert "between 2000 and 2100" in response.text


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
async def test_a_lock_on_a_week_outside_the_years_is_refused(as_user: Any, agency: Agency, week: str) -> None:
    ada = await as_user("ada")
    response = await ada.post("/timesheet/locks", {"week": week, "person": str(agency.max)})
    assert response.status_code == 422
    assert "between 2000 and 2100" in response.text


# ---- odd paths, bodies and methods --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/static/app.css%00.js", "/static/app.css%00", "/static/%00"])
async def test_a_nul_in_a_static_path_is_not_found(as_user: Any, path: str) -> None:
    ada = await as_user("ada")
    assert (await ada.get(path)).status_code == 404


async def test_deeply_nested_json_on_the_api_is_a_400(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    task = await add_card(agency.acme_project, "Hero copy")
    body = "[" * 100_000 + "]" * 100_000
    response = await ada.http.patch(
        f"/api/tasks/{task}",
        content=body,
        headers={"content-type": "application/json", "x-csrftoken": ada.csrf},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/api/projects", "/api/tasks/1", "/api/tasks/1/move", "/api/billing/summaries"])
async def test_options_on_the_api_is_never_a_server_error(as_user: Any, path: str) -> None:
    ada = await as_user("ada")
    response = await ada.http.options(path)
    assert response.status_code in {204, 405}, response.text[:300]
    if response.status_code == 204:
        assert response.content == b""


# ---- downloads say what they are, once ----------------------------------------------------------


@pytest.mark.parametrize("name", ["entries.csv", "totals.csv"])
@pytest.mark.parametrize("prefix", ["", "/api"])
async def test_a_csv_download_declares_its_charset_once(as_user: Any, agency: Agency, name: str, prefix: str) -> None:
    ada = await as_user("ada")
    summary = await computed_summary(agency.acme, date(2026, 11, 1), date(2026, 11, 30), requested_by=agency.ada)
    response = await ada.get(f"{prefix}/billing/summaries/{summary}/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"


async def test_the_summary_json_download_is_json(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    summary = await computed_summary(agency.acme, date(2026, 11, 1), date(2026, 11, 30), requested_by=agency.ada)
    for prefix in ("", "/api"):
        response = await ada.get(f"{prefix}/billing/summaries/{summary}/summary.json")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert json.loads(response.content)["summary"]["id"] == summary


async def test_options_on_any_route_is_never_a_server_error(app: Any, browser: Browser) -> None:
    concrete = {re.sub(r"\{[^}]+\}", "1", route.path_format) for route in app.routes}
    answers = {path: (await browser.http.options(path)).status_code for path in concrete}
    assert not {path: status for path, status in answers.items() if status >= 500}
