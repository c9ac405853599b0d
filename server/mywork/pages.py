"""My work's pages: the page itself (/me) and its sections alone (/me/sections), which the page
fetches again whenever the person's socket says their work changed. A client's user has no such
page: their first page is the portal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from babel import Locale
from litestar import MediaType, Request, Response, get
from litestar.response import Redirect, Template

from server.kernel import i18n
from server.kernel.access import agency_only
from server.kernel.templating import render_fragment
from server.kernel.web import fragment_response, me_of, render, see_other, today_of, tz_of
from server.mywork import store
from server.rules import mywork
from server.rules.entries import is_long_running
from server.rules.policy import Actor
from server.time.fragments import timer_fragment
from server.time.store import running_timer


def first_weekday() -> int:
    """The day a week starts on in the reader's language (Babel: 0 Monday … 6 Sunday)."""
    return Locale.parse(i18n.current_locale()).first_week_day


async def sections_context(me: Actor, request: Request[Any, Any, Any]) -> dict[str, Any]:
    today, tz = today_of(request), tz_of(request)
    week = mywork.week_of(today, first_weekday())
    project_ids = await store.project_ids_of(me)
    cards = await store.my_cards(me, project_ids, today)
    running = await running_timer(me.id)
    return {
        "today": today,
        "week": week,
        "groups": mywork.grouped(cards, today, week),
        "total": len(cards),
        "hours": await store.my_hours(me, project_ids, today, week, tz),
        "plans": await store.waiting_plans(me, project_ids),
        "running": running,
        "long": running is not None and is_long_running(running["started_at"], datetime.now(UTC)),
    }


@get("/me", name="my-work")
async def my_work(request: Request[Any, Any, Any]) -> Template | Redirect:
    me = me_of(request)
    if me.is_client:
        return see_other("/portal")
    return render(request, "mywork/page.html", nav="mywork", **await sections_context(me, request))


@get("/me/sections", guards=[agency_only], media_type=MediaType.HTML)
async def my_work_sections(request: Request[Any, Any, Any]) -> Response[str]:
    """The page's sections as they are now, and the header timer beside them (out of band): a
    timer started or stopped in another tab shows in this one's header too."""
    me = me_of(request)
    context = await sections_context(me, request)
    html = render_fragment("mywork/_sections.html", me=me, **context)
    return fragment_response(html + await timer_fragment(me, oob=True))


ROUTES = [my_work, my_work_sections]
