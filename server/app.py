"""create_app(): wires Boardroom's plugins, stores and routes in one place."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from arq import create_pool
from arq.connections import RedisSettings
from litestar import Litestar, Request, get
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.logging import LoggingConfig
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.htmx import HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig
from piccolo.engine import engine_finder
from redis.asyncio import Redis

from server.accounts import routes as account_routes
from server.accounts import tokens as account_tokens
from server.accounts.auth import retrieve_user
from server.accounts.bearer import SessionOrTokenAuth
from server.accounts.sessions import RotatingSessionConfig
from server.accounts.users import UserAdmin
from server.billing import api as billing_api
from server.billing import portal as billing_portal
from server.billing import routes as billing_routes
from server.boards import api as board_api
from server.boards import columns as board_columns
from server.boards import details as card_details
from server.boards import routes as board_routes
from server.clients import projects
from server.clients.routes import ClientAdmin
from server.kernel import i18n
from server.kernel.access import not_found
from server.kernel.config import ROOT, Settings
from server.kernel.db import close_pool, open_pool
from server.kernel.errors import http_error, server_error
from server.kernel.forms import MAX_ID
from server.kernel.templating import environment
from server.kernel.web import actor_of
from server.portal import routes as portal_routes
from server.realtime import routes as realtime_routes
from server.realtime.hub import BoardHub
from server.sprints import review_routes, share
from server.sprints import routes as sprint_routes
from server.time import card_routes as card_time_routes
from server.time import entry_pages
from server.time import routes as time_routes

UI = ROOT / "ui"
SESSION_DAYS = 14


@get("/health", exclude_from_auth=True, sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))


async def before_each_request(request: Request[Any, Any, Any]) -> None:
    # An id no row can have (0, negative, past the 32-bit keys) is simply not found, for every route,
    # before it reaches a query that PostgreSQL would reject.
    if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in request.path_params.values()):
        raise not_found()
    me = actor_of(request)
    i18n.set_locale(i18n.negotiate(request.headers.get("accept-language"), me.locale if me else None))


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    redis = Redis.from_url(settings.redis_url)

    @asynccontextmanager
    async def database_pool(app: Litestar) -> AsyncGenerator[None, None]:
        engine = engine_finder()
        await open_pool(engine, max_size=10)
        # arq's queue: the web enqueues billing summaries, the worker runs them
        app.state.arq = await create_pool(RedisSettings.from_dsn(settings.redis_url))
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
        exclude=["^/static/", "^/health$", "^/schema"],
    )
    templates = template_config()
    channels = ChannelsPlugin(
        backend=RedisChannelsPubSubBackend(redis=redis, key_prefix="boardroom:channels"),
        arbitrary_channels_allowed=True,
        create_ws_route_handlers=False,
    )
    return Litestar(
        route_handlers=[
            health,
            create_static_files_router(path="/static", directories=[UI / "static"], send_as_attachment=False),
            account_routes.login_page,
            account_routes.login,
            account_routes.logout,
            account_routes.profile_page,
            account_routes.change_password,
            projects.home,
            projects.project_list,
            UserAdmin,
            ClientAdmin,
            projects.ProjectAdmin,
            board_routes.board_page,
            board_routes.quick_add,
            board_routes.move,
            board_routes.changes,
            time_routes.timer,
            time_routes.start_timer,
            time_routes.stop_timer,
            time_routes.timesheet_page,
            time_routes.log_time,
            time_routes.cell_form,
            time_routes.set_cell,
            time_routes.delete_entry,
            entry_pages.edit_entry_page,
            card_time_routes.log_on_card,
            entry_pages.update_entry,
            time_routes.lock_week,
            time_routes.unlock_week,
            board_columns.create,
            board_columns.edit,
            board_columns.move,
            board_columns.archive,
            *card_details.ROUTES,
            realtime_routes.board_socket,
            realtime_routes.personal_socket,
            board_api.router,
            account_tokens.token_section,
            account_tokens.add_token,
            account_tokens.revoke,
            *sprint_routes.ROUTES,
            *review_routes.ROUTES,
            *share.ROUTES,
            *portal_routes.ROUTES,
            *billing_routes.ROUTES,
            *billing_portal.ROUTES,
            billing_api.router,
        ],
        state=State(
            {
                "channels": channels,
                "hub": BoardHub(channels, redis, settings.channel_namespace),
                "redis": redis,
                "settings": settings,
            }
        ),
        stores={
            "sessions": RedisStore(redis, namespace="boardroom:sessions"),
            "limits": RedisStore(redis, namespace="boardroom:limits"),
        },
        on_app_init=[session_auth.on_app_init],
        plugins=[FlashPlugin(FlashConfig(template_config=templates)), channels],
        template_config=templates,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.secure_cookies,
            cookie_name="boardroom_csrf",
            cookie_samesite="lax",
        ),
        request_class=HTMXRequest,
        before_request=before_each_request,
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=[database_pool],
        logging_config=LoggingConfig(log_exceptions="debug" if settings.debug else "never"),
        debug=settings.debug,
    )
