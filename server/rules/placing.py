"""Where an entry typed as a bare duration ("1h30", no start or end) goes: right after the person's
last entry that day, or, when there is none (or that would end in the future), ending now. Never at
an invented hour: a person logging "1h30" at 17:00 on a quiet day worked 15:30–17:00, not 9:00–10:30."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.rules.entries import FUTURE_SLACK, Span


def duration_start(day: date, minutes: int, same_day: Iterable[Span], now: datetime, tz: str) -> datetime:
    """The start (UTC) of a `minutes`-long entry on `day` (the agency's time zone `tz`), given the
    person's entries touching that day (`same_day`; a running timer ends now).

    - After the last of that day's entries, unless that would end past now (today) or past the day's
      end (another day, or a timer left running over midnight).
    - Otherwise ending now (on another day, at this time of day), or, where entries already fill that
      time, at the latest free moment before it: six tabs logging "5m" at once each get a slot of
      their own, even late in the evening. Never before the day begins: the day the person chose is
      the day the entry is on.
    The result is checked like any entry (limits, overlaps): this rule only picks the slot."""
    zone = ZoneInfo(tz)
    length = timedelta(minutes=minutes)
    local_now = now.astimezone(zone)
    day_start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    spans = [(span.started_at, span.ended_at or now) for span in same_day]
    if spans:
        after_last = max(end for _start, end in spans)
        limit = now + FUTURE_SLACK if day == local_now.date() else day_end
        if after_last + length <= limit:
            return after_last
    minute = local_now.replace(second=0, microsecond=0)  # whole minutes: 15:30–17:00, not 15:30:41
    ending = minute if day == local_now.date() else datetime.combine(day, minute.time(), tzinfo=zone)
    return max(_latest_free_end(ending.astimezone(UTC), length, spans) - length, day_start)


def _latest_free_end(end: datetime, length: timedelta, spans: list[tuple[datetime, datetime]]) -> datetime:
    """The latest end, at or before `end`, of a `length`-long slot that overlaps none of `spans`."""
    for start, stop in sorted(spans, reverse=True):  # latest start first: one pass moves past each in turn
        if start < end and end - length < stop:
            end = min(end, start)
    return end
