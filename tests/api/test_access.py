"""The API's permissions are the pages': what a user may not see answers 404, what they may see
but not change answers 403."""

from __future__ import annotations

from typing import Any

from server.tables import Task
from tests.api.conftest import Boards
from tests.conftest import Agency


async def test_cleo_sees_only_her_clients_shared_projects(as_script: Any, agency: Agency, boards: Boards) -> None:
    cleo = await as_script("cleo")
    assert [p["key"] for p in (await cleo.get("/api/projects")).json()] == ["ACME"]
    assert (await cleo.get(f"/api/projects/{agency.acme_project}/board")).status_code == 200
    assert (await cleo.get(f"/api/tasks/{boards.homepage}")).status_code == 200


async def test_cleo_cannot_see_globex_or_the_unshared_brand_book(
    as_script: Any, agency: Agency, boards: Boards
) -> None:
    cleo = await as_script("cleo")
    for path in (
        f"/api/projects/{agency.globex_project}/board",
        f"/api/projects/{agency.globex_project}/columns",
        f"/api/projects/{agency.brand_project}/board",
        f"/api/tasks/{boards.globex_card}",
    ):
        response = await cleo.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_cleo_may_look_but_not_change(as_script: Any, agency: Agency, boards: Boards) -> None:
    cleo = await as_script("cleo")
    response = await cleo.post(
        f"/api/projects/{agency.acme_project}/tasks", json={"column_id": boards.acme_columns[0], "title": "Mine"}
    )
    assert response.status_code == 403
    response = await cleo.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "Mine"})
    assert response.status_code == 403
    assert await Task.count() == 3


async def test_mia_who_is_not_on_acme_gets_404(as_script: Any, agency: Agency, boards: Boards) -> None:
    mia = await as_script("mia")
    assert (await mia.get(f"/api/projects/{agency.acme_project}/board")).status_code == 404
    assert (await mia.get(f"/api/tasks/{boards.homepage}")).status_code == 404
    body = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
    assert (await mia.post(f"/api/tasks/{boards.homepage}/move", json=body)).status_code == 404
    response = await mia.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": "Mine"})
    assert response.status_code == 404
    assert (await Task.select(Task.version).where(Task.id == boards.homepage).first() or {})["version"] == 1


async def test_a_card_cannot_move_to_another_projects_column(as_script: Any, boards: Boards) -> None:
    ada = await as_script("ada")
    body = {"column_id": boards.globex_columns[1], "before_id": None, "version": 1}
    response = await ada.post(f"/api/tasks/{boards.homepage}/move", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "column_id"
    task = await Task.select(Task.column, Task.project).where(Task.id == boards.homepage).first()
    assert task is not None and task["column"] == boards.acme_columns[0]


async def test_unknown_and_malformed_ids_answer_404(as_script: Any, boards: Boards) -> None:
    max_ = await as_script("max")
    for path in ("/api/tasks/0", "/api/tasks/999999", "/api/tasks/99999999999999", "/api/tasks/abc", "/api/tasks/-1"):
        assert (await max_.get(path)).status_code == 404, path
    for path in ("/api/projects/99999999999999/board", "/api/projects/x/columns"):
        assert (await max_.get(path)).status_code == 404, path
    body = {"column_id": boards.acme_columns[1], "before_id": None, "version": 1}
    assert (await max_.post("/api/tasks/99999999999999/move", json=body)).status_code == 404


async def test_mia_gets_404_before_her_body_is_even_read(as_script: Any, boards: Boards) -> None:
    mia = await as_script("mia")
    response = await mia.patch(f"/api/tasks/{boards.homepage}", content=b"{not json")
    assert response.status_code == 404
