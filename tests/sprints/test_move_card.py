from __future__ import annotations

from typing import Any

from server.tables import Activity, Project
from tests.conftest import Agency
from tests.factories import task_row
from tests.sprints.conftest import SprintBoard


async def seq(project_id: int) -> int:
    row = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    assert row is not None
    return int(row["event_seq"])


async def test_max_plans_a_backlog_card_into_the_sprint(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    card = sprint_board.cards["Newsletter"]
    before = await task_row(card)
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/sprint", {"sprint_id": sprint_board.this_week}, htmx=True)
    assert response.status_code == 200
    after = await task_row(card)
    assert after["sprint"] == sprint_board.this_week
    assert after["version"] == before["version"] + 1
    # the lists and totals come back, swapped by id
    assert 'id="plan-backlog"' in response.text and f'id="plan-sprint-{sprint_board.this_week}"' in response.text
    assert f'id="plan-totals-{sprint_board.this_week}"' in response.text


async def test_a_sprint_move_is_a_numbered_board_event_in_the_activity_log(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    card = sprint_board.cards["Hero copy"]
    before = await seq(agency.acme_project)
    max_ = await as_user("max")
    await max_.post(f"/tasks/{card}/sprint", {"sprint_id": ""}, htmx=True)
    assert (await task_row(card))["sprint"] is None
    entry = (
        await Activity.select()
        .where(Activity.project == agency.acme_project)
        .order_by(Activity.seq, ascending=False)
        .first()
    )
    assert entry is not None
    assert entry["verb"] == "sprint_changed" and entry["seq"] == before + 1 == await seq(agency.acme_project)
    assert entry["task"] == card


async def test_moving_a_card_where_it_already_is_writes_nothing(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    card = sprint_board.cards["Newsletter"]
    before = await seq(agency.acme_project)
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/sprint", {"sprint_id": ""}, htmx=True)
    assert response.status_code == 200
    assert await seq(agency.acme_project) == before


async def test_a_sprint_of_another_project_is_refused(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    card = sprint_board.cards["Newsletter"]
    before = await seq(agency.acme_project)
    ada = await as_user("ada")
    response = await ada.post(f"/tasks/{card}/sprint", {"sprint_id": sprint_board.globex_sprint}, htmx=True)
    assert response.status_code == 422
    assert "Choose a sprint of this project" in response.text
    assert (await task_row(card))["sprint"] is None
    assert await seq(agency.acme_project) == before


async def test_a_malformed_sprint_id_is_refused(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    card = sprint_board.cards["Newsletter"]
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/sprint", {"sprint_id": "12abc"}, htmx=True)
    assert response.status_code == 422
    assert (await task_row(card))["sprint"] is None


async def test_a_stale_version_is_refused(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    card = sprint_board.cards["Newsletter"]
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/sprint", {"sprint_id": sprint_board.this_week, "version": 99}, htmx=True)
    assert response.status_code == 409
    assert (await task_row(card))["sprint"] is None


async def test_cleo_cannot_plan_cards(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    card = sprint_board.cards["Newsletter"]
    cleo = await as_user("cleo")
    response = await cleo.post(f"/tasks/{card}/sprint", {"sprint_id": sprint_board.this_week})
    assert response.status_code == 403
    assert (await task_row(card))["sprint"] is None


async def test_without_htmx_the_move_redirects_to_the_plan(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    card = sprint_board.cards["Newsletter"]
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/sprint", {"sprint_id": sprint_board.next_week})
    assert response.status_code == 303
    assert response.headers["location"] == f"/projects/{agency.acme_project}/plan?sprint={sprint_board.next_week}"
