"""POST /admin/projects/<id>: the project's budgets (issue 16): hours, money and their period."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from server.tables import Client, Project
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


def settings(agency: Agency, **changes: str) -> dict[str, Any]:
    form = {"client": str(agency.acme), "name": "Acme website", "key": "ACME", "budget_hours": ""}
    return {**form, **changes}


async def project_row(project_id: int) -> dict[str, Any]:
    row = await Project.select().where(Project.id == project_id).first()
    assert row is not None
    return row


async def test_ada_sets_a_monthly_money_budget(ada: Browser, agency: Agency) -> None:
    form = settings(agency, budget_hours="40", budget_amount="4800.50", budget_period="monthly")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", form)
    assert response.status_code == 303
    row = await project_row(agency.acme_project)
    assert (row["budget_hours"], row["budget_amount"], row["budget_period"]) == (40, Decimal("4800.50"), "monthly")
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert re.search(r'name="budget_amount" type="text" value="4800.50?"', page.text)
    assert '<option value="monthly" selected>' in page.text


async def test_a_form_without_a_period_keeps_a_whole_project_budget(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, budget_amount="100"))
    assert (await project_row(agency.acme_project))["budget_period"] == "project"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget_hours", "-5", "Enter a number from 0 to 1000000."),
        ("budget_hours", "1000001", "Enter a number from 0 to 1000000."),
        ("budget_amount", "-10", "Enter an amount from 0 to 9,999,999,999.99."),
        ("budget_amount", "100000001", "Enter an amount from 0 to 100,000,000."),
        ("budget_period", "weekly", "Choose one of the options."),
    ],
)
async def test_it_refuses_a_bad_budget_and_changes_nothing(
    ada: Browser, agency: Agency, field: str, value: str, message: str
) -> None:
    before = await project_row(agency.acme_project)
    response = await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, **{field: value}))
    assert response.status_code == 422
    assert field_errors(response) == {field: message}
    assert f'value="{value}"' in response.text or field == "budget_period"
    assert await project_row(agency.acme_project) == before


async def test_it_refuses_a_money_budget_for_a_client_without_currency(ada: Browser, agency: Agency) -> None:
    await Client.update({Client.currency: ""}).where(Client.id == agency.acme)
    before = await project_row(agency.acme_project)
    response = await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, budget_amount="500"))
    assert response.status_code == 422
    assert field_errors(response) == {"budget_amount": "Give the client a currency before setting a money budget."}
    assert await project_row(agency.acme_project) == before


async def test_ada_gives_a_whole_project_budget_an_end(ada: Browser, agency: Agency) -> None:
    form = settings(agency, budget_hours="200", budget_period="project", budget_ends_on="2027-03-31")
    assert (await ada.post(f"/admin/projects/{agency.acme_project}", form)).status_code == 303
    assert str((await project_row(agency.acme_project))["budget_ends_on"]) == "2027-03-31"


async def test_a_monthly_budget_has_no_end_date(ada: Browser, agency: Agency) -> None:
    before = await project_row(agency.acme_project)
    form = settings(agency, budget_hours="20", budget_period="monthly", budget_ends_on="2027-03-31")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", form)
    assert response.status_code == 422
    message = "A monthly budget starts again each month: leave the end date empty."
    assert field_errors(response) == {"budget_ends_on": message}
    assert await project_row(agency.acme_project) == before
