"""Reading boards and writing cards through the API: the same writes as the pages, with versions."""

from __future__ import annotations

from typing import Any

from server.tables import Activity, Task
from tests.api.conftest import Boards
from tests.conftest import Agency


async def test_the_board_lists_columns_in_order_with_their_cards(
    as_script: Any, agency: Agency, boards: Boards
) -> None:
    max_ = await as_script("max")
    board = (await max_.get(f"/api/projects/{agency.acme_project}/board")).json()
    assert board["project"]["key"] == "ACME"
    assert [c["name"] for c in board["columns"]] == ["Backlog", "To do", "In progress", "Review", "Done"]
    backlog = board["columns"][0]["cards"]
    assert [(c["ref"], c["title"]) for c in backlog] == [("ACME-1", "Homepage hero copy"), ("ACME-2", "Footer links")]
    assert backlog[0]["version"] == 1


async def test_columns_are_listed_in_order(as_script: Any, agency: Agency, boards: Boards) -> None:
    max_ = await as_script("max")
    columns = (await max_.get(f"/api/projects/{agency.acme_project}/columns")).json()
    assert [c["id"] for c in columns] == boards.acme_columns
    assert columns[-1]["is_done"] is True


async def test_it_creates_a_card_at_the_bottom_of_a_column(as_script: Any, agency: Agency, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.post(
        f"/api/projects/{agency.acme_project}/tasks", json={"column_id": boards.acme_columns[0], "title": " Pricing "}
    )
    assert response.status_code == 201, response.text
    card = response.json()
    assert (card["ref"], card["title"], card["version"]) == ("ACME-3", "Pricing", 1)
    board = (await max_.get(f"/api/projects/{agency.acme_project}/board")).json()
    assert [c["title"] for c in board["columns"][0]["cards"]][-1] == "Pricing"


async def test_a_move_reaches_the_database_with_a_new_rank_and_version(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    before = await Task.select(Task.rank).where(Task.id == boards.homepage).first()
    body = {"column_id": boards.acme_columns[2], "before_id": None, "version": 1}
    response = await max_.post(f"/api/tasks/{boards.homepage}/move", json=body)
    assert response.status_code == 200, response.text
    row = await Task.select(Task.column, Task.rank, Task.version).where(Task.id == boards.homepage).first()
    assert row is not None and before is not None
    assert (row["column"], row["version"]) == (boards.acme_columns[2], 2)
    assert row["rank"] and response.json()["rank"] == row["rank"]
    assert await Activity.exists().where((Activity.task == boards.homepage) & (Activity.verb == "moved"))


async def test_a_move_within_a_column_goes_above_before_id(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    body = {"column_id": boards.acme_columns[0], "before_id": boards.homepage, "version": 1}
    assert (await max_.post(f"/api/tasks/{boards.footer}/move", json=body)).status_code == 200
    order = await Task.select(Task.id).where(Task.column == boards.acme_columns[0]).order_by(Task.rank)
    assert [r["id"] for r in order] == [boards.footer, boards.homepage]


async def test_a_stale_move_gets_409_with_the_current_card(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    first = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
    assert (await max_.post(f"/api/tasks/{boards.homepage}/move", json=first)).status_code == 200
    stale = {"column_id": boards.acme_columns[3], "before_id": None, "version": 1}
    response = await max_.post(f"/api/tasks/{boards.homepage}/move", json=stale)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    card = response.json()["card"]
    assert (card["id"], card["column_id"], card["version"]) == (boards.homepage, boards.acme_columns[1], 2)


async def test_it_edits_a_card(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(
        f"/api/tasks/{boards.homepage}",
        json={"version": 1, "title": "Hero copy", "description": "**Bold**", "due_on": "2026-12-01"},
    )
    assert response.status_code == 200, response.text
    card = response.json()
    assert (card["title"], card["description"], card["due_on"], card["version"]) == (
        "Hero copy",
        "**Bold**",
        "2026-12-01",
        2,
    )
    assert (await max_.get(f"/api/tasks/{boards.homepage}")).json()["title"] == "Hero copy"


async def test_a_stale_edit_gets_409_with_the_current_card(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "First"})
    response = await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "Second"})
    assert response.status_code == 409
    assert response.json()["card"]["title"] == "First" and response.json()["card"]["version"] == 2


async def test_an_edit_names_the_field_it_refuses(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    cases = [
        ({"version": 1, "title": ""}, "title"),
        ({"version": 1, "title": "   "}, "title"),
        ({"version": 1, "title": "x" * 201}, "title"),
        ({"version": 1, "title": 42}, "title"),
        ({"version": 1, "estimate_minutes": -5}, "estimate_minutes"),
        ({"version": 1, "due_on": "someday"}, "due_on"),
        ({"version": 1, "description": "a\x00b"}, "description"),
        ({"title": "No version"}, "version"),
    ]
    for body, field in cases:
        response = await max_.patch(f"/api/tasks/{boards.homepage}", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field], (body, response.json())
    row = await Task.select(Task.title, Task.version).where(Task.id == boards.homepage).first()
    assert row == {"title": "Homepage hero copy", "version": 1}


async def test_a_body_that_is_not_json_gets_a_4xx_problem(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(
        f"/api/tasks/{boards.homepage}", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_new_card_needs_a_title_and_a_column(as_script: Any, agency: Agency, boards: Boards) -> None:
    max_ = await as_script("max")
    path = f"/api/projects/{agency.acme_project}/tasks"
    response = await max_.post(path, json={"column_id": boards.acme_columns[0], "title": ""})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "title"
    response = await max_.post(path, json={"column_id": "first", "title": "Pricing"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "column_id"
    assert await Task.count() == 3


async def test_an_unknown_field_is_named(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    response = await max_.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "colour": "red"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


async def test_api_writes_are_announced_to_open_browsers(app: Any, as_script: Any, boards: Boards) -> None:
    hub = app.state.hub
    announced: list[Any] = []

    class Recorder:
        async def announce(self, change: Any) -> None:
            announced.append(change)
            await hub.announce(change)

    app.state.hub = Recorder()
    try:
        max_ = await as_script("max")
        body = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
        assert (await max_.post(f"/api/tasks/{boards.homepage}/move", json=body)).status_code == 200
    finally:
        app.state.hub = hub
    assert [c.entry["verb"] for c in announced] == ["moved"]
    assert announced[0].columns == {boards.acme_columns[0], boards.acme_columns[1]}
