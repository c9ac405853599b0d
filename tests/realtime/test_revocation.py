"""Revoked access closes sockets, against a real server: each of the six revoking actions, done over
HTTP as the person or the admin does it, closes the sockets that lost access (and only those) with
the code the page explains (4401 signed out, 4404 no access to this board), while everyone else's
sockets stay open and go on receiving the board's events. A catch-up after a revocation gets nothing,
and a revocation whose signal never came (made straight in the database) is found by the socket's
periodic re-check."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from server.kernel.config import realtime_timings
from server.realtime.guard import NO_ACCESS as NO_ACCESS_ENDING
from server.realtime.guard import SPREAD, Checks, Guard
from server.realtime.hub import user_channel
from server.realtime.pubsub import Ending, Subscription
from server.tables import Membership
from tests.clients.test_project_edit import acme_website
from tests.conftest import PASSWORD, Agency
from tests.factories import add_card, columns_of
from tests.live import LiveSession
from tests.realtime.conftest import BoardSocket, Sessions, next_event
from tests.realtime.test_personal_socket import NAMESPACE, open_socket, received
from tests.realtime.test_websocket import board_seq

RECHECK_SECONDS = realtime_timings().access_recheck  # as the suite sets it (tests/settings.py)

pytestmark = pytest.mark.slow

SIGNED_OUT, NO_ACCESS = 4401, 4404
# A signalled revocation closes a socket at once. This bound only has to be well under the periodic
# re-check (RECHECK_SECONDS, spread), so that a test passing cannot be the periodic re-check's doing.
SIGNALLED_WITHIN = RECHECK_SECONDS * SPREAD[0] / 2
PERIODIC_WITHIN = RECHECK_SECONDS * SPREAD[1] + 10
NEW_PASSWORD = "a brand new passphrase"


async def closed_with(socket: ClientConnection, seconds: float = SIGNALLED_WITHIN) -> tuple[int, list[str]]:
    """The code the server closes this socket with, and what it sent before closing."""
    before: list[str] = []
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(seconds):
            while True:
                before.append(str(await socket.recv()))
    assert closed.value.rcvd is not None, "the server closed the socket with a code"
    return closed.value.rcvd.code, before


async def moved_by_ada(ada: LiveSession, project_id: int) -> int:
    """Ada adds a card and moves it (an event every viewer of the board hears); the board's number."""
    card = await add_card(project_id, "Moved after the revocation")
    cols = await columns_of(project_id)
    response = await ada.post(f"/tasks/{card}/move", {"column_id": cols["Review"], "version": 1})
    assert response.status_code == 200, response.text
    return await board_seq(project_id)


async def still_receives(socket: ClientConnection, seq: int) -> None:
    """The socket is still open, and gets the board's event `seq`."""
    got, _html = await next_event(socket)
    assert got == seq


@asynccontextmanager
async def personal_socket(
    base_url: str, session: LiveSession, user_id: int, redis_url: str
) -> AsyncIterator[ClientConnection]:
    """The person's personal socket (/ws), once its subscription is live."""
    socket = await open_socket(base_url, session)
    redis = Redis.from_url(redis_url)
    try:
        assert await received(socket, redis, user_channel(NAMESPACE, user_id), '<div id="jobs">ready</div>')
        yield socket
    finally:
        await redis.aclose()
        await socket.close()


async def still_hears_personal_news(socket: ClientConnection, user_id: int, redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        assert await received(socket, redis, user_channel(NAMESPACE, user_id), '<div id="jobs">still here</div>')
    finally:
        await redis.aclose()


async def test_signing_out_closes_that_session_s_sockets_with_4401_and_not_his_other_session_s(
    agency: Agency, live_server: str, session_of: Sessions, board_socket: BoardSocket, redis_url: str
) -> None:
    max_here, max_there, ada = await session_of("max"), await session_of("max"), await session_of("ada")
    async with (
        personal_socket(live_server, max_here, agency.max, redis_url) as here_personal,
        personal_socket(live_server, max_there, agency.max, redis_url) as there_personal,
        board_socket(max_here, agency.acme_project) as here_board,
        board_socket(max_there, agency.acme_project) as there_board,
        board_socket(ada, agency.acme_project) as ada_board,
    ):
        response = await max_here.post("/logout", {})
        assert response.status_code == 303

        assert (await closed_with(here_board))[0] == SIGNED_OUT
        assert (await closed_with(here_personal))[0] == SIGNED_OUT
        seq = await moved_by_ada(ada, agency.acme_project)
        await still_receives(there_board, seq)  # his other browser is still signed in
        await still_receives(ada_board, seq)
        await still_hears_personal_news(there_personal, agency.max, redis_url)


async def test_a_password_change_closes_every_socket_opened_under_the_old_password_with_4401(
    agency: Agency, live_server: str, session_of: Sessions, board_socket: BoardSocket, redis_url: str
) -> None:
    max_here, max_there, ada = await session_of("max"), await session_of("max"), await session_of("ada")
    async with (
        board_socket(max_here, agency.acme_project) as here_board,
        board_socket(max_there, agency.acme_project) as there_board,
        personal_socket(live_server, max_there, agency.max, redis_url) as there_personal,
        board_socket(ada, agency.acme_project) as ada_board,
    ):
        response = await max_here.post(
            "/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 303, response.text

        assert (await closed_with(there_board))[0] == SIGNED_OUT
        assert (await closed_with(there_personal))[0] == SIGNED_OUT
        # The socket of the tab he changed it in was opened with the session the change replaced.
        assert (await closed_with(here_board))[0] == SIGNED_OUT
        seq = await moved_by_ada(ada, agency.acme_project)
        await still_receives(ada_board, seq)
        async with board_socket(max_here, agency.acme_project) as reopened:  # his new session works
            seq = await moved_by_ada(ada, agency.acme_project)
            await still_receives(reopened, seq)


async def test_deactivating_max_closes_his_sockets_with_4401_and_nobody_else_s(
    agency: Agency, live_server: str, session_of: Sessions, board_socket: BoardSocket, redis_url: str
) -> None:
    max_, mia, cleo, ada = [await session_of(p) for p in ("max", "mia", "cleo", "ada")]
    async with (
        board_socket(max_, agency.acme_project) as max_board,
        personal_socket(live_server, max_, agency.max, redis_url) as max_personal,
        personal_socket(live_server, mia, agency.mia, redis_url) as mia_personal,
        board_socket(cleo, agency.acme_project) as cleo_board,
        board_socket(ada, agency.acme_project) as ada_board,
    ):
        response = await ada.post(f"/admin/users/{agency.max}/active", {"active": ""})
        assert response.status_code == 303, response.text

        assert (await closed_with(max_board))[0] == SIGNED_OUT
        assert (await closed_with(max_personal))[0] == SIGNED_OUT
        seq = await moved_by_ada(ada, agency.acme_project)
        await still_receives(cleo_board, seq)
        await still_receives(ada_board, seq)
        await still_hears_personal_news(mia_personal, agency.mia, redis_url)


async def test_removing_max_from_the_team_closes_his_socket_on_that_board_with_4404_only(
    agency: Agency, live_server: str, session_of: Sessions, board_socket: BoardSocket, redis_url: str
) -> None:
    max_, cleo, ada = await session_of("max"), await session_of("cleo"), await session_of("ada")
    async with (
        board_socket(max_, agency.acme_project) as max_acme,
        board_socket(max_, agency.brand_project) as max_brand,
        personal_socket(live_server, max_, agency.max, redis_url) as max_personal,
        board_socket(cleo, agency.acme_project) as cleo_acme,
    ):
        response = await ada.post(f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove", {})
        assert response.status_code == 303, response.text
        seq = await moved_by_ada(ada, agency.acme_project)  # at once, before his socket is seen to close

        code, before = await closed_with(max_acme)
        assert code == NO_ACCESS
        assert not any("data-seq" in m for m in before), "nothing published after the removal reached him"
        await still_receives(cleo_acme, seq)
        await still_receives(max_brand, await moved_by_ada(ada, agency.brand_project))  # still on that team
        await still_hears_personal_news(max_personal, agency.max, redis_url)


async def test_unsharing_the_project_closes_its_client_s_sockets_on_it_with_4404(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cleo, cole, max_, ada = [await session_of(p) for p in ("cleo", "cole", "max", "ada")]
    async with (
        board_socket(cleo, agency.acme_project) as cleo_acme,
        board_socket(cole, agency.globex_project) as cole_globex,
        board_socket(max_, agency.acme_project) as max_acme,
    ):
        # The settings form as it was, with "shared with the client" unticked.
        response = await ada.post(f"/admin/projects/{agency.acme_project}", acme_website(agency))
        assert response.status_code == 303, response.text

        assert (await closed_with(cleo_acme))[0] == NO_ACCESS
        await still_receives(max_acme, await moved_by_ada(ada, agency.acme_project))
        await still_receives(cole_globex, await moved_by_ada(ada, agency.globex_project))


async def test_archiving_the_project_closes_its_client_s_sockets_with_4404_and_keeps_the_team_s(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    cleo, max_, ada = await session_of("cleo"), await session_of("max"), await session_of("ada")
    async with (
        board_socket(cleo, agency.acme_project) as cleo_acme,
        board_socket(max_, agency.acme_project) as max_acme,
        board_socket(ada, agency.acme_project) as ada_acme,
    ):
        response = await ada.post(f"/admin/projects/{agency.acme_project}/archived", {"archived": "true"})
        assert response.status_code == 303, response.text

        assert (await closed_with(cleo_acme))[0] == NO_ACCESS
        seq = await moved_by_ada(ada, agency.acme_project)
        await still_receives(max_acme, seq)  # the team still sees an archived project (read-only)
        await still_receives(ada_acme, seq)


async def test_a_catch_up_after_a_revocation_gets_nothing_and_closes_the_socket(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    await add_card(agency.acme_project, "Secret plans")
    max_ = await session_of("max")
    async with board_socket(max_, agency.acme_project) as max_acme:
        # Taken away straight in the database: no signal, so only the catch-up's own check sees it.
        await Membership.delete().where(Membership.id == agency.max_on_acme)
        await max_acme.send('{"after": -1}')
        code, before = await closed_with(max_acme)
    assert code == NO_ACCESS
    assert not any("board-catch-up" in m or "Secret plans" in m for m in before), before


async def test_a_revocation_whose_signal_never_came_closes_the_socket_at_the_periodic_re_check(
    agency: Agency, session_of: Sessions, board_socket: BoardSocket
) -> None:
    max_ = await session_of("max")
    async with board_socket(max_, agency.acme_project) as max_acme:
        await Membership.delete().where(Membership.id == agency.max_on_acme)  # no signal
        code, before = await closed_with(max_acme, PERIODIC_WITHIN)
    assert code == NO_ACCESS
    assert not any("data-seq" in m for m in before)


async def test_sockets_asking_the_same_question_share_one_check_started_after_they_asked() -> None:
    checks, asked = Checks(), []

    async def check() -> Ending | None:
        asked.append(1)
        await asyncio.sleep(0.01)
        return None

    since = time.monotonic()
    answers = await asyncio.gather(*(checks.answer(("board", "s1", 7), check, since) for _ in range(50)))
    assert answers == [None] * 50 and len(asked) == 1
    await checks.answer(("board", "s1", 7), check, time.monotonic())  # asked after that check began
    await checks.answer(("board", "s2", 7), check, since)  # another session
    assert len(asked) == 3


async def test_after_a_signal_nothing_goes_out_before_the_re_check_and_lost_access_ends_the_subscription() -> None:
    answer_now = asyncio.Event()

    async def check() -> Ending | None:
        await answer_now.wait()
        return NO_ACCESS_ENDING

    guard = Guard(Checks(), ("board", "s1", 7), check, ["access:board:7"], every=3600)
    subscription = Subscription(["board:7"], signals=guard.signals, on_signal=guard.signal)
    guard.bind(subscription)
    watching = asyncio.create_task(guard.watch())
    try:
        subscription.deliver("recheck", "access:board:7")
        subscription.deliver("<li>published after the revocation</li>", "board:7")
        cleared = asyncio.create_task(guard.cleared())
        await asyncio.sleep(0.1)
        assert not cleared.done(), "the message waits for the re-check"
        answer_now.set()
        async with asyncio.timeout(5):
            await cleared
        assert await subscription.next() == NO_ACCESS_ENDING, "the waiting message was dropped"
    finally:
        watching.cancel()
