"""GET and POST /admin/projects/<id>: a project's settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import Project
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


def acme_website(agency: Agency, **changes: Any) -> dict[str, Any]:
    form = {"client": str(agency.acme), "name": "Acme website", "key": "ACME", "hourly_rate": "", "budget_hours": ""}
    return {**form, **changes}


async def project_row(project_id: int) -> dict[str, Any]:
    row = await Project.select().where(Project.id == project_id).first()
    assert row is not None
    return row


async def test_ada_sees_the_settings_and_the_team(ada: Browser, agency: Agency) -> None:
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert page.status_code == 200
    assert 'value="ACME"' in page.text
    assert "Max Member" in page.text


async def test_ada_renames_the_project_and_keeps_its_key(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, name="Acme site"))
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/projects/{agency.acme_project}"
    row = await project_row(agency.acme_project)
    assert (row["name"], row["key"]) == ("Acme site", "ACME")


async def test_ada_moves_the_project_to_another_client(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, client=str(agency.globex)))
    assert (await project_row(agency.acme_project))["client"] == agency.globex


async def test_it_rejects_the_key_of_another_project(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, key="brand"))
    assert response.status_code == 422
    assert field_errors(response) == {"key": "Another project already uses this key."}
    assert (await project_row(agency.acme_project))["key"] == "ACME"


async def test_it_rejects_an_unknown_client_and_changes_nothing(ada: Browser, agency: Agency) -> None:
    before = await project_row(agency.acme_project)
    response = await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, client="987654"))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["client"]
    assert await project_row(agency.acme_project) == before


async def test_a_zero_rate_stays_zero_when_the_form_is_saved_again(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, hourly_rate="0", budget_hours="0"))
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert 'name="hourly_rate" type="text" value="0' in page.text
    assert 'name="budget_hours" type="text" value="0"' in page.text
    row = await project_row(agency.acme_project)
    assert row["hourly_rate"] == Decimal("0") and row["budget_hours"] == 0


async def test_clearing_the_rate_falls_back_to_the_clients(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, hourly_rate="70"))
    await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, hourly_rate=""))
    assert (await project_row(agency.acme_project))["hourly_rate"] is None


@pytest.mark.parametrize("project_id", ["987654", "0", "99999999999", "99999999999999999999999"])
async def test_it_answers_404_for_an_unknown_project(ada: Browser, agency: Agency, project_id: str) -> None:
    assert (await ada.get(f"/admin/projects/{project_id}")).status_code == 404
    assert (await ada.post(f"/admin/projects/{project_id}", acme_website(agency))).status_code == 404


async def test_it_hides_the_settings_from_max_though_he_is_on_the_team(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    before = await project_row(agency.acme_project)
    assert (await max_.get(f"/admin/projects/{agency.acme_project}")).status_code == 404
    response = await max_.post(f"/admin/projects/{agency.acme_project}", acme_website(agency, name="Mine"))
    assert response.status_code == 404
    assert await project_row(agency.acme_project) == before
