"""Asking for a summary: one client (or all) over a period, read from the billing page's form (a
preset or a custom range) or from the API's body, and checked the same way for both: the period
ends on or after its start and covers at most 366 days; the client is one of the agency's open
clients. Also the style a CSV export is written in (pages and API alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_400_BAD_REQUEST

from server.billing.store import is_open_client
from server.kernel.forms import Form, in_years, years_message
from server.kernel.i18n import _
from server.rules import periods
from server.rules.spreadsheets import CsvChoice, CsvStyle, csv_style


@dataclass(frozen=True)
class NewSummary:
    """A summary to compute: of one client (None: all clients) over a period."""

    client_id: int | None
    period: periods.Period


def period_error(start: date, end: date) -> str | None:
    """Why [start, end] cannot be summarised (a message for its end), or None."""
    if not (in_years(start) and in_years(end)):
        return years_message()
    problem = periods.range_problem(start, end)
    if problem == "end_before_start":
        return _("The end must be on or after the start.")
    if problem == "too_long":
        return _("A summary covers at most %(n)s days.", n=periods.MAX_DAYS)
    return None


async def client_error(client_id: int | None) -> str | None:
    """Why this client cannot be summarised (None: all clients, always fine), or None."""
    if client_id is not None and not await is_open_client(client_id):
        return _("Choose one of the options.")
    return None


def _read_period(form: Form, today: date) -> periods.Period | None:
    preset = form.choice("preset", periods.PRESETS)
    if "preset" in form.errors:
        return None
    if preset != "custom":
        return periods.preset(preset, today)
    start, end = periods.parse_day(form.value("start")), periods.parse_day(form.value("end"))
    if start is None:
        form.error("start", _("Enter a date like 2026-11-01."))
    if end is None:
        form.error("end", _("Enter a date like 2026-11-30."))
    if start is None or end is None:
        return None
    if message := period_error(start, end):
        form.error("end", message)
        return None
    return periods.Period(start, end)


async def read_new_summary(form: Form, today: date) -> NewSummary | None:
    """The billing page's request form (`today`: the agency's, for the presets); None, with the
    form's errors, when it asks for no summary that can be made."""
    period = _read_period(form, today)
    client_id = form.id("client", required=False)
    if message := await client_error(client_id):
        form.error("client", message)
    if not form.ok or period is None:
        return None
    return NewSummary(client_id, period)


def read_csv_style(choice: str | None, locale: str) -> CsvStyle:
    """A CSV export's separator and decimal mark: the `separator` the reader chose (comma or
    semicolon), else what their language's spreadsheets expect; 400 for a style we do not write."""
    style = csv_style(choice, locale)
    if style is None:
        names = ", ".join(c.value for c in CsvChoice)
        raise HTTPException(
            status_code=HTTP_400_BAD_REQUEST,
            detail=_("The separator must be one of: %(names)s.", names=names),
        )
    return style
