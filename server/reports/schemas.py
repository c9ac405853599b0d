"""Reading the monthly report's input into checked values: the month a path or the month picker names,
and a new read-only link (who it is for, its last day). Each records its errors; nothing is written
while there are any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from litestar.exceptions import HTTPException, NotFoundException

from server.kernel.forms import Form
from server.kernel.i18n import _
from server.rules.reports import MonthState, month_state, parse_month

LABEL_MAX = 100


def checked_month(text: str, first: date, today: date) -> date:
    """The month's first day; 422 for a month not written YYYY-MM, 404 for one with no report (not
    begun yet, or before the client's first month)."""
    month = parse_month(text)
    state = month_state(month, first, today)
    if state is MonthState.MALFORMED:
        raise HTTPException(
            status_code=422, detail=_("Give the month as YYYY-MM, for example %(example)s.", example="2026-11")
        )
    if state is MonthState.FUTURE:
        raise NotFoundException(_("That month has not begun yet: its report does not exist."))
    if state is MonthState.BEFORE:
        raise NotFoundException(_("There is no report for a month before the client's first work."))
    assert month is not None
    return month


@dataclass(frozen=True)
class ReportLinkInput:
    label: str
    expires_on: date | None  # the last day it works; None: no end


def read_report_link(form: Form, today: date) -> ReportLinkInput:
    label = form.text("label", max_length=LABEL_MAX)
    day = form.date("expires_on")
    if day is not None and day < today:
        form.error("expires_on", _("Choose today or a later day."))
        day = None
    return ReportLinkInput(label, day)
