from __future__ import annotations

from typing import Any

from server.tables import Client, Project
from tests.conftest import Agency


async def project_form(agency: Agency, **changes: str) -> dict[str, str]:
    client = await Client.select(Client.id).where(Client.id == agency.acme).first()
    assert client is not None
    return {"client": str(agency.acme), "name": "Acme website", "key": "ACME", **changes}


async def test_ada_sets_the_hours_each_member_gives_a_week(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    response = await ada.post(
        f"/admin/projects/{agency.acme_project}", await project_form(agency, weekly_capacity_hours="20")
    )
    assert response.status_code == 303
    row = await Project.select(Project.weekly_capacity_hours).where(Project.id == agency.acme_project).first()
    assert row is not None and row["weekly_capacity_hours"] == 20
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert 'name="weekly_capacity_hours"' in page.text and 'value="20"' in page.text


async def test_more_hours_than_a_week_has_are_refused_beside_the_field(as_user: Any, agency: Agency) -> None:
    ada = await as_user("ada")
    response = await ada.post(
        f"/admin/projects/{agency.acme_project}", await project_form(agency, weekly_capacity_hours="200")
    )
    assert response.status_code == 422
    assert 'id="e-weekly_capacity_hours"' in response.text
    row = await Project.select(Project.weekly_capacity_hours).where(Project.id == agency.acme_project).first()
    assert row is not None and row["weekly_capacity_hours"] is None
