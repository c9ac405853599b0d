"""A card's visibility (issue 11): every card is shared with the client or internal. An internal card
never reaches the client's people: not their board, its dialog, the API, the review page, a share
link, nor a websocket message (the wire model of tests/boards/wire.py applies the client audience's
messages to cleo's page, which must stay equal to a fresh load). The agency sees and sets it."""

from __future__ import annotations

from typing import Any

import pytest

from server.boards import fragments
from server.boards.changes import Silent
from server.boards.writes import set_visibility, update_task
from server.realtime.hub import CLIENT
from server.sprints import share_writes
from server.sprints.schemas import ShareLinkInput
from server.tables import Project, Task
from tests.boards.matrix import INTERNAL_CARD_ROUTES
from tests.boards.test_wire_format import VIEWERS, Board, _move, board_on, ids_in, seeded
from tests.conftest import Agency
from tests.factories import actor, add_card, columns_of, task_row, weekly_sprint


@pytest.fixture
async def board(agency: Agency, as_user: Any) -> Board:
    """The ACME board of tests/boards/test_wire_format.py, open in ada's and cleo's browsers."""
    await columns_of(agency.acme_project)
    await seeded(agency.acme_project)
    return await board_on(agency, {who: await as_user(who) for who in VIEWERS}, agency.acme_project)


async def make_internal(task_id: int, agency: Agency, internal: bool = True, told: Any = None) -> None:
    await set_visibility(await task_row(task_id), actor(agency, "ada"), internal, told or Silent())


# ---- routes


async def test_an_internal_card_does_not_exist_for_cleo_anywhere(agency: Agency, as_user: Any) -> None:
    sprint_id = await weekly_sprint(agency.acme_project)
    secret = await add_card(agency.acme_project, "Scratch notes on pricing", sprint_id=sprint_id)
    await add_card(agency.acme_project, "Homepage hero", sprint_id=sprint_id)
    await make_internal(secret, agency)
    cleo, ada = await as_user("cleo"), await as_user("ada")
    for route in INTERNAL_CARD_ROUTES:
        method, path = route.split(" ", 1)
        path = path.format(task_id=secret, project_id=agency.acme_project, sprint_id=sprint_id)
        response = await (cleo.get(path) if method == "GET" else cleo.post(path, {"body": "hi"}))
        if method == "GET" and "{task_id" not in route:
            assert response.status_code == 200, route
            assert "Scratch notes" not in response.text, route
            assert f"task-{secret}" not in response.text and f"/tasks/{secret}" not in response.text, route
        else:
            assert response.status_code == 404, route
    # The agency still sees it (and the shared card is there for cleo).
    assert "Scratch notes on pricing" in (await ada.get(f"/projects/{agency.acme_project}")).text
    assert "Homepage hero" in (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert "Scratch notes on pricing" in (await ada.get(f"/sprints/{sprint_id}")).text


async def test_the_dialog_says_who_sees_the_card_and_ada_switches_it(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Homepage hero")
    ada, cleo = await as_user("ada"), await as_user("cleo")
    dialog = await ada.get(f"/tasks/{task_id}", headers={"hx-request": "true"})
    assert "Acme can see this card" in dialog.text and "Make internal" in dialog.text

    answer = await ada.post(f"/tasks/{task_id}/visibility", {"internal": "true"}, htmx=True)
    assert answer.status_code == 200
    assert "Internal: Acme cannot see this card" in answer.text and "Share with Acme" in answer.text
    assert (await task_row(task_id))["internal"] is True
    page = (await ada.get(f"/projects/{agency.acme_project}")).text
    assert "chip-internal" in page and "Internal: Acme cannot see this card" in page
    assert (await cleo.get(f"/tasks/{task_id}")).status_code == 404
    assert "made this card internal" in (await ada.get(f"/tasks/{task_id}", headers={"hx-request": "true"})).text

    await ada.post(f"/tasks/{task_id}/visibility", {"internal": "false"}, htmx=True)
    assert (await task_row(task_id))["internal"] is False
    assert (await cleo.get(f"/tasks/{task_id}")).status_code == 200


async def test_a_visibility_that_is_not_understood_is_refused(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Homepage hero")
    ada = await as_user("ada")
    answer = await ada.post(f"/tasks/{task_id}/visibility", {"internal": "maybe"}, htmx=True)
    assert answer.status_code == 422 and "Choose whether the client sees this card." in answer.text
    assert (await task_row(task_id))["internal"] is False


async def test_an_unshared_projects_card_says_when_the_client_will_see_it(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.brand_project, "Logo sketches")
    dialog = await (await as_user("ada")).get(f"/tasks/{task_id}", headers={"hx-request": "true"})
    assert "who will see it once this project is shared with them" in dialog.text


async def test_new_cards_start_with_the_projects_default(agency: Agency, as_user: Any) -> None:
    before = await add_card(agency.acme_project, "Before")
    await Project.update({Project.new_cards_internal: True}).where(Project.id == agency.acme_project)
    after = await add_card(agency.acme_project, "After")
    assert (await task_row(before))["internal"] is False
    assert (await task_row(after))["internal"] is True
    cleo = await as_user("cleo")
    board_html = (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert "Before" in board_html and "After" not in board_html


async def test_internal_cards_count_in_the_agencys_column_counter_not_the_clients(agency: Agency, as_user: Any) -> None:
    first = await add_card(agency.acme_project, "One")
    await add_card(agency.acme_project, "Two")
    await make_internal(first, agency)
    column = (await task_row(first))["column"]
    ada, cleo = await as_user("ada"), await as_user("cleo")
    assert f'id="column-{column}-count"' in (ada_board := (await ada.get(f"/projects/{agency.acme_project}")).text)
    assert _count(ada_board, column) == 2
    assert _count((await cleo.get(f"/projects/{agency.acme_project}")).text, column) == 1


def _count(html: str, column: int) -> int:
    start = html.index(f'id="column-{column}-count"')
    return int(html[html.index(">", start) + 1 : html.index("<", start)])


# ---- the wire: what cleo's socket receives


async def test_a_card_made_internal_leaves_cleos_page_and_nothing_of_it_reaches_her_after(board: Board) -> None:
    task_id = (await ids_in(board.cols["To do"]))[1]
    await make_internal(task_id, board.agency, told=board.told)
    drawn = board.told.drawn[-1]
    assert f'<li id="task-{task_id}" hx-swap-oob="delete"></li>' in drawn[CLIENT]
    assert "Footer links" not in drawn[CLIENT] and "Footer links" in drawn["agency"]
    await board.deliver()
    await board.check("made internal")

    task = await board.task(task_id)
    await update_task(
        task, actor(board.agency, "ada"), {Task.title: "Secret margin notes"}, version=task["version"],
        verb="edited", announcer=board.told,
    )  # fmt: skip
    everything = [c for name in board.cols for c in await ids_in(board.cols[name])]
    await _move(board, everything.index(task_id), "Review", None)
    for drawn in board.told.drawn:
        assert "Secret" not in drawn[CLIENT] and f"task-{task_id}" not in drawn[CLIENT]
        assert "Secret margin notes" in drawn["agency"]
    await board.deliver()
    await board.check("an internal card edited and moved")


async def test_a_card_shared_again_joins_cleos_page_below_the_shared_card_above_it(board: Board) -> None:
    hero, footer, pricing = await ids_in(board.cols["To do"])
    await make_internal(footer, board.agency, told=board.told)
    await make_internal(pricing, board.agency, told=board.told)
    await board.deliver()
    await board.check("two made internal")
    await make_internal(pricing, board.agency, internal=False, told=board.told)
    client_message = board.told.drawn[-1][CLIENT]
    assert f"afterend:#task-{hero}" in client_message and "Pricing table" in client_message
    await board.deliver()
    await board.check("shared again, below an internal card")
    assert board.pages["cleo"].cards()[board.cols["To do"]] == [hero, pricing]


async def test_cleo_catches_up_across_visibility_changes(board: Board) -> None:
    _hero, footer, pricing = await ids_in(board.cols["To do"])
    after = board.pages["cleo"].seq
    await make_internal(footer, board.agency, told=board.told)
    await make_internal(pricing, board.agency, told=board.told)
    await make_internal(footer, board.agency, internal=False, told=board.told)
    board.told.take()
    for who, audience in VIEWERS.items():
        missed = await fragments.catch_up(await board.project(), after, audience)
        assert missed is not None
        board.pages[who].receive("<!--board-catch-up-->" + missed)
    await board.check("caught up")
    assert "Pricing table" not in (await fragments.catch_up(await board.project(), after, CLIENT) or "")


async def test_a_share_link_stops_showing_a_card_made_internal(agency: Agency, browser: Any) -> None:
    sprint_id = await weekly_sprint(agency.acme_project)
    task_id = await add_card(agency.acme_project, "Scratch notes on pricing", sprint_id=sprint_id)
    await add_card(agency.acme_project, "Homepage hero", sprint_id=sprint_id)
    token = await share_writes.create_link(agency.acme_project, ShareLinkInput("", "", None), actor(agency, "ada"))
    assert "Scratch notes on pricing" in (await browser.get(f"/share/{token}")).text
    await make_internal(task_id, agency)
    page = await browser.get(f"/share/{token}")
    assert page.status_code == 200 and "Homepage hero" in page.text and "Scratch notes" not in page.text
