"""Rates say their currency: a project's team list in its client's, the people page's default rates
in the one currency the clients use or, with several, saying that it is the client's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.tables import Client, Membership, User
from tests.conftest import Agency


async def test_a_project_s_team_list_shows_each_rate_in_the_client_s_currency(agency: Agency, ada: Any) -> None:
    await Membership.update({Membership.hourly_rate: Decimal("90.00")}).where(Membership.id == agency.max_on_acme)

    acme = await ada.get(f"/admin/projects/{agency.acme_project}")

    assert acme.status_code == 200
    assert "€90.00 per hour" in acme.text
    assert "Hourly rate (EUR)" in acme.text and "Rate on this project (EUR)" in acme.text


async def test_the_people_page_says_which_currency_a_default_rate_is_in(agency: Agency, ada: Any) -> None:
    await User.update({User.hourly_rate: Decimal("70.00")}).where(User.id == agency.max)

    several = await ada.get("/admin/users")
    assert '>70 <span class="muted small">in the client\'s currency</span>' in several.text
    assert "(EUR, USD)" in several.text

    await Client.update({Client.archived: True}).where(Client.id == agency.globex)
    one = await ada.get("/admin/users")
    assert "€70.00" in one.text and "in the client's currency" not in one.text
