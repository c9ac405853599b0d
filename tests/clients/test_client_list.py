"""GET /admin/clients: every client with its rate, rounding and number of live projects."""

from __future__ import annotations

import re
from typing import Any

from server.tables import User
from tests.conftest import Agency, Browser


async def test_ada_sees_every_client_with_rate_and_rounding(ada: Browser, agency: Agency) -> None:
    page = await ada.get("/admin/clients")
    assert page.status_code == 200
    acme = re.search(rf'<tr id="client-{agency.acme}".*?</tr>', page.text, re.S)
    globex = re.search(rf'<tr id="client-{agency.globex}".*?</tr>', page.text, re.S)
    assert acme and globex
    assert "€95.00" in acme.group(0) and "15 min, up" in acme.group(0)
    assert '<td class="num">2</td>' in acme.group(0)  # ACME and BRAND
    assert "$120.00" in globex.group(0) and "none" in globex.group(0)


async def test_it_formats_rates_in_the_viewers_language(ada: Browser, agency: Agency) -> None:
    await User.update({User.locale: "vi"}).where(User.id == agency.ada)
    page = await ada.get("/admin/clients")
    assert "95,00\xa0€" in page.text
    assert "120,00\xa0US$" in page.text


async def test_it_invites_ada_to_add_the_first_client(ada: Browser) -> None:
    page = await ada.get("/admin/clients")
    assert "Acme" in page.text  # the personas' clients are listed; the empty state is not
    assert "No clients yet" not in page.text


async def test_it_hides_the_list_from_cole(as_user: Any) -> None:
    cole = await as_user("cole")
    assert (await cole.get("/admin/clients")).status_code == 404
