"""Billing summaries in the JSON API (admins only; to anyone else they do not exist): list, ask for
one (202: the worker computes it), read its status and result, download its CSVs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from server.billing import live, pages
from server.kernel.access import admin_only
from server.kernel.api_router import ERRORS, Id, api_router, invalid
from server.kernel.i18n import _
from server.rules import periods
from server.tables import Client


class SummaryRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A summary of one client (`client_id`) or of all clients (null), over [start, end] (inclusive
    days in the agency's time zone, at most 366)."""

    start: date
    end: date
    client_id: Id | None = None


class SummaryOut(msgspec.Struct):
    id: int
    url: str
    client_id: int | None
    client_name: str | None
    start: date
    end: date
    status: str
    progress: int
    attempts: int
    source: str
    error: str
    total_minutes: int
    billable_minutes: int
    rounded_minutes: int
    amounts: dict[str, str]
    created_at: datetime
    finished_at: datetime | None
    finalised_at: datetime | None
    shared_with_client: bool
    share_amounts: bool


class SummaryDetail(SummaryOut):
    result: dict[str, Any] = msgspec.field(default_factory=dict)


def summary_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": f"/api/billing/summaries/{row['id']}",
        "client_id": row["client"],
        "client_name": row["client_name"],
        "start": row["period_start"],
        "end": row["period_end"],
        "status": row["status"],
        "progress": row["progress"],
        "attempts": row["attempts"],
        "source": row["source"],
        "error": row["error"],
        "total_minutes": row["total_minutes"],
        "billable_minutes": row["billable_minutes"],
        "rounded_minutes": row["rounded_minutes"],
        "amounts": row["amounts"] or {},
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "finalised_at": row["finalised_at"],
        "shared_with_client": row["shared_with_client"],
        "share_amounts": row["share_amounts"],
    }


@get("/billing/summaries", responses=ERRORS)
async def list_summaries(request: Request[Any, Any, Any]) -> list[SummaryOut]:
    """The latest 200 summaries, newest first."""
    return [SummaryOut(**summary_out(row)) for row in await live.summaries()]


@post("/billing/summaries", status_code=HTTP_202_ACCEPTED, responses=ERRORS)
async def request_summary(request: Request[Any, Any, Any], data: JSONBody[SummaryRequest]) -> SummaryOut:
    """Ask for a summary: it is queued at once; poll its `url` until `status` is done (or failed)."""
    problem = periods.range_problem(data.start, data.end)
    if problem == "end_before_start":
        raise invalid("end", _("The end must be on or after the start."))
    if problem == "too_long":
        raise invalid("end", _("A summary covers at most %(n)s days.", n=periods.MAX_DAYS))
    if data.client_id is not None and not await Client.exists().where(
        (Client.id == data.client_id) & Client.archived.eq(False)
    ):
        raise invalid("client_id", _("No such client."))
    summary_id = await pages.create_summary(request, data.client_id, periods.Period(data.start, data.end))
    row = await live.summary_row(summary_id)
    assert row is not None
    return SummaryOut(**summary_out(row))


@get("/billing/summaries/{summary_id:int}", responses=ERRORS)
async def get_summary(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> SummaryDetail:
    """A summary's status and, once done, its result (money as decimal strings)."""
    row = await pages.summary_or_404(summary_id)
    result = await pages.stored_result(row) if row["status"] == "done" else {}
    return SummaryDetail(**summary_out(row), result=result)


@get("/billing/summaries/{summary_id:int}/entries.csv", responses=ERRORS)
async def entries_csv(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await pages.entries_download(summary_id)


@get("/billing/summaries/{summary_id:int}/totals.csv", responses=ERRORS)
async def totals_csv(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await pages.totals_download(summary_id)


router = api_router(
    [list_summaries, request_summary, get_summary, entries_csv, totals_csv], tags=["Billing"], guards=[admin_only]
)


ROUTES = [router]
