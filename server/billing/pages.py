"""The admin's billing pages: ask for a summary, watch it, read it, export it, finalise, unlock and
share it; what is not billed yet. The numbers come from server.billing.compute (in the worker);
these handlers parse, authorise, call and render."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from arq import ArqRedis
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.billing import charts, jobs, live, unbilled
from server.billing import exports as export
from server.billing import writes as ledger
from server.billing.errors import BillingError
from server.kernel.access import admin_only, not_found
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import HTML, is_htmx, me_of, notice, render, see_other, tz_of
from server.realtime.hub import hub_of
from server.rules import periods, weeks
from server.tables import BillingSummary, Client

SLUG = re.compile(r"[^a-z0-9]+")
PRESET_LABELS = {
    "this_week": "This week",
    "last_week": "Last week",
    "this_month": "This month",
    "last_month": "Last month",
    "custom": "Custom range",
}


def namespace_of(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.channel_namespace)


def queue_of(request: Request[Any, Any, Any]) -> ArqRedis:
    pool: ArqRedis = request.app.state.arq
    return pool


async def summary_or_404(summary_id: int) -> dict[str, Any]:
    summary = await live.summary_row(summary_id)
    if summary is None:
        raise not_found()
    return summary


# ---- the request form and the list ------------------------------------------------------------


async def client_options() -> list[tuple[str, str]]:
    clients = await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)
    return [("", _("All clients")), *((str(c["id"]), c["name"]) for c in clients)]


def preset_options() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in PRESET_LABELS.items()]


async def billing_context(
    request: Request[Any, Any, Any], form: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    summaries = await live.summaries()
    return {
        "nav": "billing",
        "form": {"preset": "last_month", **form},
        "errors": errors,
        "client_options": await client_options(),
        "preset_options": preset_options(),
        "summaries": summaries,
        "today": weeks.local_day(datetime.now(UTC), tz_of(request)),
    }


@get("/billing", name="billing", guards=[admin_only])
async def billing_page(request: Request[Any, Any, Any]) -> Template:
    return render(request, "billing/index.html", **await billing_context(request, {}, {}))


@get("/billing/jobs", guards=[admin_only])
async def jobs_slot(request: Request[Any, Any, Any]) -> Response[str]:
    """The header's job chip: the person's summaries still queued or running."""
    return Response(live.jobs_slot(await live.active_summaries(me_of(request).id)), media_type=HTML)


def read_period(form: Form, today: date) -> periods.Period | None:
    preset = form.choice("preset", periods.PRESETS)
    if preset and preset != "custom" and "preset" not in form.errors:
        return periods.preset(preset, today)
    if "preset" in form.errors:
        return None
    start, end = periods.parse_day(form.value("start")), periods.parse_day(form.value("end"))
    if start is None:
        form.error("start", _("Enter a date like 2026-11-01."))
    if end is None:
        form.error("end", _("Enter a date like 2026-11-30."))
    if start is None or end is None:
        return None
    problem = periods.range_problem(start, end)
    if problem == "end_before_start":
        form.error("end", _("The end must be on or after the start."))
    elif problem == "too_long":
        form.error("end", _("A summary covers at most %(n)s days.", n=periods.MAX_DAYS))
    return periods.Period(start, end) if problem is None else None


async def read_client(form: Form) -> int | None:
    client_id = form.id("client", required=False)
    if client_id is not None and not await Client.exists().where((Client.id == client_id) & Client.archived.eq(False)):
        form.error("client", _("Choose one of the options."))
    return client_id


async def create_summary(
    request: Request[Any, Any, Any], client_id: int | None, period: periods.Period, *, source: str = "request"
) -> int:
    """The row, then its job: the web answers at once and the worker does the work."""
    rows = await BillingSummary.insert(
        BillingSummary(
            client=client_id,
            period_start=period.start,
            period_end=period.end,
            requested_by=me_of(request).id,
            source=source,
        )
    ).returning(BillingSummary.id)
    summary_id: int = rows[0]["id"]
    await jobs.enqueue(queue_of(request), summary_id, 0, namespace_of(request))
    return summary_id


@post("/billing/summaries", status_code=200, guards=[admin_only])
async def request_summary(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = Form(await request.form())
    period = read_period(form, weeks.local_day(datetime.now(UTC), tz_of(request)))
    client_id = await read_client(form)
    if not form.ok or period is None:
        context = await billing_context(request, dict(form.raw), form.errors)
        template = "billing/_request_form.html" if is_htmx(request) else "billing/index.html"
        return render(request, template, status_code=422, **context)
    summary_id = await create_summary(request, client_id, period)
    return see_other(f"/billing/summaries/{summary_id}")


# ---- one summary ---------------------------------------------------------------------------------


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def decimalised(result: dict[str, Any]) -> dict[str, Any]:
    """The stored result with its money strings as Decimals, for `money()` in templates."""
    out = dict(result)
    for key in ("clients", "projects", "tasks"):
        out[key] = [{**row, "amount": _dec(row.get("amount"))} for row in result.get(key, [])]
    out["people"] = [{**row, "money": live.as_money(row.get("amounts"))} for row in result.get("people", [])]
    out["rates"] = [
        {**row, "rate": _dec(row.get("rate")), "amount": _dec(row.get("amount"))} for row in result.get("rates", [])
    ]
    return out


def summary_view(summary: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """What the summary page and the client's portal show of a stored result."""
    result = decimalised(stored) if stored else {}
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
        view["amounts"] = live.as_money(result.get("totals", {}).get("amounts", {}))
    return view


async def stored_result(summary: dict[str, Any]) -> dict[str, Any]:
    stored = (
        await BillingSummary.select(BillingSummary.result)
        .where(BillingSummary.id == summary["id"])
        .output(load_json=True)
        .first()
    )
    result = (stored or {}).get("result")
    return result if isinstance(result, dict) else {}


async def summary_context(summary: dict[str, Any], form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    result = await stored_result(summary) if summary["status"] == "done" else {}
    return {
        "nav": "billing",
        "s": summary,
        "form": form,
        "errors": errors,
        "progress": summary["progress"],
        "live": False,
        "oob": False,
        "single_client": summary["client"] is not None,
        **summary_view(summary, result),
    }


async def _summary_page(
    request: Request[Any, Any, Any],
    summary: dict[str, Any],
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    context = await summary_context(summary, form or {}, errors or {})
    template = "billing/_summary_body.html" if is_htmx(request) else "billing/summary.html"
    return render(request, template, status_code=status, **context)


@get("/billing/summaries/{summary_id:int}", guards=[admin_only])
async def summary_page(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template:
    """The summary; to an htmx request (the status block's fetch once the job is done) its body alone."""
    return await _summary_page(request, await summary_or_404(summary_id))


def back(summary_id: int) -> Redirect:
    return see_other(f"/billing/summaries/{summary_id}")


@post("/billing/summaries/{summary_id:int}/finalise", status_code=200, guards=[admin_only])
async def finalise(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    await summary_or_404(summary_id)
    try:
        await ledger.finalise(summary_id, me_of(request), announcer=hub_of(request))
    except BillingError as refused:
        notice(request, str(refused), "error")
        return back(summary_id)
    notice(request, _("Summary finalised: its entries are locked."))
    return back(summary_id)


@post("/billing/summaries/{summary_id:int}/unlock", status_code=200, guards=[admin_only])
async def unlock(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template | Redirect:
    summary = await summary_or_404(summary_id)
    form = Form(await request.form())
    reason = form.text("reason", max_length=500)
    if form.ok:
        try:
            await ledger.unlock(summary_id, me_of(request), reason, announcer=hub_of(request))
        except BillingError as refused:
            notice(request, str(refused), "error")
            return back(summary_id)
        notice(request, _("Summary unlocked: its entries can be corrected, then finalised again."))
        return back(summary_id)
    return await _summary_page(request, summary, form=dict(form.raw), errors=form.errors, status=422)


@post("/billing/summaries/{summary_id:int}/share", status_code=200, guards=[admin_only])
async def share(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    await summary_or_404(summary_id)
    form = Form(await request.form())
    shared, show_amounts = form.boolean("shared"), form.boolean("show_amounts")
    try:
        await ledger.share(summary_id, me_of(request), shared=shared, show_amounts=show_amounts)
    except BillingError as refused:
        notice(request, str(refused), "error")
        return back(summary_id)
    notice(request, _("Shared with the client.") if shared else _("No longer shared with the client."))
    return back(summary_id)


async def _queue_again(request: Request[Any, Any, Any], summary: dict[str, Any]) -> None:
    """A new job for the same row: a new id (the attempt counter), so arq does not take it for the
    job it already ran."""
    await BillingSummary.update(
        {
            BillingSummary.status: "queued",
            BillingSummary.progress: 0,
            BillingSummary.error: "",
            BillingSummary.requested_by: me_of(request).id,
        }
    ).where(BillingSummary.id == summary["id"])
    await jobs.enqueue(queue_of(request), summary["id"], summary["attempts"], namespace_of(request))


@post("/billing/summaries/{summary_id:int}/retry", status_code=200, guards=[admin_only])
async def retry(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    summary = await summary_or_404(summary_id)
    if summary["status"] != "failed":
        notice(request, _("Only a failed summary can be retried."), "error")
    else:
        await _queue_again(request, summary)
        notice(request, _("Queued again."))
    return back(summary_id)


@post("/billing/summaries/{summary_id:int}/recompute", status_code=200, guards=[admin_only])
async def recompute(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Redirect:
    summary = await summary_or_404(summary_id)
    if summary["status"] != "done" or summary["finalised_at"] is not None:
        notice(request, _("Only a computed summary that is not finalised can be computed again."), "error")
    else:
        await _queue_again(request, summary)
        notice(request, _("Queued again."))
    return back(summary_id)


# ---- downloads -----------------------------------------------------------------------------------


def download_name(summary: dict[str, Any], suffix: str) -> str:
    """boardroom-acme-2026-11-01-2026-11-30-entries.csv"""
    who = SLUG.sub("-", (summary["client_name"] or "all clients").lower()).strip("-") or "client"
    return f"boardroom-{who}-{summary['period_start'].isoformat()}-{summary['period_end'].isoformat()}-{suffix}"


async def done_or_404(summary_id: int) -> dict[str, Any]:
    """Exports exist once the summary is computed; before that there is nothing to download."""
    summary = await summary_or_404(summary_id)
    if summary["status"] != "done":
        raise not_found()
    return summary


def attachment(body: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


async def entries_download(summary_id: int) -> Response[bytes]:
    summary = await done_or_404(summary_id)
    return attachment(
        await export.entries_csv(summary_id),
        "text/csv; charset=utf-8",
        download_name(summary, "entries.csv"),
    )


async def totals_download(summary_id: int) -> Response[bytes]:
    summary = await done_or_404(summary_id)
    return attachment(
        await export.totals_csv(summary_id),
        "text/csv; charset=utf-8",
        download_name(summary, "totals.csv"),
    )


@get("/billing/summaries/{summary_id:int}/entries.csv", guards=[admin_only])
async def entries_csv(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await entries_download(summary_id)


@get("/billing/summaries/{summary_id:int}/totals.csv", guards=[admin_only])
async def totals_csv(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await totals_download(summary_id)


@get("/billing/summaries/{summary_id:int}/summary.json", guards=[admin_only])
async def summary_json(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    import json

    summary = await done_or_404(summary_id)
    data = await export.as_json(summary_id)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    return attachment(body, "application/json", download_name(summary, "summary.json"))


# ---- not yet billed ------------------------------------------------------------------------------


def as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@get("/billing/unbilled", guards=[admin_only])
async def unbilled_page(request: Request[Any, Any, Any]) -> Template:
    by_client: dict[int, dict[str, Any]] = {}
    for found in await unbilled.unbilled(tz_of(request)):
        row = {
            **found,
            "amount_d": Decimal(str(found["amount"])),
            "oldest_day": as_day(found["first_day"]),
            "newest_day": as_day(found["last_day"]),
        }
        group = by_client.setdefault(
            row["client_id"],
            {"id": row["client_id"], "name": row["client_name"], "projects": [], "amounts": {}, "minutes": 0},
        )
        group["projects"].append(row)
        group["minutes"] += row["total_minutes"]
        group["amounts"][row["currency"]] = group["amounts"].get(row["currency"], Decimal(0)) + row["amount_d"]
        group["oldest"] = min(group.get("oldest", row["oldest_day"]), row["oldest_day"])
        group["newest"] = max(group.get("newest", row["newest_day"]), row["newest_day"])
    return render(request, "billing/unbilled.html", nav="billing", clients=list(by_client.values()))


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
