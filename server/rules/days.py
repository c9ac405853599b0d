"""Agency days in UTC terms (pure): where a period starts and ends, and the UTC offsets in force
within it, so that SQLite (which has no time zones) can put each entry on its local day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_midnight(day: date, timezone: str) -> datetime:
    """The UTC instant at which `day` starts in `timezone`."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def period_bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """[local start of `start`, local start of the day after `end`) in UTC; `end` is inclusive."""
    return local_midnight(start, timezone), local_midnight(end + timedelta(days=1), timezone)


@dataclass(frozen=True)
class OffsetSpan:
    """From the previous span's end (or the beginning of time) until `until` (UTC, exclusive; None:
    for ever), local time is UTC plus `seconds`."""

    until: datetime | None
    seconds: int


def _offset(instant: datetime, zone: ZoneInfo) -> int:
    delta = instant.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _transition(low: datetime, high: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (low, high] whose offset differs from low's, to the second."""
    before = _offset(low, zone)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + timedelta(seconds=1)
        if _offset(middle, zone) == before:
            low = middle
        else:
            high = middle
    return high


def offset_spans(start: datetime, end: datetime, timezone: str) -> list[OffsetSpan]:
    """The offsets in force between the UTC instants `start` and `end`: one span per offset, the
    last one open-ended. Time zones change offset at most a few times a year, so a day-by-day scan
    with a bisection at each change is cheap."""
    zone = ZoneInfo(timezone)
    spans: list[OffsetSpan] = []
    cursor = start.astimezone(UTC)
    current = _offset(cursor, zone)
    step = timedelta(hours=6)
    while cursor < end:
        following = min(cursor + step, end)
        if _offset(following, zone) != current:
            change = _transition(cursor, following, zone)
            spans.append(OffsetSpan(change, current))
            current = _offset(change, zone)
            cursor = change
        else:
            cursor = following
    spans.append(OffsetSpan(None, current))
    return spans


def local_day(instant: datetime, timezone: str) -> date:
    return instant.astimezone(ZoneInfo(timezone)).date()
