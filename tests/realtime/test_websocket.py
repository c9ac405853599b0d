"""The board websocket against a real server, with a real `websockets` client: events reach every
viewer numbered in order, catch-up after a reconnect, who may connect, and presence."""

from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.boards.changes import Silent
from server.boards.writes import move_task
from server.tables import Project, Task
from tests.conftest import Agency
from tests.factories import actor, add_card, add_cards, columns_of
from tests.live import LiveSession
from tests.realtime.conftest import WAIT, BoardSocket, Sessions, catch_up, next_event, next_presence, ws_url

pytestmark = pytest.mark.slow


async def board_seq(project_id: int) -> int:
    row = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    assert row is not None
    return int(row["event_seq"])


async def close_code(base_url: str, session: LiveSession | None, project_id: int, origin: str | None = None) -> int:
    """Open a board socket the server should refuse; the close code it gives."""
    headers = {"Cookie": session.cookie_header} if session else {}
    async with connect(
        ws_url(base_url, project_id),
        additional_headers=headers,
        origin=origin or base_url,  # type: ignore[arg-type]
        open_timeout=WAIT,
    ) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(WAIT):
                await socket.recv()
    assert closed.value.rcvd is not None, "the server closed the socket with a code"
    return closed.value.rcvd.code


async def test_a_move_by_max_reaches_ada_and_cleo_with_the_next_sequence_number(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cols = await columns_of(agency.acme_project)
    a, _b = await add_cards(agency.acme_project, "Hero copy", "Footer")
    seq = await board_seq(agency.acme_project)
    max_, ada, cleo = await session_of("max"), await session_of("ada"), await session_of("cleo")
    async with board_socket(ada, agency.acme_project) as ada_ws, board_socket(cleo, agency.acme_project) as cleo_ws:
        response = await max_.post(f"/tasks/{a}/move", {"column_id": cols["Review"], "version": 1})
        assert response.status_code == 200, response.text
        for socket in (ada_ws, cleo_ws):
            got, html = await next_event(socket)
            assert got == seq + 1
            into_review = f'<ol hx-swap-oob="afterbegin:#column-{cols["Review"]}-cards"><li id="task-{a}"'
            assert into_review in html, "the card arrives at the top of the (empty) Review column"
            assert f'id="column-{cols["To do"]}-count"' in html, "the column it left gets its counter"


async def test_cleo_gets_the_client_rendering_without_move_menus_or_quick_add(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "Hero copy")
    max_, ada, cleo = await session_of("max"), await session_of("ada"), await session_of("cleo")
    async with board_socket(cleo, agency.acme_project) as cleo_ws, board_socket(ada, agency.acme_project) as ada_ws:
        await max_.post(f"/tasks/{a}/move", {"column_id": cols["Review"], "version": 1})
        _, for_cleo = await next_event(cleo_ws)
        _, for_ada = await next_event(ada_ws)
    assert f'id="task-{a}"' in for_cleo
    assert "move-btn" not in for_cleo and "timer-start" not in for_cleo  # the card, drawn for the client
    assert "move-btn" in for_ada and "timer-start" in for_ada


async def test_mia_who_is_not_on_the_project_is_refused_with_4404(
    agency: Agency, live_server: str, session_of: Sessions
) -> None:
    assert await close_code(live_server, await session_of("mia"), agency.acme_project) == 4404


async def test_cleo_is_refused_a_board_not_shared_with_her_client(
    agency: Agency, live_server: str, session_of: Sessions
) -> None:
    assert await close_code(live_server, await session_of("cleo"), agency.brand_project) == 4404


async def test_an_anonymous_socket_is_refused_with_4403(agency: Agency, live_server: str) -> None:
    assert await close_code(live_server, None, agency.acme_project) == 4403


async def test_a_page_on_another_site_cannot_open_the_socket_with_max_cookie(
    agency: Agency, live_server: str, session_of: Sessions
) -> None:
    max_ = await session_of("max")
    assert await close_code(live_server, max_, agency.acme_project, origin="https://evil.example") == 4403


async def test_a_refused_socket_hears_no_board_events(
    agency: Agency, live_server: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    """Mia's refused socket must not have been subscribed on the way out."""
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "Secret")
    mia, max_ = await session_of("mia"), await session_of("max")
    async with connect(
        ws_url(live_server, agency.acme_project),
        additional_headers={"Cookie": mia.cookie_header},
        origin=live_server,  # type: ignore[arg-type]
        open_timeout=WAIT,
    ) as socket:
        await max_.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(WAIT):
                message = await socket.recv()
                pytest.fail(f"mia received {message!r}")


async def test_a_reconnecting_socket_gets_what_it_missed_in_one_message(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cols = await columns_of(agency.acme_project)
    a, b, c = await add_cards(agency.acme_project, "A", "B", "C")
    missed_from = await board_seq(agency.acme_project)
    ada = actor(agency, "ada")
    for task_id, target in ((a, "Review"), (b, "Done"), (c, "In progress")):
        task = await Task.select().where(Task.id == task_id).first()
        assert task is not None
        await move_task(task, ada, column_id=cols[target], before_id=None, version=1, announcer=Silent())
    now = await board_seq(agency.acme_project)
    assert now == missed_from + 3
    async with board_socket(await session_of("max"), agency.acme_project) as ws:
        seq, html = await catch_up(ws, missed_from)
    assert seq == now
    for task_id, target in ((a, "Review"), (b, "Done"), (c, "In progress")):
        assert f'<ol hx-swap-oob="afterbegin:#column-{cols[target]}-cards"><li id="task-{task_id}"' in html
    assert f'id="column-{cols["To do"]}-count"' in html, "the emptied column gets its counter"


async def test_a_socket_that_is_up_to_date_gets_no_catch_up(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    seq = await board_seq(agency.acme_project)
    max_ = await session_of("max")
    async with board_socket(await session_of("ada"), agency.acme_project) as ws:
        await ws.send(json.dumps({"after": seq}))
        await max_.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
        got, _ = await next_event(ws)
    assert got == seq + 1, "the first numbered message is the live event, not a replay"


async def test_ada_appears_in_max_presence_when_she_connects_and_leaves_when_she_goes(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await columns_of(agency.acme_project)
    max_, ada = await session_of("max"), await session_of("ada")
    async with board_socket(max_, agency.acme_project) as max_ws:
        async with board_socket(ada, agency.acme_project):
            here = await next_presence(max_ws, until=lambda html: ">AA<" in html)
            assert ">MM<" in here, "max sees himself too"
        gone = await next_presence(max_ws)
        assert ">AA<" not in gone and ">MM<" in gone


async def test_a_viewer_sees_herself_in_presence_once_connected(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await columns_of(agency.acme_project)
    async with board_socket(await session_of("ada"), agency.acme_project, ready=False) as ws:
        await next_presence(ws, until=lambda html: ">AA<" in html)


async def forget_all_but_sessions(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    async for key in redis.scan_iter():
        if not key.startswith(b"boardroom:sessions"):
            await redis.delete(key)
    await redis.aclose()


async def test_cleo_still_gets_live_updates_after_redis_forgot_who_was_watching(
    agency: Agency, redis_url: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    """Whether anyone of the client is watching must not be a count kept beside Redis's own: one
    that lost its keys (a flush, a restore; the suite flushes between tests) while cleo's first
    socket was open went below zero when it closed, and her next socket got nothing."""
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "Hero copy")
    max_, ada, cleo = await session_of("max"), await session_of("ada"), await session_of("cleo")
    async with board_socket(ada, agency.acme_project) as ada_ws:
        async with board_socket(cleo, agency.acme_project):
            await next_presence(ada_ws, until=lambda html: ">CC<" in html)
            await forget_all_but_sessions(redis_url)
        await next_presence(ada_ws, until=lambda html: ">CC<" not in html)
        async with board_socket(cleo, agency.acme_project) as cleo_ws:
            await max_.post(f"/tasks/{a}/move", {"column_id": cols["Review"], "version": 1})
            _, html = await next_event(cleo_ws)
    assert f'id="task-{a}"' in html and "move-menu" not in html
