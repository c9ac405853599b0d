"""Graceful stop. A web process on SIGTERM drains its sockets: each board socket gets its board's
current sequence number (a last heartbeat), then close code 1012, which the page's websocket
extension answers by reconnecting (to another process) and catching up from that number; the
process is gone within the stop timeout. A worker on SIGTERM takes no new job, lets a running one
finish, and past BOARDROOM_WORKER_STOP_SECONDS cancels it: arq queues it again and another worker
finishes it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import time

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.billing import jobs
from server.kernel.config import ROOT
from tests.billing.jobs_support import add_entries, new_summary, slow_worker_command
from tests.billing.test_jobs_recovery import namespace, wait_for_status
from tests.conftest import Agency
from tests.factories import add_card
from tests.live import LiveSession
from tests.realtime.conftest import catch_up, ws_url
from tests.realtime.servers import free_port
from tests.realtime.test_websocket import board_seq
from tests.scale import procfile
from tests.settings import TMP

pytestmark = pytest.mark.slow

BEAT = re.compile(r"<!--board-heartbeat seq=(\d+) realtime=(up|down)-->")


async def last_words(socket: ClientConnection) -> tuple[list[str], int, str]:
    """Everything the server sends until it closes the socket, and the close code and reason."""
    heard: list[str] = []
    async with asyncio.timeout(15):
        try:
            while True:
                heard.append(str(await socket.recv()))
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "the server closed the socket without a close frame"
            return heard, closed.rcvd.code, closed.rcvd.reason


async def test_sigterm_gives_each_board_socket_its_sequence_number_then_1012(agency: Agency, redis_url: str) -> None:
    await add_card(agency.acme_project, "Hero copy")
    await add_card(agency.globex_project, "App icon")
    web = procfile.start("web", redis_url, port=free_port())
    with procfile.running([web]):
        procfile.wait_until_serving(web)
        ada = await LiveSession(web.url).login("ada")
        try:
            boards = [agency.acme_project, agency.acme_project, agency.globex_project]
            sockets = [
                await connect(ws_url(web.url, p), additional_headers={"Cookie": ada.cookie_header}, origin=web.url)  # type: ignore[arg-type]
                for p in boards
            ]
            for socket in sockets:
                await catch_up(socket, -1)  # subscribed
            web.process.send_signal(signal.SIGTERM)
            ends = await asyncio.gather(*(last_words(s) for s in sockets))
        finally:
            await ada.aclose()
        code = web.stop()
    for project, (heard, close_code, reason) in zip(boards, ends, strict=True):
        beats = [BEAT.match(m) for m in heard if BEAT.match(m)]
        assert beats, f"no farewell heartbeat before the close: {heard}"
        last = beats[-1]
        assert last is not None and int(last.group(1)) == await board_seq(project)
        assert close_code == 1012 and "reconnect" in reason
    assert code in (0, -signal.SIGTERM), web.output()[-2000:]
    assert "Traceback" not in web.output()


async def test_a_stopping_worker_finishes_the_job_it_is_running(agency: Agency, redis_url: str) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1", "BOARDROOM_WORKER_STOP_SECONDS": "20"}
    with (TMP / "finishing-worker.log").open("wb") as log:
        worker = subprocess.Popen(slow_worker_command(0.5), cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: ASYNC220
    try:
        pool = await create_pool(RedisSettings.from_dsn(redis_url))
        await jobs.enqueue(pool, summary_id, 0, namespace())
        await pool.aclose()
        await wait_for_status(summary_id, "running")
        worker.send_signal(signal.SIGTERM)
        began = time.monotonic()
        code = await asyncio.to_thread(worker.wait, procfile.STOP_SECONDS)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    row = await wait_for_status(summary_id, "done", seconds=1)
    assert row["attempts"] == 1 and row["total_minutes"] == 110
    assert code == 0 and time.monotonic() - began < 20


async def test_a_worker_stopped_past_its_wait_releases_its_job_to_another(agency: Agency, redis_url: str) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1", "BOARDROOM_WORKER_STOP_SECONDS": "1"}
    with (TMP / "releasing-worker.log").open("wb") as log:
        slow = subprocess.Popen(slow_worker_command(3), cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: ASYNC220
    other = None
    try:
        pool = await create_pool(RedisSettings.from_dsn(redis_url))
        await jobs.enqueue(pool, summary_id, 0, namespace())
        await pool.aclose()
        await wait_for_status(summary_id, "running")
        slow.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(slow.wait, 10)  # 1 s for the job, then cancelled and gone
        other = procfile.start("worker", redis_url)  # the Procfile's worker line
        row = await wait_for_status(summary_id, "done", seconds=20)
    finally:
        for process in (slow, other.process if other else None):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    assert code == 0
    assert row["attempts"] == 2 and row["total_minutes"] == 110 and row["error"] == ""
