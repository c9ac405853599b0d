"""Fixtures for the JSON API: a board with cards on the ACME and Globex projects, and personal
API tokens for the personas, used from a cookie-less client as a script would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from server.accounts.writes import create_token
from tests.conftest import Agency
from tests.factories import add_card, columns_of


@dataclass
class Boards:
    """The ACME board's columns (Backlog … Done) and cards, and one card on Globex's board."""

    acme_columns: list[int]
    globex_columns: list[int]
    homepage: int  # ACME, Backlog, first
    footer: int  # ACME, Backlog, second
    globex_card: int


@pytest.fixture
async def boards(agency: Agency) -> Boards:
    acme_columns = list((await columns_of(agency.acme_project)).values())
    globex_columns = list((await columns_of(agency.globex_project)).values())
    homepage = await add_card(agency.acme_project, "Homepage hero copy", column="Backlog")
    footer = await add_card(agency.acme_project, "Footer links", column="Backlog")
    globex_card = await add_card(agency.globex_project, "App icon", column="Backlog")
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

    async def make(name: str) -> str:
        return await create_token(getattr(agency, name), f"{name}'s script")

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
