"""Billing summaries in the JSON API (admins only; to anyone else they do not exist): list, ask for
one (202: the worker computes it), read its status and result, download its CSVs. The same store,
schemas, jobs and exports as the billing pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from server.billing import exports, jobs, store
from server.billing.schemas import NewSummary, client_error, period_error, read_csv_style
from server.kernel.access import admin_only
from server.kernel.api_router import ERRORS, Id, api_router, invalid
from server.kernel.i18n import current_locale
from server.kernel.web import me_of
from server.rules.periods import Period


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
    return [SummaryOut(**summary_out(row)) for row in await store.summaries()]


async def checked(data: SummaryRequest) -> NewSummary:
    """The body, checked as the billing page's form is (422 naming the field)."""
    if message := period_error(data.start, data.end):
        raise invalid("end", message)
    if message := await client_error(data.client_id):
        raise invalid("client_id", message)
    return NewSummary(data.client_id, Period(data.start, data.end))


@post("/billing/summaries", status_code=HTTP_202_ACCEPTED, responses=ERRORS)
async def request_summary(request: Request[Any, Any, Any], data: JSONBody[SummaryRequest]) -> SummaryOut:
    """Ask for a summary: it is queued at once; poll its `url` until `status` is done (or failed)."""
    me = me_of(request)
    summary_id = await jobs.ask(request.app.state, me.id, await checked(data))
    return SummaryOut(**summary_out(await store.summary_for(me, summary_id)))


@get("/billing/summaries/{summary_id:int}", responses=ERRORS)
async def get_summary(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> SummaryDetail:
    """A summary's status and, once done, its result (money as decimal strings)."""
    row = await store.summary_for(me_of(request), summary_id)
    return SummaryDetail(**summary_out(row), result=await store.result_of(row))


class SummaryFacts(msgspec.Struct):
    id: int
    client_id: int | None
    client_name: str | None
    period_start: date
    period_end: date
    status: str
    source: str
    total_minutes: int
    billable_minutes: int
    rounded_minutes: int
    amounts: dict[str, str] | None
    created_at: datetime
    finished_at: datetime | None
    finalised_at: datetime | None
    finalised_by: int | None
    shared_with_client: bool
    share_amounts: bool


class SummaryPeriod(msgspec.Struct):
    start: date
    end: date


class SummaryFile(msgspec.Struct):
    """summary.json: the computed result (totals by client, project, person, card, day and rate;
    money as decimal strings) beside the summary's own facts."""

    summary: SummaryFacts
    version: int | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET
    period: SummaryPeriod | msgspec.UnsetType = msgspec.UNSET
    client_id: int | msgspec.UnsetType | None = msgspec.UNSET
    entry_count: int | msgspec.UnsetType = msgspec.UNSET
    totals: list[dict[str, Any]] | dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    clients: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    projects: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    people: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    tasks: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    days: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    rates: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET


def download_spec(data_container: Any, media_type: str, description: str) -> dict[int, ResponseSpec]:
    """The 200 of a download as the file it is (Litestar would document the `bytes` as JSON)."""
    return {200: ResponseSpec(data_container=data_container, media_type=media_type, description=description)}


CSV_FILE = (
    "A CSV file (UTF-8 with a byte order mark, CRLF line ends), sent as an attachment. `separator=comma` "
    "writes `,` between fields and `.` in numbers, `semicolon` writes `;` and `,`; without it, the style of "
    "the Accept-Language's spreadsheets (semicolons for Russian and Vietnamese)."
)


@get(
    "/billing/summaries/{summary_id:int}/entries.csv",
    responses={**ERRORS, **download_spec(str, exports.CSV, CSV_FILE)},
)
async def entries_csv(
    request: Request[Any, Any, Any], summary_id: FromPath[int], separator: FromQuery[str] = ""
) -> Response[bytes]:
    summary = await store.summary_for(me_of(request), summary_id, done=True)
    return await exports.download(summary, "entries.csv", read_csv_style(separator, current_locale()))


@get(
    "/billing/summaries/{summary_id:int}/totals.csv",
    responses={**ERRORS, **download_spec(str, exports.CSV, CSV_FILE)},
)
async def totals_csv(
    request: Request[Any, Any, Any], summary_id: FromPath[int], separator: FromQuery[str] = ""
) -> Response[bytes]:
    summary = await store.summary_for(me_of(request), summary_id, done=True)
    return await exports.download(summary, "totals.csv", read_csv_style(separator, current_locale()))


@get(
    "/billing/summaries/{summary_id:int}/summary.json",
    responses={**ERRORS, **download_spec(SummaryFile, "application/json", "The summary as JSON, as an attachment.")},
)
async def summary_json(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Response[bytes]:
    return await exports.download(await store.summary_for(me_of(request), summary_id, done=True), "summary.json")


router = api_router(
    [list_summaries, request_summary, get_summary, entries_csv, totals_csv, summary_json],
    tags=["Billing"],
    guards=[admin_only],
)


ROUTES = [router]
