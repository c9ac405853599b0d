"""The admin's billing pages: ask for a summary, watch it, read it, export it, finalise, unlock and
share it; what is not billed yet. The worker computes the numbers (jobs); these handlers read the
request, load the summary (store.summary_for), call schemas, writes, jobs or exports, and render."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.billing import charts, exports, jobs, store, writes
from server.billing.cost_store import margins_of
from server.billing.errors import BillingError
from server.billing.fragments import job_chip
from server.billing.schemas import read_csv_style, read_new_summary
from server.billing.summary_store import left_out_of_client_copy
from server.kernel.access import admin_only
from server.kernel.forms import Form
from server.kernel.i18n import _, current_locale
from server.kernel.web import HTML, is_htmx, me_of, notice, render, see_other, today_of, tz_of
from server.realtime.hub import hub_of
from server.rules.spreadsheets import CsvChoice, choice_for
from server.rules.summaries import SummaryStatus


def preset_labels() -> dict[str, str]:
    """The period presets as the request form offers them, in the reader's language."""
    return {
        "this_week": _("This week"),
        "last_week": _("Last week"),
        "this_month": _("This month"),
        "last_month": _("Last month"),
        "custom": _("Custom range"),
    }


# ---- the request form and the list ------------------------------------------------------------


async def billing_context(
    request: Request[Any, Any, Any], form: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    clients = [("", _("All clients")), *((str(c["id"]), c["name"]) for c in await store.open_clients())]
    return {
        "nav": "billing",
        "form": {"preset": "last_month", **form},
        "errors": errors,
        "client_options": clients,
        "preset_options": list(preset_labels().items()),
        "summaries": await store.summaries(),
        "today": today_of(request),
    }


@get("/billing", name="billing", guards=[admin_only])
async def billing_page(request: Request[Any, Any, Any]) -> Template:
    return render(request, "billing/index.html", **await billing_context(request, {}, {}))


@get("/billing/jobs", guards=[admin_only])
async def jobs_slot(request: Request[Any, Any, Any]) -> Response[str]:
    """The header's job chip: the person's summaries still queued or running."""
    return Response(job_chip(await store.active_summaries(me_of(request).id)), media_type=HTML)


@post("/billing/summaries", status_code=200, guards=[admin_only])
async def request_summary(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = Form(await request.form())
    asked = await read_new_summary(form, today_of(request))
    if asked is None:
        context = await billing_context(request, dict(form.raw), form.errors)
        template = "billing/_request_form.html" if is_htmx(request) else "billing/index.html"
        return render(request, template, status_code=422, **context)
    summary_id = await jobs.ask(request.app.state, me_of(request).id, asked)
    return see_other(f"/billing/summaries/{summary_id}")


# ---- one summary ---------------------------------------------------------------------------------


def summary_view(summary: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """What the summary page shows of a stored result: its tables, charts and totals."""
    result = store.decimalised(stored) if stored else {}
    projects = result.get("projects", [])
    start, end = summary["period_start"], summary["period_end"]
    view: dict[str, Any] = {"result": result, "projects": projects}
    if result:
        view["project_names"] = {p["id"]: f"{p['key']} · {p['name']}" for p in projects}
        view["project_colours"] = {p["id"]: charts.colour(i) for i, p in enumerate(projects)}
        view["day_chart"] = charts.hours_per_day(
            result.get("days", []), projects, start, end, title=_("Hours per day, by project")
        )
        view["people_chart"] = charts.hours_per_person(result.get("people", []), title=_("Hours per person"))
        view["amounts"] = store.as_money(result.get("totals", {}).get("amounts", {}))
        view["margins"] = margins_of(stored)  # the agency's cost and margin: these pages are admins' only
    return view


def _csv_choice(request: Request[Any, Any, Any]) -> str:
    """The CSV style the downloads offer: the one just picked on the page, else the reader's locale's."""
    picked = request.query_params.get("separator", "")
    choices = {c.value for c in CsvChoice}
    return picked if picked in choices else choice_for(current_locale()).value


async def _summary_page(
    request: Request[Any, Any, Any],
    summary: dict[str, Any],
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    template = "billing/_summary_body.html" if is_htmx(request) else "billing/summary.html"
    return render(
        request,
        template,
        status_code=status,
        nav="billing",
        s=summary,
        form=form or {},
        errors=errors or {},
        progress=summary["progress"],
        live=False,
        oob=False,
        single_client=summary["client"] is not None,
        billed_in=await writes.billed_elsewhere(summary["id"]) if summary["status"] == SummaryStatus.DONE else None,
        left_out=await left_out_of_client_copy(summary, await store.result_of(summary)),
        csv_choice=_csv_choice(request),
        **summary_view(summary, await store.result_of(summary)),
    )


@get("/billing/summaries/{summary_id:int}", guards=[admin_only])
async def summary_page(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template:
    """The summary; to an htmx request (the status block's fetch once the job is done) its body alone."""
    return await _summary_page(request, await store.summary_for(me_of(request), summary_id))


async def _act(request: Request[Any, Any, Any], summary_id: int, action: Awaitable[None], done: str) -> Redirect:
    """Back to the summary with a notice: `done`, or why the action was refused."""
    try:
        await action
    except BillingError as refused:
        notice(request, str(refused), "error")
    else:
        notice(request, done)
    return see_other(f"/billing/summaries/{summary_id}")


@post("/billing/summaries/{summary_id:int}/finalise", status_code=200, guards=[admin_only])
async def finalise(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    me = me_of(request)
    await store.summary_for(me, summary_id)
    done = _("Summary finalised: its entries are locked.")
    return await _act(request, summary_id, writes.finalise(summary_id, me, announcer=hub_of(request)), done)


@post("/billing/summaries/{summary_id:int}/unlock", status_code=200, guards=[admin_only])
async def unlock(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    summary = await store.summary_for(me, summary_id)
    form = Form(await request.form())
    reason = form.text("reason", max_length=writes.REASON_LIMIT)
    if not form.ok:
        return await _summary_page(request, summary, form=dict(form.raw), errors=form.errors, status=422)
    done = _("Summary unlocked: its entries can be corrected, then finalised again.")
    return await _act(request, summary_id, writes.unlock(summary_id, me, reason, announcer=hub_of(request)), done)


@post("/billing/summaries/{summary_id:int}/share", status_code=200, guards=[admin_only])
async def share(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    me = me_of(request)
    await store.summary_for(me, summary_id)
    form = Form(await request.form())
    shared, show_amounts = form.boolean("shared"), form.boolean("show_amounts")
    done = _("Shared with the client.") if shared else _("No longer shared with the client.")
    return await _act(request, summary_id, writes.share(summary_id, me, shared=shared, show_amounts=show_amounts), done)


@post("/billing/summaries/{summary_id:int}/retry", status_code=200, guards=[admin_only])
async def retry(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    me = me_of(request)
    summary = await store.summary_for(me, summary_id)
    return await _act(request, summary_id, jobs.retry(request.app.state, summary, me.id), _("Queued again."))


@post("/billing/summaries/{summary_id:int}/recompute", status_code=200, guards=[admin_only])
async def recompute(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    me = me_of(request)
    summary = await store.summary_for(me, summary_id)
    return await _act(request, summary_id, jobs.recompute(request.app.state, summary, me.id), _("Queued again."))


# ---- downloads -----------------------------------------------------------------------------------


@get("/billing/summaries/{summary_id:int}/entries.csv", guards=[admin_only])
async def entries_csv(
    request: Request[Any, Any, Any], summary_id: FromPath[int], separator: FromQuery[str] = ""
) -> Response[bytes]:
    summary = await store.summary_for(me_of(request), summary_id, done=True)
    return await exports.download(summary, "entries.csv", read_csv_style(separator, current_locale()))


@get("/billing/summaries/{summary_id:int}/totals.csv", guards=[admin_only])
async def totals_csv(
    request: Request[Any, Any, Any], summary_id: FromPath[int], separator: FromQuery[str] = ""
) -> Response[bytes]:
    summary = await store.summary_for(me_of(request), summary_id, done=True)
    return await exports.download(summary, "totals.csv", read_csv_style(separator, current_locale()))


@get("/billing/summaries/{summary_id:int}/summary.json", guards=[admin_only])
async def summary_json(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await exports.download(await store.summary_for(me_of(request), summary_id, done=True), "summary.json")


# ---- not yet billed ------------------------------------------------------------------------------


@get("/billing/unbilled", guards=[admin_only])
async def unbilled_page(request: Request[Any, Any, Any]) -> Template:
    clients = await store.unbilled_by_client(tz_of(request))
    return render(request, "billing/unbilled.html", nav="billing", clients=clients)


ROUTES = [
    billing_page,
    jobs_slot,
    request_summary,
    summary_page,
    finalise,
    unlock,
    share,
    retry,
    recompute,
    entries_csv,
    totals_csv,
    summary_json,
    unbilled_page,
]
