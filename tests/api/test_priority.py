"""Priority and the important mark through the JSON API: read on every card, changed by PATCH with the
dialog's validation (a bad level is 422 naming `priority`, nothing stored), the board sorted by
priority on request without touching ranks, and a client's token reads but cannot change them."""

from __future__ import annotations

from typing import Any

import pytest

from server.rules.priority import Priority
from server.tables import Activity, Task
from tests.api.conftest import Boards
from tests.conftest import Agency
from tests.factories import add_card, task_row


async def test_cards_carry_their_priority_and_mark(as_script: Any, agency: Agency, boards: Boards) -> None:
    max_ = await as_script("max")
    card = (await max_.get(f"/api/tasks/{boards.homepage}")).json()
    assert (card["priority"], card["important"]) == ("none", False)


async def test_a_patch_sets_them_and_the_card_comes_back_changed(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(
        f"/api/tasks/{boards.homepage}", json={"version": 1, "priority": "high", "important": True}
    )
    assert response.status_code == 200, response.text
    card = response.json()
    assert (card["priority"], card["important"], card["version"]) == ("high", True, 2)
    row = await task_row(boards.homepage)
    assert (row["priority"], row["important"]) == (Priority.HIGH, True)
    logged = (
        await Activity.select().where(Activity.task == boards.homepage).order_by(Activity.seq).output(load_json=True)
    )
    assert logged[-1]["data"] == {"fields": ["important", "priority"], "priority": 3, "important": True}
    again = (await max_.get(f"/api/tasks/{boards.homepage}")).json()
    assert (again["priority"], again["important"]) == ("high", True)


@pytest.mark.parametrize("bad", ["extreme", "", "HIGH!", 3, None, True, ["high"]])
async def test_a_priority_that_is_not_a_level_is_refused_naming_the_field(
    as_script: Any, boards: Boards, bad: Any
) -> None:
    max_ = await as_script("max")
    response = await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "priority": bad, "title": "New"})
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["priority"]
    row = await task_row(boards.homepage)
    assert (row["priority"], row["title"], row["version"]) == (0, "Homepage hero copy", 1)


async def test_the_words_are_the_dialogs(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "priority": "extreme"})
    assert response.json()["errors"][0]["message"] == "Choose a priority: none, low, normal, high or urgent."


async def test_important_must_be_a_boolean(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "important": "yes"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["important"]
    assert (await task_row(boards.homepage))["important"] is False


async def test_the_board_sorted_by_priority_keeps_the_ranks(as_script: Any, agency: Agency, boards: Boards) -> None:
    third = await add_card(agency.acme_project, "Pricing", column="Backlog")
    await Task.update({Task.priority: Priority.URGENT}).where(Task.id == third)
    await Task.update({Task.priority: Priority.LOW}).where(Task.id == boards.homepage)
    ranks = {row["id"]: row["rank"] for row in await Task.select(Task.id, Task.rank)}
    max_ = await as_script("max")

    def backlog(board: dict[str, Any]) -> list[int]:
        return [card["id"] for card in board["columns"][0]["cards"]]

    plain = (await max_.get(f"/api/projects/{agency.acme_project}/board")).json()
    assert backlog(plain) == [boards.homepage, boards.footer, third]
    by_priority = (await max_.get(f"/api/projects/{agency.acme_project}/board", params={"sort": "priority"})).json()
    assert backlog(by_priority) == [third, boards.homepage, boards.footer]
    assert {card["id"]: card["rank"] for card in by_priority["columns"][0]["cards"]} == {
        card_id: ranks[card_id] for card_id in backlog(plain)
    }
    assert {row["id"]: row["rank"] for row in await Task.select(Task.id, Task.rank)} == ranks


async def test_an_unknown_sort_is_refused(as_script: Any, agency: Agency, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.get(f"/api/projects/{agency.acme_project}/board", params={"sort": "title"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["sort"]


async def test_cleo_reads_them_but_cannot_change_them(as_script: Any, boards: Boards) -> None:
    await Task.update({Task.priority: Priority.URGENT, Task.important: True}).where(Task.id == boards.homepage)
    cleo = await as_script("cleo")
    card = (await cleo.get(f"/api/tasks/{boards.homepage}")).json()
    assert (card["priority"], card["important"]) == ("urgent", True)
    response = await cleo.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "priority": "low"})
    assert response.status_code == 403
    row = await task_row(boards.homepage)
    assert (row["priority"], row["version"]) == (Priority.URGENT, 1)


async def test_cole_cannot_see_an_acme_cards_priority(as_script: Any, boards: Boards) -> None:
    cole = await as_script("cole")
    assert (await cole.get(f"/api/tasks/{boards.homepage}")).status_code == 404
    response = await cole.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "priority": "low"})
    assert response.status_code == 404
    assert (await task_row(boards.homepage))["priority"] == 0
