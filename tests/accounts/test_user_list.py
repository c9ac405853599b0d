from __future__ import annotations

from typing import Any

from server.tables import User
from tests.conftest import Agency, Browser


async def test_it_lists_every_user_with_their_role_and_client(ada: Browser, agency: Agency) -> None:
    response = await ada.get("/admin/users")
    assert response.status_code == 200
    for user_id in (agency.ada, agency.max, agency.mia, agency.cleo, agency.cole):
        assert f'id="user-{user_id}"' in response.text
    cleo_row = response.text.split(f'id="user-{agency.cleo}"', 1)[1].split("</tr>", 1)[0]
    assert "cleo@acme.test" in cleo_row and "Acme" in cleo_row


async def test_it_marks_deactivated_users(ada: Browser, agency: Agency) -> None:
    await User.update({User.active: False}).where(User.id == agency.mia)
    response = await ada.get("/admin/users")
    mia_row = response.text.split(f'id="user-{agency.mia}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="inactive"' in response.text and "Deactivated" in mia_row


async def test_max_cannot_see_the_people_page(as_user: Any) -> None:
    response = await (await as_user("max")).get("/admin/users")
    assert response.status_code == 404
    assert "cleo@acme.test" not in response.text
