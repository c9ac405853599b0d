"""Routes of the client review: members submit a week's plan; the client's users read it on a clean
page and approve it or ask for changes; anyone on the project comments; the plan prints.

Deciding is the client's: the agency sees the same page as a preview and gets 403 if it posts a
decision (it may see the sprint, so 404 would be a lie; 403 says it is not theirs to decide)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Template

from server.boards.schemas import read_comment, typed_form
from server.boards.store import sprint_of_week
from server.kernel.access import project_for, sprint_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import is_htmx, me_of, render, see_other, tz_of
from server.notifications import writes as news
from server.realtime.hub import AGENCY, CLIENT, hub_of
from server.rules.policy import Actor, can_see_internal
from server.rules.review import ReviewError, check_decision
from server.rules.weeks import monday_of
from server.sprints import review_writes
from server.sprints.review_store import Review, review_of
from server.sprints.schemas import read_note
from server.sprints.store import sprint_row


def viewer_of(me: Actor) -> str:
    return CLIENT if me.is_client else AGENCY


async def review_for(request: Request[Any, Any, Any], sprint_id: int, *, details: bool = True) -> Review:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id)
    return await review_of(project, sprint, client_view=not can_see_internal(me), tz=tz_of(request), details=details)


def page_context(me: Actor, review: Review, **extra: Any) -> dict[str, Any]:
    return {
        "review": review,
        "viewer": viewer_of(me),
        "can_decide": me.is_client and review.awaiting_client,
        "form": {},
        "errors": {},
        "alert": None,
        "nav": "portal" if me.is_client else "projects",
        **extra,
    }


async def review_answer(
    request: Request[Any, Any, Any], sprint_id: int, status: int = 200, **extra: Any
) -> Response[Any] | Template:
    """The review page again (its body alone for htmx); after a good plain form post, a redirect."""
    if status < 400 and not is_htmx(request):
        return see_other(f"/sprints/{sprint_id}/review")
    review = await review_for(request, sprint_id)
    template = "sprints/_review_page.html" if is_htmx(request) else "sprints/review.html"
    return render(request, template, status_code=status, **page_context(me_of(request), review, **extra))


# ---- the box (sprint page) and the board's badges -------------------------------------------


@get("/sprints/{sprint_id:int}/review-box", media_type=MediaType.HTML)
async def review_box(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template:
    """The review box, loaded by the sprint page (and reloaded after a step)."""
    review = await review_for(request, sprint_id, details=False)
    return render(request, "sprints/_review.html", review=review, viewer=viewer_of(me_of(request)))


@get("/projects/{project_id:int}/review-badges", media_type=MediaType.HTML)
async def board_badges(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    """The board header's badges: this week's and next week's plans, where their review stands."""
    me = me_of(request)
    project = await project_for(me, project_id)
    this_monday = monday_of(datetime.now(UTC).date())
    reviews = []
    for monday in (this_monday, this_monday + timedelta(days=7)):
        sprint = await sprint_of_week(project_id, monday)
        if sprint is not None:
            reviews.append(await review_of(project, sprint, client_view=me.is_client, details=False))
    return render(request, "sprints/_board_review.html", reviews=reviews, project=project)


# ---- review steps ----------------------------------------------------------------------------


@post("/sprints/{sprint_id:int}/submit", status_code=200)
async def submit(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Response[Any] | Template:
    me = me_of(request)
    _sprint, project = await sprint_for(me, sprint_id, write=True)
    try:
        await review_writes.submit(project, sprint_id, me, hub_of(request))
    except ReviewError as error:
        review = await review_for(request, sprint_id, details=False)
        return render(
            request, "sprints/_review.html", status_code=error.status, review=review, viewer=AGENCY, alert=str(error)
        )
    await _tell(request, project, sprint_id, me)
    if not is_htmx(request):
        return see_other(f"/sprints/{sprint_id}")
    review = await review_for(request, sprint_id, details=False)
    return render(request, "sprints/_review.html", review=review, viewer=AGENCY)


async def _tell(
    request: Request[Any, Any, Any], project: dict[str, Any], sprint_id: int, me: Actor, approved: bool | None = None
) -> None:
    """The news of a review step: the client's people hear a plan waits for them (`approved` None),
    the agency hears of the client's decision."""
    sprint = await sprint_row(sprint_id)
    if sprint is None:
        return
    delivery = news.delivery_of(request)
    if approved is None:
        await news.review_submitted(project, sprint, me, delivery)
    else:
        await news.review_decided(project, sprint, me, approved, sprint["review_note"] or "", delivery)


async def deciding_client(
    request: Request[Any, Any, Any], sprint_id: int
) -> tuple[Actor, dict[str, Any], dict[str, Any]]:
    """The client user deciding, the sprint and its project; the agency may see but not decide (403)."""
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id)
    if not me.is_client:
        raise PermissionDeniedException(_("Only the client’s people approve a plan or ask for changes."))
    return me, sprint, project


@post("/sprints/{sprint_id:int}/approve", status_code=200)
async def approve(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Response[Any] | Template:
    me, _sprint, project = await deciding_client(request, sprint_id)
    form = Form(await request.form())
    note = read_note(form, required=False)
    if not form.ok:
        return await review_answer(request, sprint_id, 422, form=dict(form.raw), errors=form.errors)
    try:
        await review_writes.decide(
            project, sprint_id, me, hub_of(request), approve=True, note=note, seen=form.value("plan")
        )
    except ReviewError as error:
        return await review_answer(request, sprint_id, error.status, alert=str(error))
    await _tell(request, project, sprint_id, me, approved=True)
    return await review_answer(request, sprint_id)


@post("/sprints/{sprint_id:int}/request-changes", status_code=200)
async def request_changes(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Response[Any] | Template:
    me, sprint, project = await deciding_client(request, sprint_id)
    form = Form(await request.form())
    try:
        check_decision(sprint["review_state"])
    except ReviewError as error:
        return await review_answer(request, sprint_id, error.status, alert=str(error))
    note = read_note(form, required=True)
    if not form.ok:
        return await review_answer(request, sprint_id, 422, form=dict(form.raw), errors=form.errors)
    try:
        await review_writes.decide(project, sprint_id, me, hub_of(request), approve=False, note=note, seen="")
    except ReviewError as error:
        return await review_answer(request, sprint_id, error.status, alert=str(error))
    await _tell(request, project, sprint_id, me, approved=False)
    return await review_answer(request, sprint_id)


# ---- pages -----------------------------------------------------------------------------------


@get("/sprints/{sprint_id:int}/review", name="sprint-review")
async def review_page(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template:
    review = await review_for(request, sprint_id)
    return render(request, "sprints/review.html", **page_context(me_of(request), review))


@get("/sprints/{sprint_id:int}/print", name="sprint-print")
async def print_page(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template:
    """The plan on one printable page: a client saves it as PDF from the browser."""
    review = await review_for(request, sprint_id)
    return render(request, "sprints/print.html", review=review, printed_at=datetime.now(UTC))


@post("/sprints/{sprint_id:int}/comments", status_code=200)
async def comment(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Response[Any] | Template:
    """Everyone on the project comments on the plan; the client's comments are always client-visible,
    the agency chooses (internal by default, as on cards)."""
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id)
    form = typed_form(await request.form(), "body")
    plan_comment = read_comment(form, by_client=me.is_client)
    if not form.ok:
        return await review_answer(request, sprint_id, 422, comment_form=dict(form.raw), comment_errors=form.errors)
    if project["archived"]:
        raise PermissionDeniedException(_("This project is archived: its plans take no more comments."))
    await review_writes.add_comment(project, sprint, me, hub_of(request), plan_comment.body, plan_comment.visibility)
    return await review_answer(request, sprint_id)


ROUTES = [review_box, board_badges, submit, approve, request_changes, review_page, print_page, comment]
