"""POST /admin/clients/<id>/archived: archive and restore a client."""

from __future__ import annotations

from typing import Any

from server.tables import Client, Project
from tests.conftest import Agency, Browser


async def is_archived(client_id: int) -> bool:
    row = await Client.select(Client.archived).where(Client.id == client_id).first()
    assert row is not None
    return bool(row["archived"])


async def test_ada_archives_a_client(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})
    assert response.status_code == 303
    assert await is_archived(agency.globex)
    assert not await is_archived(agency.acme)


async def test_archiving_keeps_the_clients_projects(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})
    assert await Project.exists().where(Project.id == agency.globex_project)


async def test_ada_restores_a_client(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})
    response = await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "false"})
    assert response.status_code == 303
    assert not await is_archived(agency.globex)


async def test_the_list_marks_an_archived_client(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})
    page = await ada.get("/admin/clients")
    assert f'<tr id="client-{agency.globex}" class="inactive">' in page.text
    assert "Archived." in page.text


async def test_an_archived_client_is_not_offered_for_new_projects(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})
    page = await ada.get("/admin/projects/new")
    assert f'<option value="{agency.acme}"' in page.text
    assert f'<option value="{agency.globex}"' not in page.text


async def test_it_answers_404_for_an_unknown_client(ada: Browser) -> None:
    assert (await ada.post("/admin/clients/987654/archived", {"archived": "true"})).status_code == 404


async def test_it_hides_archiving_from_mia(as_user: Any, agency: Agency) -> None:
    mia = await as_user("mia")
    assert (await mia.post(f"/admin/clients/{agency.globex}/archived", {"archived": "true"})).status_code == 404
    assert not await is_archived(agency.globex)
