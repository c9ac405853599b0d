"""Fixtures for the JSON API: a board with cards on the ACME and Globex projects, and personal
API tokens for the personas, used from a cookie-less client as a script would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from server.accounts.writes import create_token
from server.boards.changes import Silent
from server.boards.writes import create_default_columns, create_task
from server.rules.policy import Actor, Role
from server.tables import BoardColumn
from tests.conftest import Agency


@dataclass
class Boards:
    """The ACME board's columns (Backlog … Done) and cards, and one card on Globex's board."""

    acme_columns: list[int]
    globex_columns: list[int]
    homepage: int  # ACME, Backlog, first
    footer: int  # ACME, Backlog, second
    globex_card: int


async def column_ids(project_id: int) -> list[int]:
    await create_default_columns(project_id)
    rows = await BoardColumn.select(BoardColumn.id).where(BoardColumn.project == project_id).order_by(BoardColumn.rank)
    return [r["id"] for r in rows]


@pytest.fixture
async def boards(agency: Agency) -> Boards:
    ada = Actor(id=agency.ada, email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)
    acme_project = {"id": agency.acme_project}
    acme_columns = await column_ids(agency.acme_project)
    globex_columns = await column_ids(agency.globex_project)
    homepage = await create_task(acme_project, ada, acme_columns[0], "Homepage hero copy", Silent())
    footer = await create_task(acme_project, ada, acme_columns[0], "Footer links", Silent())
    globex_card = await create_task({"id": agency.globex_project}, ada, globex_columns[0], "App icon", Silent())
    return Boards(acme_columns, globex_columns, homepage, footer, globex_card)


class Script:
    """A cookie-less API client, as a script would use one: a bearer token and JSON."""

    def __init__(self, app: Any, token: str) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50001)),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        )

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest.fixture
async def token_of(agency: Agency) -> Callable[[str], Awaitable[str]]:
    """`await token_of("max")`: a fresh personal API token of that persona."""
    ids = {"ada": agency.ada, "max": agency.max, "mia": agency.mia, "cleo": agency.cleo, "cole": agency.cole}

    async def make(name: str) -> str:
        return await create_token(ids[name], f"{name}'s script")

    return make


@pytest.fixture
async def script(app: Any) -> AsyncIterator[Callable[[str], Script]]:
    """`script(token)`: an API client sending that token; closed after the test."""
    opened: list[Script] = []

    def open_script(token: str) -> Script:
        client = Script(app, token)
        opened.append(client)
        return client

    yield open_script
    for client in opened:
        await client.aclose()


@pytest.fixture
async def as_script(
    token_of: Callable[[str], Awaitable[str]], script: Callable[[str], Script]
) -> Callable[[str], Awaitable[httpx.AsyncClient]]:
    """`await as_script("max")`: an httpx client authenticated by a new token of max."""

    async def open_as(name: str) -> httpx.AsyncClient:
        return script(await token_of(name)).http

    return open_as
