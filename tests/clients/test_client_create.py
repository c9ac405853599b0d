"""POST /admin/clients: a new client, or the form again with the message beside each bad field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import Client
from tests.clients.pages import field_error, field_errors
from tests.conftest import Browser


def initech(**changes: str) -> dict[str, str]:
    form = {
        "name": "Initech",
        "currency": "USD",
        "hourly_rate": "110.50",
        "rounding_increment": "15",
        "rounding_mode": "nearest",
    }
    return {**form, **changes}


async def initech_rows() -> list[dict[str, Any]]:
    return await Client.select().where(Client.name == "Initech")


async def test_ada_adds_a_client(ada: Browser) -> None:
    response = await ada.post("/admin/clients", initech())
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/clients"
    [row] = await initech_rows()
    assert row["currency"] == "USD"
    assert row["hourly_rate"] == Decimal("110.50")
    assert row["rounding_increment"] == 15
    assert row["rounding_mode"] == "nearest"
    assert row["archived"] is False


async def test_the_list_shows_the_new_client_and_a_notice(ada: Browser) -> None:
    await ada.post("/admin/clients", initech())
    page = await ada.get("/admin/clients")
    assert "Initech" in page.text
    assert "Client Initech added." in page.text
    assert "$110.50" in page.text


async def test_it_accepts_a_decimal_comma_in_the_rate(ada: Browser) -> None:
    assert (await ada.post("/admin/clients", initech(hourly_rate="92,5"))).status_code == 303
    [row] = await initech_rows()
    assert row["hourly_rate"] == Decimal("92.50")


async def test_it_accepts_no_rounding(ada: Browser) -> None:
    assert (await ada.post("/admin/clients", initech(rounding_increment="0"))).status_code == 303
    [row] = await initech_rows()
    assert row["rounding_increment"] == 0


async def test_the_new_client_form_offers_every_increment(ada: Browser) -> None:
    page = await ada.get("/admin/clients/new")
    assert page.status_code == 200
    for increment in ("0", "1", "5", "6", "10", "15", "30", "60"):
        assert f'<option value="{increment}"' in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("name", "x" * 101, "Use at most 100 characters."),
        ("name", "Ini\x00tech", "Remove the invisible control characters."),
        ("currency", "XXX", "Choose one of the options."),
        ("currency", "eur", "Choose one of the options."),
        ("currency", "", "Choose one of the options."),
        ("hourly_rate", "-5", "Enter an amount from 0 to 9,999,999,999.99."),
        ("hourly_rate", "ninety", "Enter an amount like 85 or 92.50."),
        ("hourly_rate", "1e3", "Enter an amount like 85 or 92.50."),
        ("hourly_rate", "NaN", "Enter an amount like 85 or 92.50."),
        ("hourly_rate", "1_000", "Enter an amount like 85 or 92.50."),
        ("hourly_rate", "1,000.50", "Enter an amount like 85 or 92.50."),
        ("hourly_rate", "92.505", "Use at most two decimal places."),
        ("hourly_rate", "10000000000", "Enter an amount from 0 to 9,999,999,999.99."),
        ("rounding_increment", "7", "Choose one of the options."),
        ("rounding_increment", "-15", "Choose one of the options."),
        ("rounding_increment", "fifteen", "Choose one of the options."),
        ("rounding_mode", "sideways", "Choose one of the options."),
    ],
)
async def test_it_rejects_a_bad_field_and_writes_nothing(ada: Browser, field: str, value: str, message: str) -> None:
    response = await ada.post("/admin/clients", initech(**{field: value}))
    assert response.status_code == 422
    assert field_errors(response) == {field: message}
    assert await Client.count() == 2  # the personas' Acme and Globex only


async def test_it_keeps_what_was_typed_when_it_rejects_the_form(ada: Browser) -> None:
    response = await ada.post("/admin/clients", initech(hourly_rate="lots"))
    assert 'value="Initech"' in response.text
    assert 'value="lots"' in response.text
    assert '<option value="USD" selected>' in response.text


async def test_it_reports_every_bad_field_at_once(ada: Browser) -> None:
    response = await ada.post("/admin/clients", {"name": "", "currency": "EURO", "hourly_rate": "-1"})
    assert response.status_code == 422
    assert set(field_errors(response)) == {"name", "currency", "hourly_rate", "rounding_increment", "rounding_mode"}
    assert field_error(response, "hourly_rate") == "Enter an amount from 0 to 9,999,999,999.99."


async def test_it_hides_the_page_from_max(as_user: Any) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/admin/clients/new")).status_code == 404
    assert (await max_.post("/admin/clients", initech())).status_code == 404
    assert not await initech_rows()


async def test_it_hides_the_page_from_cleo(as_user: Any) -> None:
    cleo = await as_user("cleo")
    assert (await cleo.post("/admin/clients", initech())).status_code == 404
    assert not await initech_rows()


async def test_a_client_without_a_rate_leaves_pricing_to_each_persons_rate(as_user: Any) -> None:
    ada = await as_user("ada")
    assert (await ada.post("/admin/clients", initech(hourly_rate=""))).status_code == 303
    row = await Client.select(Client.hourly_rate).where(Client.name == "Initech").first()
    assert row is not None and row["hourly_rate"] is None
    listing = await ada.get("/admin/clients")
    assert "Initech" in listing.text
