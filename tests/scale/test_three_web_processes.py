"""Three web processes over one Redis and one database, started from the Procfile's web line: two as
one uvicorn with `--workers 2` on one port, one more on another port (as a second host would be).
Nothing one of them needs lives in another's memory: a move made through any reaches the viewers on
all three, a person signed in through one is signed in on all, and the login throttle counts the
failures made through each."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import psutil
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import EMAILS, PASSWORD, Agency
from tests.factories import add_card, columns_of
from tests.live import LiveSession
from tests.realtime.conftest import catch_up, next_event, ws_url
from tests.realtime.servers import free_port
from tests.realtime.test_websocket import board_seq
from tests.scale import procfile

pytestmark = pytest.mark.slow

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def webs(schema: None, redis_url: str) -> Iterator[tuple[procfile.Process, procfile.Process]]:
    """`web` on port A with WEB_CONCURRENCY=2 (two processes behind one port) and on port B with 1."""
    pair = procfile.start("web", redis_url, port=free_port(), extra_env={"WEB_CONCURRENCY": "2"})
    single = procfile.start("web", redis_url, port=free_port())
    with procfile.running([pair, single]):
        procfile.wait_until_serving(pair, single)
        yield pair, single


def serving_pid(web: procfile.Process, socket: ClientConnection) -> int:
    """Which of the port's processes holds this client's connection."""
    port = socket.local_address[1]
    parent = psutil.Process(web.process.pid)
    for each in [parent, *parent.children(recursive=True)]:
        if any(c.raddr and c.raddr.port == port for c in each.net_connections(kind="tcp")):
            return each.pid
    raise AssertionError(f"no process of {web.url} holds the connection from port {port}")


@pytest.fixture
async def viewers(
    agency: Agency, webs: tuple[procfile.Process, procfile.Process]
) -> AsyncIterator[tuple[list[ClientConnection], set[int]]]:
    """Board sockets on ACME's board: on port A until both of its processes hold some, and one on
    port B; with the pids that hold them (three)."""
    pair, single = webs
    ada_on_a = await LiveSession(pair.url).login("ada")
    ada_on_b = await LiveSession(single.url).login("ada")
    sockets: list[ClientConnection] = []
    pids: set[int] = set()
    try:

        async def opened(session: LiveSession) -> ClientConnection:
            socket = await connect(
                ws_url(session.base_url, agency.acme_project),
                additional_headers={"Cookie": session.cookie_header},
                origin=session.base_url,  # type: ignore[arg-type]
            )
            await catch_up(socket, -1)
            sockets.append(socket)
            return socket

        while len(pids) < 2:
            assert len(sockets) < 30, "one uvicorn process took every connection on port A"
            pids.add(serving_pid(pair, await opened(ada_on_a)))
        pids.add(serving_pid(single, await opened(ada_on_b)))
        yield sockets, pids
    finally:
        for socket in sockets:
            await socket.close()
        await ada_on_a.aclose()
        await ada_on_b.aclose()


async def test_a_move_through_any_process_reaches_viewers_on_all_three(
    agency: Agency, webs: tuple[procfile.Process, procfile.Process], viewers: tuple[list[ClientConnection], set[int]]
) -> None:
    sockets, pids = viewers
    assert len(pids) == 3
    cols = await columns_of(agency.acme_project)
    card = await add_card(agency.acme_project, "Hero copy")
    seq = await board_seq(agency.acme_project)
    for version, (web, column) in enumerate([(webs[0], "Done"), (webs[1], "Backlog")], start=1):
        mover = await LiveSession(web.url).login("max")
        try:
            moved = await mover.post(f"/tasks/{card}/move", {"column_id": cols[column], "version": version})
            assert moved.status_code == 200, moved.text
        finally:
            await mover.aclose()
        heard = await asyncio.gather(*(next_event(s) for s in sockets))
        assert {got for got, _ in heard} == {seq + version}, f"through {web.url}"
        assert all(f'id="task-{card}"' in html for _, html in heard)


async def test_signed_in_through_one_is_signed_in_on_all_and_signed_out_on_all(
    agency: Agency, webs: tuple[procfile.Process, procfile.Process]
) -> None:
    pair, single = webs
    mia = await LiveSession(single.url).login("mia")
    try:
        for _ in range(6):  # port A's two processes both get some of these
            page = await mia.http.get(f"{pair.url}/projects")
            assert page.status_code == 200 and "Sign in" not in page.text[:2000]
        cookie = mia.cookie_header  # the session as it was, to show it to the other port afterwards
        out = await mia.http.post(f"{pair.url}/logout", headers={"x-csrftoken": mia.csrf})
        assert out.status_code in (200, 303), out.text
        async with httpx.AsyncClient(timeout=10) as stale:
            after = await stale.get(f"{single.url}/projects", headers={"Cookie": cookie})
        assert after.status_code in (302, 303, 401), after.status_code
    finally:
        await mia.aclose()


async def failed_login(http: httpx.AsyncClient, base_url: str, password: str) -> int:
    page = await http.get(f"{base_url}/login")
    match = CSRF.search(page.text)
    assert match
    answer = await http.post(
        f"{base_url}/login", data={"email": EMAILS["cleo"], "password": password, "_csrf_token": match.group(1)}
    )
    return answer.status_code


async def test_the_login_throttle_counts_failures_made_through_every_process(
    agency: Agency, webs: tuple[procfile.Process, procfile.Process]
) -> None:
    pair, single = webs
    async with httpx.AsyncClient(timeout=10) as http:
        # Five wrong passwords, spread over both ports (and so over all three processes, or most).
        for base in (pair.url, single.url, pair.url, single.url, pair.url):
            assert await failed_login(http, base, "wrong password") in (400, 401, 422)
        # The sixth try, right password and another process: still refused.
        assert await failed_login(http, single.url, PASSWORD) == 429
        assert await failed_login(http, pair.url, PASSWORD) == 429
