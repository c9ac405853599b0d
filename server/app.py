"""create_app(): wires Boardroom's plugins, stores and routes in one place."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from arq import ArqRedis
from litestar import Litestar, Request, Response, Router, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.htmx import HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from piccolo.engine import engine_finder
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.accounts import pages as account_pages
from server.accounts import token_pages, user_pages
from server.accounts.auth import retrieve_user
from server.accounts.bearer import SessionOrTokenAuth, signed_in_or_404
from server.accounts.sessions import RotatingSessionConfig
from server.attachments import pages as attachment_pages
from server.billing import api as billing_api
from server.billing import pages as billing_pages
from server.boards import api as board_api
from server.boards import card_pages, column_pages
from server.boards import pages as board_pages
from server.boards import sockets as board_sockets
from server.budgets import alert_pages as budget_alert_pages
from server.budgets import margin_pages
from server.budgets import pages as budget_pages
from server.budgets import sockets as budget_sockets
from server.clients import pages as client_pages
from server.clients import project_pages
from server.imports import pages as import_pages
from server.kernel import i18n
from server.kernel.access import not_found
from server.kernel.config import ROOT, Settings
from server.kernel.database_store import DatabaseStore
from server.kernel.db import close_pool, open_pool
from server.kernel.errors import http_error, redis_unavailable, server_error
from server.kernel.forms import MAX_ID
from server.kernel.health import constant, database_up, is_up, redis_up
from server.kernel.health import report as health_report
from server.kernel.templating import environment
from server.kernel.web import actor_of, locale_of
from server.mywork import pages as my_work_pages
from server.notifications import pages as notification_pages
from server.portal import pages as portal_pages
from server.portal import summary_pages
from server.realtime import sockets
from server.realtime.hub import BoardHub, hub_of
from server.realtime.pubsub import PubSub
from server.realtime.stopping import drained_on_sigterm
from server.reports import pages as report_pages
from server.reports import portal_pages as report_portal_pages
from server.reports import share_pages as report_share_pages
from server.rules.policy import Actor
from server.sprints import pages as sprint_pages
from server.sprints import review_pages, share_pages
from server.time import card_pages as card_time_pages
from server.time import entry_pages
from server.time import pages as time_pages

UI = ROOT / "ui"
# Every route module (pages, api, sockets) lists its handlers in ROUTES; this is the one place they are mounted.
ROUTE_MODULES = (
    account_pages, token_pages, user_pages,
    client_pages, project_pages,
    board_pages, card_pages, column_pages, board_api, board_sockets,
    attachment_pages,
    time_pages, entry_pages, card_time_pages,
    sprint_pages, review_pages, share_pages,
    billing_pages, billing_api,
    budget_pages, margin_pages, budget_alert_pages, budget_sockets,
    report_pages, report_portal_pages, report_share_pages,
    portal_pages, summary_pages,
    import_pages,
    notification_pages,
    my_work_pages,
    sockets,
)  # fmt: skip
SESSION_DAYS = 14


@get("/health", exclude_from_auth=True)
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """200 when this process's database, Redis and realtime subscriber are all up, else 503 naming
    what is down (for monitoring and orchestrators; docs/scaling.md). No session, no CSRF cookie."""
    hub = hub_of(request)
    body = await health_report({"database": database_up, "redis": redis_up(hub.redis), "realtime": constant(hub.up)})
    return Response(body, status_code=200 if is_up(body) else 503)


@get("/health/live", exclude_from_auth=True)
async def health_live(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """200 while this process serves pages, which it does with Redis away (boards then poll): only the
    database decides. Route a load balancer by this one, or a Redis outage empties it of processes."""
    body = await health_report({"database": database_up})
    return Response(body, status_code=200 if is_up(body) else 503)


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))


async def before_each_request(request: Request[Any, Any, Any]) -> None:
    # An id no row can have (0, negative, past the 32-bit keys) is simply not found, for every route,
    # before it reaches a query that PostgreSQL would reject; so is a path with a NUL in it (no file
    # has one: the static files' lookup would raise).
    if "\x00" in request.scope["path"] or any(
        isinstance(v, int) and not 0 < v <= MAX_ID for v in request.path_params.values()
    ):
        raise not_found()
    i18n.set_locale(locale_of(request, actor_of(request)))


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    redis = Redis.from_url(settings.redis_url)

    @asynccontextmanager
    async def database_pool(app: Litestar) -> AsyncGenerator[None, None]:
        engine = engine_finder()
        await open_pool(engine, max_size=10)
        # arq's queue: the web enqueues billing summaries, the worker runs them. It connects when
        # first used (arq's create_pool would refuse to start the web while Redis is away).
        app.state.arq = ArqRedis.from_url(settings.redis_url)
        try:
            yield
        finally:
            await app.state.arq.aclose()
            await close_pool(engine)
            await redis.aclose()

    session_auth = SessionOrTokenAuth(
        retrieve_user_handler=retrieve_user,
        session_backend_config=RotatingSessionConfig(
            max_age=SESSION_DAYS * 24 * 3600,
            secure=settings.secure_cookies,
            samesite="lax",
            httponly=True,
            key="boardroom_session",
            store="sessions",
        ),
        exclude=["^/static/", "^/health(/live)?$", "^/schema(/|$)"],  # the schema: signed_in_or_404
    )

    async def signed_in(request: Request[Any, Any, Any]) -> Actor | None:
        session = await session_auth.session_backend.load_from_connection(request)
        return await retrieve_user(session, request) if session else None

    templates = template_config()
    hub = BoardHub(
        PubSub(settings.redis_url), settings.channel_namespace, locales=i18n.SUPPORTED, timings=settings.realtime
    )

    @asynccontextmanager
    async def realtime(app: Litestar) -> AsyncGenerator[None, None]:
        # Started after the database (heartbeats read it), stopped first, in seconds even with Redis gone.
        await hub.start()
        try:
            async with drained_on_sigterm(hub):  # SIGTERM: sockets told to reconnect elsewhere first
                yield
        finally:
            await hub.stop()

    return Litestar(
        route_handlers=[
            health,
            health_live,
            create_static_files_router(path="/static", directories=[UI / "static"], send_as_attachment=False),
            *(handler for module in ROUTE_MODULES for handler in module.ROUTES),
        ],
        state=State(
            {
                "hub": hub,
                "revocations": hub.revocations,  # kernel.revocations.revoke: open sockets re-check access
                "redis": redis,
                "settings": settings,
                # kernel.errors: who is signed in, for an error page raised before the session was read
                "signed_in": signed_in,
            }
        ),
        # In the database, not Redis: a Redis outage must not sign anyone out or fail their requests.
        stores={"sessions": DatabaseStore("sessions"), "limits": DatabaseStore("limits")},
        on_app_init=[session_auth.on_app_init],
        plugins=[FlashPlugin(FlashConfig(template_config=templates))],
        template_config=templates,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.secure_cookies,
            cookie_name="boardroom_csrf",
            cookie_samesite="lax",
            exclude=["^/health(/live)?$"],  # probes get no cookie
        ),
        request_class=HTMXRequest,
        # The schema documents the JSON API only (its router opts back in), for signed-in people.
        include_in_schema=False,
        openapi_config=OpenAPIConfig(
            title="Boardroom API",
            version="1",
            description="Projects, boards, cards and billing summaries. Authenticate with a personal API "
            "token (Authorization: Bearer …) from your profile page.",
            path="/schema",
            openapi_router=Router(path="/schema", route_handlers=[], guards=[signed_in_or_404]),
        ),
        before_request=before_each_request,
        exception_handlers={
            HTTPException: http_error,
            RedisConnectionError: redis_unavailable,
            RedisTimeoutError: redis_unavailable,
            Exception: server_error,
        },
        lifespan=[database_pool, realtime],
        logging_config=LoggingConfig(log_exceptions="debug" if settings.debug else "never"),
        debug=settings.debug,
    )
