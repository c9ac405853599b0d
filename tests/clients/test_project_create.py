"""POST /admin/projects: a new project (one board) for a client, with a unique key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import Project
from tests.clients.pages import field_error, field_errors
from tests.conftest import Agency, Browser


def launch(agency: Agency, **changes: Any) -> dict[str, Any]:
    form = {"client": str(agency.acme), "name": "Acme launch", "key": "LAUNCH", "hourly_rate": "", "budget_hours": ""}
    return {**form, **changes}


async def launch_rows() -> list[dict[str, Any]]:
    return await Project.select().where(Project.name == "Acme launch")


async def test_ada_creates_a_project_and_lands_on_its_team(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/projects", launch(agency))
    assert response.status_code == 303
    [row] = await launch_rows()
    assert response.headers["location"] == f"/admin/projects/{row['id']}"
    assert row["client"] == agency.acme
    assert row["key"] == "LAUNCH"
    assert row["hourly_rate"] is None and row["budget_hours"] is None
    assert row["shared_with_client"] is False and row["archived"] is False


async def test_ada_creates_a_shared_project_with_a_rate_and_budget(ada: Browser, agency: Agency) -> None:
    form = launch(agency, hourly_rate="80,5", budget_hours="120", shared_with_client="on")
    assert (await ada.post("/admin/projects", form)).status_code == 303
    [row] = await launch_rows()
    assert row["hourly_rate"] == Decimal("80.50")
    assert row["budget_hours"] == 120
    assert row["shared_with_client"] is True


async def test_it_uppercases_a_lowercase_key(ada: Browser, agency: Agency) -> None:
    assert (await ada.post("/admin/projects", launch(agency, key=" launch2 "))).status_code == 303
    [row] = await launch_rows()
    assert row["key"] == "LAUNCH2"


async def test_it_rejects_duplicate_key(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/projects", launch(agency, key="ACME"))
    assert response.status_code == 422
    assert field_errors(response) == {"key": "Another project already uses this key."}
    assert not await launch_rows()


async def test_it_rejects_a_duplicate_key_typed_in_lowercase(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/projects", launch(agency, key="acme"))
    assert response.status_code == 422
    assert field_error(response, "key") == "Another project already uses this key."
    assert not await launch_rows()


@pytest.mark.parametrize("key", ["A", "1ACME", "AC-ME", "AC ME", "ÄCME", "ACME_2", "TOOLONGKEY1"])
async def test_it_rejects_a_key_of_the_wrong_shape(ada: Browser, agency: Agency, key: str) -> None:
    response = await ada.post("/admin/projects", launch(agency, key=key))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["key"]
    assert await Project.count() == 3


@pytest.mark.parametrize("client", ["987654", "abc", "-1", "1.5", "99999999999", "2147483648", "²", ""])
async def test_it_rejects_an_unknown_or_malformed_client(ada: Browser, agency: Agency, client: str) -> None:
    response = await ada.post("/admin/projects", launch(agency, client=client))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["client"]
    assert not await launch_rows()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "n" * 101, "Use at most 100 characters."),
        ("key", "", "This field is required."),
        ("hourly_rate", "-10", "Enter an amount from 0 to 9,999,999,999.99."),
        ("hourly_rate", "10.001", "Use at most two decimal places."),
        ("hourly_rate", "ten", "Enter an amount like 85 or 92.50."),
        ("budget_hours", "-5", "Enter a number from 0 to 1000000."),
        ("budget_hours", "12.5", "Enter a whole number."),
        ("budget_hours", "1_000", "Enter a whole number."),
        ("budget_hours", "9" * 5000, "Enter a number from 0 to 1000000."),
    ],
)
async def test_it_rejects_a_bad_field_and_writes_nothing(
    ada: Browser, agency: Agency, field: str, value: str, message: str
) -> None:
    response = await ada.post("/admin/projects", launch(agency, **{field: value}))
    assert response.status_code == 422
    assert field_errors(response) == {field: message}
    assert await Project.count() == 3


async def test_it_keeps_what_was_typed_when_it_rejects_the_form(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/projects", launch(agency, key="ACME", hourly_rate="70"))
    assert 'value="Acme launch"' in response.text
    assert 'value="70"' in response.text
    assert f'<option value="{agency.acme}" selected>' in response.text


async def test_it_hides_project_creation_from_max(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/admin/projects/new")).status_code == 404
    assert (await max_.post("/admin/projects", launch(agency))).status_code == 404
    assert not await launch_rows()
