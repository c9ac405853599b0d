"""POST /admin/users/<id>/cost: what an hour of a person costs the agency (issue 16), set by an admin
on the person's page; nobody else sees or sets it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import User
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


async def cost_of(user_id: int) -> tuple[Decimal | None, str]:
    row = await User.select(User.cost_rate, User.cost_currency).where(User.id == user_id).first()
    assert row is not None
    return row["cost_rate"], row["cost_currency"]


async def test_ada_sets_maxs_cost_rate_and_the_panel_says_saved(ada: Browser, agency: Agency) -> None:
    response = await ada.post(
        f"/admin/users/{agency.max}/cost", {"cost_rate": "45.50", "cost_currency": "eur"}, htmx=True
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="panel" id="cost-rate">')
    assert "Saved." in response.text and 'value="45.50"' in response.text
    assert await cost_of(agency.max) == (Decimal("45.50"), "EUR")


async def test_without_htmx_it_goes_back_to_the_persons_page(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}/cost", {"cost_rate": "45", "cost_currency": "USD"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/users/{agency.max}"
    page = await ada.get(f"/admin/users/{agency.max}")
    assert 'id="cost-rate"' in page.text and 'value="45' in page.text
    assert '<option value="USD" selected>' in page.text


async def test_an_empty_amount_clears_the_cost_rate(ada: Browser, agency: Agency) -> None:
    await User.update({User.cost_rate: Decimal("45"), User.cost_currency: "EUR"}).where(User.id == agency.max)
    response = await ada.post(f"/admin/users/{agency.max}/cost", {"cost_rate": "", "cost_currency": "EUR"}, htmx=True)
    assert response.status_code == 200
    assert await cost_of(agency.max) == (None, "")


ISO = {"cost_currency": "Choose a currency by its ISO code, like EUR."}


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"cost_rate": "-5", "cost_currency": "EUR"}, {"cost_rate": "Enter an amount from 0 to 9,999,999,999.99."}),
        ({"cost_rate": "250000", "cost_currency": "EUR"}, {"cost_rate": "Enter an amount from 0 to 100,000."}),
        ({"cost_rate": "45.555", "cost_currency": "EUR"}, {"cost_rate": "Use at most two decimal places."}),
        ({"cost_rate": "abc", "cost_currency": "EUR"}, {"cost_rate": "Enter an amount like 85 or 92.50."}),
        ({"cost_rate": "45", "cost_currency": "XYZ"}, ISO),
        ({"cost_rate": "45", "cost_currency": ""}, ISO),
        ({"cost_rate": "45", "cost_currency": "EURO"}, ISO),
    ],
)
async def test_it_refuses_a_bad_cost_rate_and_changes_nothing(
    ada: Browser, agency: Agency, form: dict[str, str], errors: dict[str, str]
) -> None:
    await User.update({User.cost_rate: Decimal("40"), User.cost_currency: "EUR"}).where(User.id == agency.max)
    response = await ada.post(f"/admin/users/{agency.max}/cost", form, htmx=True)
    assert response.status_code == 422
    assert field_errors(response) == errors
    assert 'id="cost-rate"' in response.text and "Saved." not in response.text
    assert await cost_of(agency.max) == (Decimal("40"), "EUR")
    whole_page = await ada.post(f"/admin/users/{agency.max}/cost", form)
    assert whole_page.status_code == 422
    assert field_errors(whole_page) == errors and "<h1>Max Member</h1>" in whole_page.text


async def test_a_client_user_has_no_cost_rate(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.cleo}/cost", {"cost_rate": "45", "cost_currency": "EUR"})
    assert response.status_code == 422
    assert field_errors(response) == {"cost_rate": "Only the agency's people have a cost rate."}
    assert await cost_of(agency.cleo) == (None, "")


async def test_the_people_list_shows_cost_rates_to_ada(ada: Browser, agency: Agency) -> None:
    await User.update({User.cost_rate: Decimal("45"), User.cost_currency: "EUR"}).where(User.id == agency.max)
    page = await ada.get("/admin/users")
    assert "Cost per hour" in page.text and "€45.00" in page.text


async def test_nobody_else_sets_or_sees_a_cost_rate(as_user: Any, agency: Agency) -> None:
    await User.update({User.cost_rate: Decimal("47.31"), User.cost_currency: "EUR"}).where(User.id == agency.max)
    for persona in ("max", "mia", "cleo", "cole"):
        browser = await as_user(persona)
        response = await browser.post(f"/admin/users/{agency.max}/cost", {"cost_rate": "1", "cost_currency": "EUR"})
        assert response.status_code == 404, persona
        assert (await browser.get(f"/admin/users/{agency.max}")).status_code == 404
    assert await cost_of(agency.max) == (Decimal("47.31"), "EUR")
