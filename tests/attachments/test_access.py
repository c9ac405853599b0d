"""Who gets which file: the card's own policy for everyone, and a client never receives an internal
file by any route, list, history line, cover or live card."""

from __future__ import annotations

from typing import Any

import pytest

from server.boards.live_store import cards_now
from server.rules.attachments import Visibility
from server.tables import Attachment, Project, Task
from tests.attachments.files import EML, png, upload
from tests.attachments.matrix import stored_image
from tests.conftest import Agency
from tests.factories import add_card

FILE_ROUTES = (
    "GET /attachments/{id}",
    "GET /attachments/{id}/thumbnail",
    "GET /attachments/{id}/email",
    "GET /attachments/{id}/parts/1",
    "POST /attachments/{id}/delete",
    "POST /attachments/{id}/visibility",
    "POST /attachments/{id}/cover",
)


async def ask(who: Any, route: str, attachment_id: int) -> int:
    method, path = route.split(" ", 1)
    path = path.format(id=attachment_id)
    if method == "GET":
        return (await who.get(path)).status_code
    return (await who.post(path, {"cover": "true", "visibility": "client"}, htmx=True)).status_code


@pytest.fixture
async def card(agency: Agency) -> int:
    return await add_card(agency.acme_project, "Homepage mock-ups")


async def test_an_internal_file_does_not_exist_for_cleo_by_any_route(card: int, agency: Agency, as_user: Any) -> None:
    max_ = await as_user("max")
    await upload(max_, card, ("secret-pricing.png", png()), visibility="internal")
    await upload(max_, card, ("brief.eml", EML), visibility="internal")
    secret = {r["name"]: r["id"] for r in await Attachment.select()}
    await max_.post(f"/attachments/{secret['secret-pricing.png']}/cover", {"cover": "true"}, htmx=True)
    cleo = await as_user("cleo")
    for attachment_id in secret.values():
        for route in FILE_ROUTES:
            assert await ask(cleo, route, attachment_id) == 404, route
    # Not in the list, the dialog's history, the board's cover, nor the card the board's socket sends her.
    listed = await cleo.get(f"/tasks/{card}/attachments")
    assert listed.status_code == 200 and "secret-pricing" not in listed.text and "brief.eml" not in listed.text
    dialog = await cleo.get(f"/tasks/{card}", headers={"hx-request": "true"})
    assert "secret-pricing" not in dialog.text and "brief.eml" not in dialog.text
    board = await cleo.get(f"/projects/{agency.acme_project}")
    assert "card-cover" not in board.text and f"/attachments/{secret['secret-pricing.png']}" not in board.text
    project = await Project.select().where(Project.id == agency.acme_project).first()
    live = (await cards_now(project, [card]))[card]  # type: ignore[arg-type]
    assert live.cover_id == secret["secret-pricing.png"]  # the agency's card has it...
    assert live.for_audience(client_view=True).cover_id is None  # ... the client's does not
    # The agency sees both, and its history names them.
    ada_dialog = await (await as_user("ada")).get(f"/tasks/{card}", headers={"hx-request": "true"})
    assert "secret-pricing.png" in ada_dialog.text


async def test_a_shared_file_is_there_for_cleo_and_nobody_outside(card: int, agency: Agency, as_user: Any) -> None:
    attachment_id = await stored_image(card, agency, visibility=Visibility.CLIENT)
    expected = {"ada": 200, "max": 200, "cleo": 200, "mia": 404, "cole": 404}
    for who, status in expected.items():
        browser = await as_user(who)
        assert (await browser.get(f"/attachments/{attachment_id}")).status_code == status, who
        assert (await browser.get(f"/attachments/{attachment_id}/thumbnail")).status_code == status, who
        listed = await browser.get(f"/tasks/{card}/attachments")
        assert listed.status_code == status, who
        if status == 200:
            assert "hero.png" in listed.text


async def test_an_internal_file_is_the_agencys(card: int, agency: Agency, as_user: Any) -> None:
    attachment_id = await stored_image(card, agency, visibility=Visibility.INTERNAL)
    expected = {"ada": 200, "max": 200, "cleo": 404, "mia": 404, "cole": 404}
    for who, status in expected.items():
        assert (await (await as_user(who)).get(f"/attachments/{attachment_id}")).status_code == status, who


async def test_files_of_an_internal_card_do_not_exist_for_cleo(card: int, agency: Agency, as_user: Any) -> None:
    attachment_id = await stored_image(card, agency, visibility=Visibility.CLIENT)
    await Task.update({Task.internal: True}).where(Task.id == card)
    cleo = await as_user("cleo")
    assert (await cleo.get(f"/attachments/{attachment_id}")).status_code == 404
    assert (await cleo.get(f"/tasks/{card}/attachments")).status_code == 404
    assert (await upload(cleo, card, ("x.png", png()))).status_code == 404


async def test_cleo_attaches_a_file_the_agency_sees_and_she_may_delete(card: int, as_user: Any) -> None:
    cleo = await as_user("cleo")
    response = await upload(cleo, card, ("feedback.png", png()), visibility="internal")
    assert response.status_code == 200, response.text
    row = await Attachment.select().first()
    assert row is not None and row["visibility"] == "client"  # a client's upload is always shared
    assert "feedback.png" in (await (await as_user("max")).get(f"/tasks/{card}/attachments")).text
    assert "feedback.png" in (await cleo.get(f"/tasks/{card}/attachments")).text
    # She may not hide it from herself, nor make it the cover: that is the agency's.
    assert (await cleo.post(f"/attachments/{row['id']}/visibility", {"visibility": "internal"})).status_code == 403
    assert (await cleo.post(f"/attachments/{row['id']}/cover", {"cover": "true"})).status_code == 403
    assert (await cleo.post(f"/attachments/{row['id']}/delete", {}, htmx=True)).status_code == 200
    assert await Attachment.count() == 0


async def test_cole_cannot_attach_to_acme(card: int, as_user: Any) -> None:
    assert (await upload(await as_user("cole"), card, ("x.png", png()))).status_code == 404
    assert (await upload(await as_user("mia"), card, ("x.png", png()))).status_code == 404
    assert await Attachment.count() == 0
