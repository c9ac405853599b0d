"""GET and POST /admin/clients/<id>: the client's settings and its logins."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from server.tables import Client
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


def acme(**changes: str) -> dict[str, str]:
    form = {
        "name": "Acme Corporation",
        "currency": "EUR",
        "hourly_rate": "99.00",
        "rounding_increment": "30",
        "rounding_mode": "down",
    }
    return {**form, **changes}


async def acme_row(agency: Agency) -> dict[str, Any]:
    row = await Client.select().where(Client.id == agency.acme).first()
    assert row is not None
    return row


async def test_ada_sees_the_form_with_the_client_logins(ada: Browser, agency: Agency) -> None:
    page = await ada.get(f"/admin/clients/{agency.acme}")
    assert page.status_code == 200
    assert 'value="Acme"' in page.text
    assert re.search(r'name="hourly_rate" type="text" value="95(\.00)?"', page.text)  # SQLite keeps 95
    assert '<option value="15" selected>' in page.text
    assert "Cleo Client" in page.text
    assert "Cole Client" not in page.text


async def test_ada_changes_the_rate_and_rounding(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/clients/{agency.acme}", acme())
    assert response.status_code == 303
    row = await acme_row(agency)
    assert row["name"] == "Acme Corporation"
    assert row["hourly_rate"] == Decimal("99.00")
    assert (row["rounding_increment"], row["rounding_mode"]) == (30, "down")


async def test_it_leaves_other_clients_alone(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/clients/{agency.acme}", acme())
    globex = await Client.select().where(Client.id == agency.globex).first()
    assert globex is not None and globex["name"] == "Globex"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "BTC"),
        ("hourly_rate", "-0.01"),
        ("hourly_rate", "12.345"),
        ("hourly_rate", "12.3.4"),
        ("rounding_increment", "45"),
        ("name", ""),
    ],
)
async def test_it_rejects_a_bad_field_and_changes_nothing(ada: Browser, agency: Agency, field: str, value: str) -> None:
    before = await acme_row(agency)
    response = await ada.post(f"/admin/clients/{agency.acme}", acme(**{field: value}))
    assert response.status_code == 422
    assert list(field_errors(response)) == [field]
    assert await acme_row(agency) == before


async def test_it_answers_404_for_an_unknown_client(ada: Browser) -> None:
    assert (await ada.get("/admin/clients/987654")).status_code == 404
    assert (await ada.post("/admin/clients/987654", acme())).status_code == 404


@pytest.mark.parametrize("client_id", ["99999999999", "99999999999999999999999", "0", "-1"])
async def test_it_answers_404_for_an_out_of_range_id(ada: Browser, client_id: str) -> None:
    assert (await ada.get(f"/admin/clients/{client_id}")).status_code == 404
    assert (await ada.post(f"/admin/clients/{client_id}", acme())).status_code == 404


async def test_it_answers_404_for_a_malformed_id(ada: Browser) -> None:
    assert (await ada.get("/admin/clients/acme")).status_code == 404


async def test_it_hides_the_client_from_max(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    before = await acme_row(agency)
    assert (await max_.get(f"/admin/clients/{agency.acme}")).status_code == 404
    assert (await max_.post(f"/admin/clients/{agency.acme}", acme())).status_code == 404
    assert await acme_row(agency) == before
