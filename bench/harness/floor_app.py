"""The stack's floor for a card move, served by `bench/stack_floor.py`: Litestar on uvicorn, reading the
same form a move posts and answering about as many bytes as a move's answer, with nothing of
Boardroom's own (no session, no CSRF, no ORM, no templates). FLOOR_DSN set: the request also makes a
move's database round trips with raw asyncpg on a pool (five one-row reads, then a transaction of
three statements), so the figure is Litestar + asyncpg + PostgreSQL, the part no code of ours can
remove."""

from __future__ import annotations

import os
from typing import Any

import asyncpg
from litestar import Litestar, Request, get, post
from litestar.response import Response

DSN = os.environ.get("FLOOR_DSN", "")
ANSWER = "<li id='task-{id}' class='card'>" + "x" * 1100 + "</li>"
_pool: list[asyncpg.Pool] = []


async def pool() -> asyncpg.Pool:
    if not _pool:
        _pool.append(await asyncpg.create_pool(DSN, min_size=1, max_size=4))
    return _pool[0]


@get("/health")
async def health() -> str:
    return "ok"


@post("/tasks/{task_id:int}/move", status_code=200)
async def move(request: Request[Any, Any, Any], task_id: int) -> Response[str]:
    form = await request.form()
    column_id, version = int(form["column_id"]), int(form["version"])
    if DSN:
        db = await pool()
        for _ in range(5):  # the session, the user, the card, the project, the membership
            await db.fetchrow("SELECT id, column_id, rank, version FROM floor_task WHERE id = $1", task_id)
        async with db.acquire() as connection, connection.transaction():  # the number, the place, the write
            await connection.fetchval("UPDATE floor_board SET seq = seq + 1 WHERE id = 1 RETURNING seq")
            await connection.fetch(
                "SELECT id, rank FROM floor_task WHERE column_id = $1 ORDER BY rank LIMIT 2", column_id
            )
            await connection.execute(
                "UPDATE floor_task SET column_id = $1, version = version + 1 WHERE id = $2", column_id, task_id
            )
    return Response(ANSWER.format(id=task_id), media_type="text/html", headers={"X-Version": str(version + 1)})


app = Litestar([health, move])
