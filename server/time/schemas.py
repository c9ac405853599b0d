"""Reading a time entry from a form: a local date with start and end times, or a duration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.kernel.forms import Form
from server.kernel.i18n import _
from server.rules.durations import DurationError, parse_minutes


@dataclass(frozen=True)
class EntryTimes:
    """A date and either both ends (UTC) or just a duration to place on that date."""

    day: date
    started_at: datetime | None
    ended_at: datetime | None
    minutes: int | None


def _clock(form: Form, name: str) -> time | None:
    value = form.value(name)
    if not value:
        return None
    try:
        return time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")
    except ValueError:
        form.error(name, _("Enter a time like 09:30."))
        return None


def read_entry_times(form: Form, tz: str) -> EntryTimes | None:
    """None (with form errors) when the fields do not describe one span of time."""
    try:
        day = date.fromisoformat(form.value("date"))
    except ValueError:
        form.error("date", _("Enter a date like 2026-11-23."))
        return None
    start, end = _clock(form, "start"), _clock(form, "end")
    minutes = None
    if form.value("duration"):
        try:
            minutes = parse_minutes(form.value("duration"))
        except DurationError:
            form.error("duration", _("Type a duration like 1:30, 1h30, 1.5h or 90m."))
            return None
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
