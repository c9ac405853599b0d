"""A month that is not written YYYY-MM answers 422 with the format; a month not begun, one before the
client's first work or an unknown client answer 404 with what is missing."""

from __future__ import annotations

from typing import Any

import pytest

from server.rules.reports import add_months, month_key
from server.tables import ClientReport
from tests.conftest import Agency, Browser
from tests.factories import today
from tests.reports.conftest import Work


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "november", "2026-11-01", "0000-00"])
async def test_a_malformed_month_is_422_with_the_format(agency: Agency, ada: Browser, month: str) -> None:
    page = await ada.get(f"/clients/{agency.acme}/reports/{month}")
    assert page.status_code == 422
    assert "Give the month as YYYY-MM, for example 2026-11." in page.text
    picked = await ada.get(f"/clients/{agency.acme}/reports?month={month}")
    assert picked.status_code == 422


async def test_a_month_not_begun_is_not_found(agency: Agency, ada: Browser) -> None:
    following = month_key(add_months(today().replace(day=1), 1))
    page = await ada.get(f"/clients/{agency.acme}/reports/{following}")
    assert page.status_code == 404 and "That month has not begun yet" in page.text
    assert (await ada.get(f"/clients/{agency.acme}/reports/{following}/print")).status_code == 404


async def test_a_month_before_the_clients_first_work_is_not_found(agency: Agency, work: Work, ada: Browser) -> None:
    page = await ada.get(f"/clients/{agency.acme}/reports/2001-01")
    assert page.status_code == 404 and "before the client" in page.text


async def test_an_unknown_client_is_not_found(ada: Browser) -> None:
    assert (await ada.get(f"/clients/99999/reports/{month_key(today())}")).status_code == 404
    assert (await ada.get(f"/clients/99999999999/reports/{month_key(today())}")).status_code == 404


async def test_the_portal_answers_the_same(agency: Agency, as_user: Any) -> None:
    cleo = await as_user("cleo")
    assert (await cleo.get("/portal/reports/2026-13")).status_code == 422
    following = month_key(add_months(today().replace(day=1), 1))
    assert (await cleo.get(f"/portal/reports/{following}")).status_code == 404


async def test_nothing_is_written_for_a_bad_month(agency: Agency, ada: Browser) -> None:
    assert (await ada.post(f"/clients/{agency.acme}/reports/2026-13/share", {"shared": "on"})).status_code == 422
    following = month_key(add_months(today().replace(day=1), 1))
    assert (await ada.post(f"/clients/{agency.acme}/reports/{following}/links", {"label": "x"})).status_code == 404
    assert await ClientReport.count() == 0
