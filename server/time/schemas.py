"""The one validation of a time entry, used by the timesheet, the entry edit page and the card dialog:
a local date with start and end times, or a duration; its note and billable box; the timesheet
grid's day total; and the timesheet's address (its week and person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar.exceptions import HTTPException, NotFoundException
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from server.kernel.forms import Form, in_years, years_message
from server.kernel.i18n import _
from server.rules import weeks
from server.rules.durations import DurationError, parse_minutes
from server.rules.entries import EntryRefused

NOTE_LENGTH = 500
# The entry rules name the span's ends; a person typed them as a duration (or an end time).
SPAN_FIELDS = {"started_at", "ended_at"}


@dataclass(frozen=True)
class EntryTimes:
    """A date and either both ends (UTC) or just a duration to place on that date."""

    day: date
    started_at: datetime | None
    ended_at: datetime | None
    minutes: int | None


@dataclass(frozen=True)
class EntryForm:
    """An entry as a form described it, before a bare duration is placed in the day."""

    times: EntryTimes
    note: str
    billable: bool


@dataclass(frozen=True)
class EntryInput:
    """An entry as the writes take it: both ends placed."""

    started_at: datetime
    ended_at: datetime
    note: str
    billable: bool


@dataclass(frozen=True)
class DayTotal:
    """The timesheet grid's in-place edit: a day's time on one card."""

    day: date
    minutes: int


def _clock(form: Form, name: str) -> time | None:
    value = form.value(name)
    if not value:
        return None
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")
    except ValueError:
        form.error(name, _("Enter a time like 09:30."))
        return None


def _typed_minutes(form: Form, error_field: str) -> int | None:
    """The duration field as minutes (None when empty or malformed, with an error beside `error_field`)."""
    try:
        return parse_minutes(form.value("duration"))
    except DurationError:
        form.error(error_field, _("Type a duration like 1:30, 1h30, 1.5h or 90m."))
        return None


def read_entry_times(form: Form, tz: str) -> EntryTimes | None:
    """None (with form errors) when the fields do not describe one span of time."""
    try:
        day = date.fromisoformat(form.value("date"))
    except ValueError:
        form.error("date", _("Enter a date like 2026-11-23."))
        return None
    if not in_years(day):
        form.error("date", years_message())
        return None
    start, end = _clock(form, "start"), _clock(form, "end")
    minutes = _typed_minutes(form, "duration")
    if minutes == 0:
        form.error("duration", _("An entry lasts at least one minute."))
    if not form.ok:
        return None
    zone = ZoneInfo(tz)
    if start and end:
        started = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        ended = datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
        if ended == started:
            form.error("end", _("An entry lasts at least one minute."))
            return None
        if ended < started:
            form.error("end", _("The end is before the start. Log time after midnight on the next day."))
            return None
        return EntryTimes(day, started, ended, None)
    if start and minutes:
        started = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        return EntryTimes(day, started, started + timedelta(minutes=minutes), None)
    if minutes:
        return EntryTimes(day, None, None, minutes)
    form.error("duration", _("Enter a duration, or a start and an end time."))
    return None


def read_entry(form: Form, tz: str) -> EntryForm | None:
    """The note, the billable box and the span; None (with form errors) when any is wrong."""
    note = form.text("note", max_length=NOTE_LENGTH, required=False)
    billable = form.boolean("billable")
    times = read_entry_times(form, tz)
    return EntryForm(times, note, billable) if times is not None else None


def refused_beside(form: Form, refused: EntryRefused, span_field: str = "duration") -> None:
    """Show what the entry rules refused beside the field the person typed it in."""
    form.error(span_field if refused.field in SPAN_FIELDS else refused.field, str(refused))


def entry_form_values(entry: dict[str, Any], tz: str) -> dict[str, Any]:
    """A stopped entry as its edit form shows it: local date and clock times."""
    zone = ZoneInfo(tz)
    start, end = entry["started_at"].astimezone(zone), entry["ended_at"].astimezone(zone)
    return {
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "note": entry["note"],
        "billable": entry["billable"],
    }


def read_day_total(form: Form, tz: str) -> DayTotal:
    """A grid cell as typed; an unreadable day or duration is an error on the whole form."""
    try:
        day = date.fromisoformat(form.value("day"))
    except ValueError:
        form.error("form", _("That is not a day."))
        day = weeks.local_day(datetime.now(UTC), tz)
    if not in_years(day):
        form.error("form", years_message())
        day = weeks.local_day(datetime.now(UTC), tz)
    return DayTotal(day, _typed_minutes(form, "form") or 0)


def read_day(value: str) -> date:
    """A day in the address; any other text is a page that does not exist."""
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise NotFoundException(_("That is not a day.")) from error
    return _within_years(day)


def read_week(value: str | None, tz: str) -> date:
    """The Monday of the week in the address (this week when none is given)."""
    if not value:
        return weeks.week_of(datetime.now(UTC), tz)
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise NotFoundException(_("That is not a week.")) from error
    return weeks.monday_of(_within_years(day))


def _within_years(day: date) -> date:
    """A day in an address or a hidden field, refused (422, the date field's message) outside the years."""
    if not in_years(day):
        raise HTTPException(status_code=HTTP_422_UNPROCESSABLE_ENTITY, detail=years_message())
    return day


def timesheet_url(monday: date, person_id: int | None = None, *, own_id: int | None = None) -> str:
    """The timesheet of a week: `person_id`'s, unless that is the viewer's own (`own_id`)."""
    whose = f"&person={person_id}" if person_id and person_id != own_id else ""
    return f"/timesheet?week={monday.isoformat()}{whose}"
