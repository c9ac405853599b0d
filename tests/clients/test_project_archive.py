"""POST /admin/projects/<id>/archived: archive and restore a project."""

from __future__ import annotations

from typing import Any

from server.tables import Membership, Project
from tests.conftest import Agency, Browser


async def is_archived(project_id: int) -> bool:
    row = await Project.select(Project.archived).where(Project.id == project_id).first()
    assert row is not None
    return bool(row["archived"])


async def test_ada_archives_a_project(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "true"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/projects/{agency.brand_project}"
    assert await is_archived(agency.brand_project)
    assert not await is_archived(agency.acme_project)


async def test_archiving_keeps_the_team(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "true"})
    assert await Membership.exists().where(Membership.project == agency.brand_project)


async def test_an_archived_project_leaves_the_project_list(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    await ada.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "true"})
    max_ = await as_user("max")
    page = await max_.get("/projects")
    assert "Acme website" in page.text
    assert "Acme brand book" not in page.text


async def test_ada_restores_a_project(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "true"})
    await ada.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "false"})
    assert not await is_archived(agency.brand_project)


async def test_it_answers_404_for_an_unknown_project(ada: Browser) -> None:
    assert (await ada.post("/admin/projects/987654/archived", {"archived": "true"})).status_code == 404


async def test_it_hides_archiving_from_max(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/admin/projects/{agency.brand_project}/archived", {"archived": "true"})
    assert response.status_code == 404
    assert not await is_archived(agency.brand_project)
