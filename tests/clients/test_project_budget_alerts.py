"""POST /admin/projects/<id>: a project's budget alert thresholds and whether its client sees the
hours budget (issue 16); bad thresholds answer 422 beside the field and change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server.tables import Project
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser

MESSAGE = "Use up to 6 whole percentages from 1 to 200, comma separated, like 80, 100."


def settings(agency: Agency, **changes: str) -> dict[str, Any]:
    form = {"client": str(agency.acme), "name": "Acme website", "key": "ACME", "shared_with_client": "on"}
    return {**form, **changes}


async def project_row(project_id: int) -> dict[str, Any]:
    row = await Project.select().where(Project.id == project_id).first()
    assert row is not None
    return row


async def test_a_new_project_offers_80_and_100_and_keeps_the_budget_from_the_client(ada: Browser) -> None:
    page = await ada.get("/admin/projects/new")
    assert re.search(r'name="budget_thresholds" type="text" value="80, 100"', page.text)
    assert 'name="client_sees_budget" value="on" >' in page.text  # unchecked


async def test_ada_sets_thresholds_and_shows_acme_its_hours_budget(ada: Browser, agency: Agency) -> None:
    form = settings(agency, budget_hours="40", budget_thresholds="100, 50 ,90", client_sees_budget="on")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", form)
    assert response.status_code == 303
    row = await project_row(agency.acme_project)
    assert (row["budget_thresholds"], row["client_sees_budget"]) == ("50,90,100", True)
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert 'name="budget_thresholds" type="text" value="50, 90, 100"' in page.text
    assert 'name="client_sees_budget" value="on" checked>' in page.text


async def test_empty_thresholds_are_the_defaults_and_the_switch_turns_off(ada: Browser, agency: Agency) -> None:
    await Project.update({Project.budget_thresholds: "50", Project.client_sees_budget: True}).where(
        Project.id == agency.acme_project
    )
    response = await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, budget_thresholds=""))
    assert response.status_code == 303
    row = await project_row(agency.acme_project)
    assert (row["budget_thresholds"], row["client_sees_budget"]) == ("80,100", False)


@pytest.mark.parametrize("typed", ["0, 100", "80, 250", "eighty", "80; 100", "1, 2, 3, 4, 5, 6, 7", "80.5"])
async def test_it_refuses_bad_thresholds_beside_the_field_and_changes_nothing(
    ada: Browser, agency: Agency, typed: str
) -> None:
    before = await project_row(agency.acme_project)
    form = settings(agency, budget_hours="40", budget_thresholds=typed, client_sees_budget="on")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", form)
    assert response.status_code == 422
    assert field_errors(response) == {"budget_thresholds": MESSAGE}
    assert f'name="budget_thresholds" type="text" value="{typed}"' in response.text  # what was typed stays
    assert await project_row(agency.acme_project) == before


async def test_a_new_project_with_bad_thresholds_is_not_created(ada: Browser, agency: Agency) -> None:
    form = {"client": str(agency.acme), "name": "Acme app", "key": "ACMEAPP", "budget_thresholds": "300"}
    response = await ada.post("/admin/projects", form)
    assert response.status_code == 422
    assert field_errors(response) == {"budget_thresholds": MESSAGE}
    assert not await Project.exists().where(Project.key == "ACMEAPP")
