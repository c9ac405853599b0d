from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import User
from tests.clients.pages import field_error
from tests.conftest import Agency, Browser


def max_form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Max Member",
        "email": "max@agency.test",
        "role": "member",
        "client": "",
        "hourly_rate": "",
        "locale": "en",
        **changes,
    }


async def max_row(agency: Agency) -> dict[str, Any]:
    row = await User.select(User.name, User.email, User.role, User.client).where(User.id == agency.max).first()
    assert row is not None
    return row


async def test_it_shows_the_user_in_the_form(ada: Browser, agency: Agency) -> None:
    response = await ada.get(f"/admin/users/{agency.max}")
    assert response.status_code == 200
    assert 'value="max@agency.test"' in response.text and 'value="Max Member"' in response.text
    assert "password_hash" not in response.text and "$argon2" not in response.text


async def test_it_saves_changes(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(name="Max Mustermann", hourly_rate="70.50"))
    assert response.status_code == 303
    row = await User.select(User.name, User.hourly_rate).where(User.id == agency.max).first()
    assert row is not None and row["name"] == "Max Mustermann" and row["hourly_rate"] == Decimal("70.50")


async def test_a_user_keeps_their_own_email_in_another_case(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(email="MAX@agency.test"))
    assert response.status_code == 303
    assert (await max_row(agency))["email"] == "max@agency.test"


async def test_it_rejects_another_users_email_in_another_case(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(email="Mia@Agency.Test", name="Renamed"))
    assert response.status_code == 422
    assert field_error(response, "email") == "Another user already has this email address."
    assert await max_row(agency) == {"name": "Max Member", "email": "max@agency.test", "role": "member", "client": None}


async def test_it_rejects_a_malformed_email(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(email="max@"))
    assert response.status_code == 422
    assert field_error(response, "email") == "Enter an email address like name@example.com."
    assert (await max_row(agency))["email"] == "max@agency.test"


async def test_it_rejects_a_name_over_100_characters(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(name="M" * 101))
    assert response.status_code == 422
    assert field_error(response, "name") == "Use at most 100 characters."
    assert (await max_row(agency))["name"] == "Max Member"


async def test_making_someone_a_client_user_needs_a_client(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(role="client"))
    assert response.status_code == 422
    assert field_error(response, "client") == "This field is required."
    assert (await max_row(agency))["role"] == "member"


async def test_a_user_who_is_no_longer_a_client_user_loses_their_client(ada: Browser, agency: Agency) -> None:
    form = max_form(name="Cleo Client", email="cleo@acme.test", role="member", client=str(agency.acme))
    response = await ada.post(f"/admin/users/{agency.cleo}", form)
    assert response.status_code == 303
    row = await User.select(User.role, User.client).where(User.id == agency.cleo).first()
    assert row == {"role": "member", "client": None}


async def test_an_admin_cannot_take_away_their_own_admin_role(ada: Browser, agency: Agency) -> None:
    form = max_form(name="Ada Admin", email="ada@agency.test", role="member")
    response = await ada.post(f"/admin/users/{agency.ada}", form)
    assert response.status_code == 422
    assert field_error(response, "role") == "You cannot take away your own admin role."
    assert await User.select(User.role).where(User.id == agency.ada).first() == {"role": "admin"}
    assert (await ada.get("/admin/users")).status_code == 200


async def test_an_admin_can_demote_another_admin(ada: Browser, agency: Agency) -> None:
    await User.update({User.role: "admin"}).where(User.id == agency.mia)
    form = max_form(name="Mia Member", email="mia@agency.test", role="member")
    assert (await ada.post(f"/admin/users/{agency.mia}", form)).status_code == 303
    assert await User.select(User.role).where(User.id == agency.mia).first() == {"role": "member"}


async def test_an_htmx_post_that_fails_gets_422_and_the_form_again(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/users/{agency.max}", max_form(name=""), htmx=True)
    assert response.status_code == 422
    assert f'<form method="post" action="/admin/users/{agency.max}"' in response.text
    assert field_error(response, "name") == "This field is required."
    assert (await max_row(agency))["name"] == "Max Member"


async def test_it_handles_an_unknown_user_id(ada: Browser, agency: Agency) -> None:
    assert (await ada.get("/admin/users/999999")).status_code == 404
    response = await ada.post("/admin/users/999999", max_form(email="new@agency.test"))
    assert response.status_code == 404
    assert not await User.exists().where(User.email == "new@agency.test")


@pytest.mark.parametrize("user_id", ["abc", "1.5", "-1", "0", "99999999999999999999", "2147483648", "%00", "1e3"])
async def test_it_handles_a_malformed_user_id(ada: Browser, agency: Agency, user_id: str) -> None:
    for path in (f"/admin/users/{user_id}", f"/admin/users/{user_id}/active", f"/admin/users/{user_id}/password"):
        response = await (ada.get(path) if path.endswith(user_id) else ada.post(path, {"password": "x" * 12}))
        assert response.status_code == 404, (path, response.status_code)
        assert "Not found." in response.text
