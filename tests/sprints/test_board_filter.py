from __future__ import annotations

import re
from typing import Any

from server.tables import Sprint, Task
from tests.conftest import Agency
from tests.sprints.conftest import SprintBoard


def board_filter(html: str) -> str:
    match = re.search(r'data-sprint-filter="(\w*)"', html)
    assert match is not None
    return match.group(1)


async def test_without_an_active_sprint_the_board_shows_every_card(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}")
    assert board_filter(response.text) == "all"
    assert "Newsletter" in response.text and "Hero copy" in response.text
    assert "<style>" not in response.text.split('id="board"')[0].split("</header>")[-1]


async def test_the_board_shows_the_active_sprint_by_default(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    await Sprint.update({Sprint.state: "active"}).where(Sprint.id == sprint_board.this_week)
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}")
    assert board_filter(response.text) == "active"
    assert f'.card:not([data-sprint="{sprint_board.this_week}"]) {{ display: none; }}' in response.text
    hero = sprint_board.cards["Hero copy"]
    newsletter = sprint_board.cards["Newsletter"]
    assert re.search(rf'id="task-{hero}"[^>]*data-sprint="{sprint_board.this_week}"', response.text)
    assert re.search(rf'id="task-{newsletter}"[^>]*data-sprint=""', response.text)


async def test_the_backlog_is_one_click_away(as_user: Any, agency: Agency, sprint_board: SprintBoard) -> None:
    await Sprint.update({Sprint.state: "active"}).where(Sprint.id == sprint_board.this_week)
    max_ = await as_user("max")
    page = await max_.get(f"/projects/{agency.acme_project}")
    assert 'href="?sprint=backlog"' in page.text
    response = await max_.get(f"/projects/{agency.acme_project}?sprint=backlog")
    assert board_filter(response.text) == "backlog"


async def test_an_unknown_filter_falls_back_to_the_default(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/projects/{agency.acme_project}?sprint=<script>")
    assert response.status_code == 200 and board_filter(response.text) == "all"


async def test_quick_add_on_the_filtered_board_puts_the_card_in_the_active_sprint(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    await Sprint.update({Sprint.state: "active"}).where(Sprint.id == sprint_board.this_week)
    max_ = await as_user("max")
    page = await max_.get(f"/projects/{agency.acme_project}")
    assert f'id="sprint-target" name="sprint_target" value="{sprint_board.this_week}"' in page.text
    assert 'hx-include="#sprint-target"' in page.text  # the quick-add forms send it
    response = await max_.post(
        f"/projects/{agency.acme_project}/tasks",
        {"title": "Footer links", "column_id": sprint_board.columns["To do"], "sprint_target": sprint_board.this_week},
        htmx=True,
    )
    assert response.status_code == 200
    card = await Task.select(Task.sprint).where(Task.title == "Footer links").first()
    assert card is not None and card["sprint"] == sprint_board.this_week


async def test_quick_add_ignores_a_sprint_of_another_project(
    as_user: Any, agency: Agency, sprint_board: SprintBoard
) -> None:
    ada = await as_user("ada")
    response = await ada.post(
        f"/projects/{agency.acme_project}/tasks",
        {
            "title": "Footer links",
            "column_id": sprint_board.columns["To do"],
            "sprint_target": sprint_board.globex_sprint,
        },
        htmx=True,
    )
    assert response.status_code == 200
    card = await Task.select(Task.sprint).where(Task.title == "Footer links").first()
    assert card is not None and card["sprint"] is None
