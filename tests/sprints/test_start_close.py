from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from server.tables import Sprint
from tests.conftest import Agency
from tests.factories import add_entry, sprint_row, task_row
from tests.sprints.conftest import SprintBoard


def result_of(sprint: dict[str, Any]) -> dict[str, Any]:
    raw = sprint["result"]
    return json.loads(raw) if isinstance(raw, str) else raw


async def test_max_starts_this_weeks_sprint(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/sprints/{sprint_board.this_week}/start")
    assert response.status_code == 303
    sprint = await sprint_row(sprint_board.this_week)
    assert sprint["state"] == "active" and sprint["started_at"] is not None


async def test_a_second_sprint_cannot_start_while_one_runs(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    await max_.post(f"/sprints/{sprint_board.this_week}/start")
    response = await max_.post(f"/sprints/{sprint_board.next_week}/start")
    assert response.status_code == 409
    assert "is still running" in response.text
    assert (await sprint_row(sprint_board.next_week))["state"] == "planned"


async def test_closing_carries_unfinished_cards_to_the_next_sprint_and_records_the_result(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    hero, nav, kickoff = (sprint_board.cards[t] for t in ("Hero copy", "Navigation", "Kick-off"))
    start = datetime.combine(sprint_board.monday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    await add_entry(hero, agency.max, start, 90)
    nav_version = (await task_row(nav))["version"]
    max_ = await as_user("max")
    await max_.post(f"/sprints/{sprint_board.this_week}/start")
    response = await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "next"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/sprints/{sprint_board.this_week}/report"
    sprint = await sprint_row(sprint_board.this_week)
    result = result_of(sprint)
    assert sprint["state"] == "closed" and sprint["closed_by"] == agency.max
    assert result["planned_minutes"] == 600 and result["completed_minutes"] == 120
    assert result["logged_minutes"] == 90
    assert result["carried"] == 2 and sorted(result["carried_ids"]) == sorted([hero, nav])
    assert result["carried_to"] == "next" and result["carried_to_sprint"] == sprint_board.next_week
    assert len(result["burndown"]) == 7 and result["burndown"][-1][1] == 480
    assert (await task_row(hero))["sprint"] == sprint_board.next_week
    assert (await task_row(nav))["version"] == nav_version + 1
    assert (await task_row(kickoff))["sprint"] == sprint_board.this_week  # done cards stay with their sprint


async def test_closing_can_send_unfinished_cards_back_to_the_backlog(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    ada = await as_user("ada")
    response = await ada.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "backlog"})
    assert response.status_code == 303
    assert (await task_row(sprint_board.cards["Hero copy"]))["sprint"] is None
    assert result_of(await sprint_row(sprint_board.this_week))["carried_to"] == "backlog"


async def test_closing_twice_is_refused(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    max_ = await as_user("max")
    await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "backlog"})
    response = await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "next"})
    assert response.status_code == 409
    assert "already closed" in response.text
    assert result_of(await sprint_row(sprint_board.this_week))["carried_to"] == "backlog"


async def test_closing_without_saying_where_cards_go_rerenders_the_form(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "elsewhere"})
    assert response.status_code == 422
    assert 'id="e-carry"' in response.text and "Choose one of the options" in response.text
    assert (await sprint_row(sprint_board.this_week))["state"] == "planned"


async def test_closing_the_last_sprint_creates_the_week_after_for_its_cards(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    await Sprint.update({Sprint.state: "closed"}).where(Sprint.id == sprint_board.next_week)
    max_ = await as_user("max")
    await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "next"})
    target = (await task_row(sprint_board.cards["Hero copy"]))["sprint"]
    created = await sprint_row(target)
    assert created["starts_on"] == sprint_board.monday + timedelta(days=14)
    assert created["state"] == "planned"


async def test_max_sets_the_sprint_goal(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/sprints/{sprint_board.this_week}/goal", {"goal": "Ship the <new> homepage"})
    assert response.status_code == 303
    assert (await sprint_row(sprint_board.this_week))["goal"] == "Ship the <new> homepage"
    page = await max_.get(f"/sprints/{sprint_board.this_week}")
    assert "Ship the &lt;new&gt; homepage" in page.text


async def test_a_goal_too_long_is_refused_beside_the_field(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/sprints/{sprint_board.this_week}/goal", {"goal": "x" * 1001})
    assert response.status_code == 422
    assert 'id="e-goal"' in response.text
    assert (await sprint_row(sprint_board.this_week))["goal"] == ""


async def test_cleo_cannot_close_a_sprint(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    cleo = await as_user("cleo")
    response = await cleo.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "next"})
    assert response.status_code == 403
    assert (await sprint_row(sprint_board.this_week))["state"] == "planned"


async def test_cole_cannot_see_an_acme_sprint(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    cole = await as_user("cole")
    assert (await cole.get(f"/sprints/{sprint_board.this_week}")).status_code == 404
    assert (await cole.get(f"/sprints/{sprint_board.this_week}/report")).status_code == 404
