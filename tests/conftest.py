"""Shared fixtures: a migrated database emptied before each test, a real Redis, the app, and the
personas of STYLE.md (admin ada, members max and mia, client users cleo of Acme and cole of Globex)."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from piccolo.engine import engine_finder
from piccolo.table import sort_table_classes
from redis.asyncio import Redis

from server.kernel.config import Settings
from server.kernel.db import is_sqlite, write_transaction
from server.kernel.migrate import migrate
from server.kernel.passwords import hash_password
from server.piccolo_app import APP_CONFIG
from server.rules.policy import Role
from server.tables import Client, Membership, Project, User
from tests.settings import POSTGRES_URL, REDIS_URL

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if REDIS_URL:
        yield REDIS_URL
        return
    from server.kernel.redis_runtime import EmbeddedRedis

    embedded = EmbeddedRedis()
    yield embedded.url
    embedded.stop()


@pytest.fixture(scope="session", autouse=True)
async def schema(redis_url: str) -> AsyncIterator[None]:
    """Migrate an empty database once per run: proves the history applies from nothing."""
    os.environ["REDIS_URL"] = redis_url
    engine = engine_finder()
    assert engine is not None
    if POSTGRES_URL:
        await engine.run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await migrate()
    yield


TABLES = sort_table_classes(APP_CONFIG.table_classes)


@pytest.fixture(scope="session")
async def postgres_cleaner(schema: None) -> AsyncIterator[Any]:
    """One connection of its own for emptying tables: the simple query protocol takes several
    statements in one round trip (Piccolo's queries are prepared, one statement each)."""
    if not POSTGRES_URL:
        yield None
        return
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL)
    yield connection
    await connection.close()


# Children first; then every id sequence back to 1, as on a fresh database (setval is not DDL: cheap).
EMPTY_POSTGRES = "; ".join(
    [f'DELETE FROM "{t._meta.tablename}"' for t in reversed(TABLES)]
    + [f"SELECT setval(pg_get_serial_sequence('\"{t._meta.tablename}\"', 'id'), 1, false)" for t in TABLES]
)


@pytest.fixture(autouse=True)
async def clean(schema: None, redis_url: str, postgres_cleaner: Any) -> AsyncIterator[None]:
    """Every test starts with empty tables and an empty Redis database."""
    engine = engine_finder()
    assert engine is not None
    if is_sqlite(engine):
        async with write_transaction(engine):  # one commit, not one per table
            for table in reversed(TABLES):
                await table.delete(force=True)
    else:
        # DELETE, children first, in one round trip: ~0.4 ms, where TRUNCATE of these tables costs
        # ~60 ms a test (it makes new files for every table), most of what the PostgreSQL pass took.
        await postgres_cleaner.execute(EMPTY_POSTGRES)
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    yield


class Lifespan:
    """Runs an ASGI app's lifespan in a task of its own, as a server does, so that startup and
    shutdown can happen in different fixture phases."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def _expect(self, kind: str) -> None:
        message = await asyncio.wait_for(self.outbox.get(), timeout=30)
        assert message["type"] == kind, message

    async def start(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        await self._expect("lifespan.startup.complete")

    async def stop(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self._expect("lifespan.shutdown.complete")
        assert self.task is not None
        await self.task


@asynccontextmanager
async def running_app(settings: Settings | None = None) -> AsyncIterator[Any]:
    """An application built by create_app (with these settings, or the environment's), its lifespan
    running as a server runs it."""
    from server.app import create_app

    application = create_app(settings)
    lifespan = Lifespan(application)
    await lifespan.start()
    try:
        yield application
    finally:
        await lifespan.stop()


@pytest.fixture(scope="session")
async def app(schema: None, redis_url: str) -> AsyncIterator[Any]:
    """One application for the run: building one costs ~0.2 s (route signatures), and it keeps no
    state of its own between tests (sessions and throttles live in Redis, emptied per test)."""
    async with running_app() as application:
        yield application


CSRF_IN_PAGE = re.compile(r'name="_csrf_token" value="([^"]+)"|"x-csrftoken": "([^"]+)"')


class Browser:
    """An HTTP client that behaves like a browser: cookies, CSRF token, optional htmx headers."""

    def __init__(self, app: Any) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)), base_url="http://testserver"
        )
        self.csrf = ""

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.http.get(path, **kwargs)
        if match := CSRF_IN_PAGE.search(response.text):
            self.csrf = match.group(1) or match.group(2)
        return response

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, htmx: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if csrf and not self.csrf:
            await self.get("/login")
        headers = dict(kwargs.pop("headers", {}))
        if csrf:
            headers["x-csrftoken"] = self.csrf
        if htmx:
            headers["hx-request"] = "true"
        return await self.http.post(path, data=data, headers=headers, **kwargs)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        await self.get("/login")
        response = await self.post("/login", {"email": email, "password": password})
        await self.get("/profile")  # a fresh CSRF token for the new session
        return response

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest.fixture
async def browser(app: Any) -> AsyncIterator[Browser]:
    client = Browser(app)
    yield client
    await client.aclose()


@dataclass(frozen=True)
class Persona:
    """Who a persona is: the user seed_agency makes for them."""

    email: str
    name: str
    role: Role
    client: str | None = None  # client users: their client's field in Agency ("acme", "globex")


PERSONAS = {
    "ada": Persona("ada@agency.test", "Ada Admin", Role.ADMIN),
    "max": Persona("max@agency.test", "Max Member", Role.MEMBER),
    "mia": Persona("mia@agency.test", "Mia Member", Role.MEMBER),
    "cleo": Persona("cleo@acme.test", "Cleo Client", Role.CLIENT, client="acme"),
    "cole": Persona("cole@globex.test", "Cole Client", Role.CLIENT, client="globex"),
}
EMAILS = {name: persona.email for name, persona in PERSONAS.items()}


@dataclass
class Agency:
    """The personas' ids."""

    acme: int
    globex: int
    ada: int
    max: int
    mia: int
    cleo: int
    cole: int
    acme_project: int
    globex_project: int
    brand_project: int
    max_on_acme: int


async def seed_agency() -> Agency:
    acme, globex = await Client.insert(
        Client(name="Acme", currency="EUR", hourly_rate=Decimal("95.00"), rounding_increment=15),
        Client(name="Globex", currency="USD", hourly_rate=Decimal("120.00")),
    ).returning(Client.id)
    clients = {"acme": acme["id"], "globex": globex["id"]}
    people = await User.insert(
        *(
            User(
                email=persona.email,
                name=persona.name,
                role=persona.role.value,
                client=clients[persona.client] if persona.client else None,
                password_hash=PASSWORD_HASH,
            )
            for persona in PERSONAS.values()
        )
    ).returning(User.id)
    ada, max_, mia, cleo, cole = (p["id"] for p in people)
    projects = await Project.insert(
        Project(client=acme["id"], name="Acme website", key="ACME", shared_with_client=True),
        Project(client=globex["id"], name="Globex app", key="GLOBEX", shared_with_client=True),
        Project(client=acme["id"], name="Acme brand book", key="BRAND", shared_with_client=False),
    ).returning(Project.id)
    acme_project, globex_project, brand_project = (p["id"] for p in projects)
    memberships = await Membership.insert(
        Membership(project=acme_project, member=max_),
        Membership(project=globex_project, member=mia),
        Membership(project=brand_project, member=max_),
    ).returning(Membership.id)
    return Agency(
        acme=acme["id"],
        globex=globex["id"],
        ada=ada,
        max=max_,
        mia=mia,
        cleo=cleo,
        cole=cole,
        acme_project=acme_project,
        globex_project=globex_project,
        brand_project=brand_project,
        max_on_acme=memberships[0]["id"],
    )


@pytest.fixture
async def agency() -> Agency:
    engine = engine_finder()
    assert engine is not None
    async with write_transaction(engine):
        return await seed_agency()


@pytest.fixture
async def as_user(app: Any, agency: Agency) -> Any:
    """`await as_user("max")` gives a Browser signed in as that persona."""

    async def sign_in(name: str) -> Browser:
        client = Browser(app)
        response = await client.login(EMAILS[name])
        assert response.status_code == 303, response.text
        return client

    return sign_in


@pytest.fixture
async def ada(as_user: Any) -> Browser:
    """ada signed in, as the admin's pages need her."""
    browser: Browser = await as_user("ada")
    return browser
