"""Two web processes sharing one Redis: what happens in one reaches websockets held by the other."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Agency
from tests.factories import add_card, columns_of
from tests.live import running_server
from tests.realtime.conftest import BoardSocket, Sessions, next_event, next_presence
from tests.realtime.test_websocket import board_seq

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def second_server(schema: None, redis_url: str) -> Iterator[str]:
    """Process B, beside the shared `live_server` (process A): same database, same Redis."""
    with running_server(redis_url) as base_url:
        yield base_url


async def test_a_move_through_process_a_reaches_a_socket_on_process_b(
    agency: Agency, live_server: str, second_server: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "Hero copy")
    seq = await board_seq(agency.acme_project)
    max_on_a = await session_of("max", live_server)
    ada_on_b = await session_of("ada", second_server)
    async with board_socket(ada_on_b, agency.acme_project) as ws:
        response = await max_on_a.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
        assert response.status_code == 200, response.text
        got, html = await next_event(ws)
    assert got == seq + 1
    assert f'<ol hx-swap-oob="afterbegin:#column-{cols["Done"]}-cards"><li id="task-{a}"' in html


async def test_presence_counts_viewers_on_both_processes(
    agency: Agency, live_server: str, second_server: str, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await columns_of(agency.acme_project)
    max_on_a = await session_of("max", live_server)
    ada_on_b = await session_of("ada", second_server)
    async with board_socket(max_on_a, agency.acme_project) as max_ws:
        async with board_socket(ada_on_b, agency.acme_project):
            await next_presence(max_ws, until=lambda html: ">AA<" in html)
        gone = await next_presence(max_ws)
    assert ">AA<" not in gone and ">MM<" in gone
