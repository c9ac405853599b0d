"""What open boards are told when files change: the agency's page gets the card's new cover; cleo's
socket never carries an internal file's cover (nor its id), and gets a shared one. After each event,
every page equals a fresh load of the board (the wire model of tests/boards/wire.py)."""

from __future__ import annotations

from typing import Any

import pytest

from server.attachments.store import attachment_for
from server.attachments.writes import remove_attachment, set_attachment_visibility, set_cover
from server.realtime.hub import CLIENT
from server.rules.attachments import Visibility
from tests.attachments.matrix import stored_image
from tests.boards.test_wire_format import VIEWERS, Board, board_on, ids_in, seeded
from tests.conftest import Agency
from tests.factories import actor, columns_of


@pytest.fixture
async def board(agency: Agency, as_user: Any) -> Board:
    await columns_of(agency.acme_project)
    await seeded(agency.acme_project)
    return await board_on(agency, {who: await as_user(who) for who in VIEWERS}, agency.acme_project)


async def test_an_internal_cover_reaches_the_agency_only_and_a_shared_one_reaches_cleo(board: Board) -> None:
    task_id = (await ids_in(board.cols["To do"]))[0]
    ada = actor(board.agency, "ada")
    image = await stored_image(task_id, board.agency, visibility=Visibility.INTERNAL, announcer=board.told)
    attachment, task, _project = await attachment_for(ada, image)
    await set_cover(attachment, task, ada, board.told)
    drawn = board.told.drawn[-1]
    assert f"/attachments/{image}/thumbnail" in drawn["agency"]
    assert "card-cover" not in drawn[CLIENT] and f"/attachments/{image}" not in drawn[CLIENT]
    await board.deliver()
    await board.check("an internal cover")

    await set_attachment_visibility(attachment, task, ada, Visibility.CLIENT, board.told)
    assert f"/attachments/{image}/thumbnail" in board.told.drawn[-1][CLIENT]
    await board.deliver()
    await board.check("the cover shared")

    attachment, task, _project = await attachment_for(ada, image)
    await remove_attachment(attachment, task, ada, board.told)
    assert all("card-cover" not in html for html in board.told.drawn[-1].values())
    await board.deliver()
    await board.check("the cover deleted")


async def test_a_file_added_redraws_the_card_for_both_and_names_nothing_internal_to_cleo(board: Board) -> None:
    task_id = (await ids_in(board.cols["To do"]))[0]
    await stored_image(task_id, board.agency, visibility=Visibility.INTERNAL, announcer=board.told)
    assert "hero.png" not in board.told.drawn[-1][CLIENT]
    await board.deliver()
    await board.check("a file added")
