"""POST /admin/projects/<id>: a fixed-fee project (issue 16): its fee, in the client's currency, for the
whole project or per month as its budget period says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import Project
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


def settings(agency: Agency, **changes: str) -> dict[str, Any]:
    form = {"client": str(agency.acme), "name": "Acme website", "key": "ACME"}
    return {**form, **changes}


async def fee_of(project_id: int) -> Decimal | None:
    row = await Project.select(Project.fixed_fee).where(Project.id == project_id).first()
    assert row is not None
    return row["fixed_fee"]


async def test_ada_makes_a_project_fixed_fee(ada: Browser, agency: Agency) -> None:
    form = settings(agency, fixed_fee="4800.50", budget_period="monthly")
    response = await ada.post(f"/admin/projects/{agency.acme_project}", form)
    assert response.status_code == 303
    assert await fee_of(agency.acme_project) == Decimal("4800.50")
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert "Fixed fee (EUR)" in page.text and 'name="fixed_fee" type="text" value="4800.5' in page.text


async def test_an_empty_fee_bills_by_the_hour_again(ada: Browser, agency: Agency) -> None:
    await Project.update({Project.fixed_fee: Decimal("100")}).where(Project.id == agency.acme_project)
    response = await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, fixed_fee=""))
    assert response.status_code == 303
    assert await fee_of(agency.acme_project) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-10", "Enter an amount from 0 to 9,999,999,999.99."),
        ("100000001", "Enter an amount from 0 to 100,000,000."),
        ("12.345", "Use at most two decimal places."),
        ("lots", "Enter an amount like 85 or 92.50."),
    ],
)
async def test_it_refuses_a_bad_fee_and_changes_nothing(ada: Browser, agency: Agency, value: str, message: str) -> None:
    await Project.update({Project.fixed_fee: Decimal("100")}).where(Project.id == agency.acme_project)
    response = await ada.post(f"/admin/projects/{agency.acme_project}", settings(agency, fixed_fee=value, name="New"))
    assert response.status_code == 422
    assert field_errors(response) == {"fixed_fee": message}
    assert f'value="{value}"' in response.text
    row = await Project.select(Project.fixed_fee, Project.name).where(Project.id == agency.acme_project).first()
    assert row == {"fixed_fee": Decimal("100"), "name": "Acme website"}


async def test_members_cannot_set_a_fee(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/admin/projects/{agency.acme_project}", settings(agency, fixed_fee="1"))
    assert response.status_code == 404
    assert await fee_of(agency.acme_project) is None
