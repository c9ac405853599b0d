from __future__ import annotations

from typing import Any

from server.tables import Project, Sprint
from tests.conftest import Agency
from tests.sprints.conftest import SprintBoard


async def test_the_plan_shows_the_backlog_beside_the_sprint(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}/plan")
    assert response.status_code == 200
    backlog, sprint = response.text.split('id="plan-backlog"')[1].split(f'id="plan-sprint-{sprint_board.this_week}"')
    assert "Newsletter" in backlog and "Cookie banner" in backlog and "Hero copy" not in backlog
    assert "Hero copy" in sprint and "Navigation" in sprint
    assert f'ws-connect="/projects/{agency.acme_project}/ws"' in response.text  # live like the board


async def test_the_plan_compares_the_estimate_with_the_teams_capacity(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    # ACME has one member (max) giving 8 hours a week; the sprint holds 10 hours
    await Project.update({Project.weekly_capacity_hours: 8, Project.budget_hours: 100}).where(
        Project.id == agency.acme_project
    )
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}/plan?sprint={sprint_board.this_week}")
    assert "Over capacity by 2h (125%)" in response.text
    assert "Budget left" in response.text and "of 100 h" in response.text


async def test_the_plan_says_when_no_capacity_is_set(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}/plan")
    assert "No capacity set for this project." in response.text


async def test_a_sprint_of_another_project_is_not_found_on_the_plan(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    ada = await as_user("ada")
    response = await ada.get(f"/projects/{agency.acme_project}/plan?sprint={sprint_board.globex_sprint}")
    assert response.status_code == 404


async def test_cleo_sees_the_sprint_page_without_edit_controls(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    cleo = await as_user("cleo")
    response = await cleo.get(f"/sprints/{sprint_board.this_week}")
    assert response.status_code == 200
    assert "Hero copy" in response.text
    assert "/close" not in response.text and "/start" not in response.text and 'name="goal"' not in response.text
    assert "/plan" not in response.text


async def test_max_sees_start_and_close_on_a_planned_sprint(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/sprints/{sprint_board.this_week}")
    assert f'action="/sprints/{sprint_board.this_week}/start"' in response.text
    assert f'action="/sprints/{sprint_board.this_week}/close"' in response.text


async def test_the_report_draws_the_burndown_as_svg(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    max_ = await as_user("max")
    await max_.post(f"/sprints/{sprint_board.this_week}/close", {"carry": "next"})
    response = await max_.get(f"/sprints/{sprint_board.this_week}/report")
    assert response.status_code == 200
    assert response.text.count('<svg class="chart"') == 2  # burndown and velocity
    assert "Burndown: 10 h planned, 8 h remaining" in response.text
    assert "Velocity: 2 h completed per sprint on average" in response.text
    assert "Carried over" in response.text


async def test_the_report_of_an_open_sprint_shows_figures_so_far(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    cleo = await as_user("cleo")
    response = await cleo.get(f"/sprints/{sprint_board.this_week}/report")
    assert response.status_code == 200
    assert "Figures so far" in response.text and "Burndown: 10 h planned" in response.text
    assert "Velocity appears once a sprint is closed." in response.text


async def test_the_sprint_list_shows_this_week_and_next(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}/sprints")
    names = [s["name"] for s in await Sprint.select(Sprint.name).where(Sprint.project == agency.acme_project)]
    assert len(names) == 2 and all(name in response.text for name in names)
    assert "this week" in response.text
