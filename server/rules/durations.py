"""Durations as people type them, to whole minutes: "90", "90m", "1:30", "1h30", "1h 30m", "1.5h",
"1,5 h", and in Russian, Vietnamese and Chinese units ("1 ч 30 мин", "1g30", "2小时10分钟"). A bare
number is minutes. Pure: estimates on cards and time entries share it."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Far beyond any estimate or time entry; keeps absurd input out of integer columns.
MAX_MINUTES = 100_000 * 60

_CLOCK = re.compile(r"(?P<h>[0-9]{1,6}):(?P<m>[0-5][0-9])")
# Hours and minutes as people write them in each language we speak, and as `i18n.duration` shows
# them (an estimate's field is filled with its shown value): "1h 30m", "1 ч 30 мин", "1ч30",
# "2 giờ 10 phút", "1g30", "30p", "2小时10分钟", "90分钟".
_HOURS = r"(?:h(?:ours?|rs?)?|ч(?:ас(?:а|ов)?)?|giờ|g|小时|小時|时|時)"
_MINUTES = r"(?:m(?:in(?:utes?|s)?)?|мин(?:ут[аы]?)?|м|phút|p|分钟|分鐘|分)"
_UNITS = re.compile(
    rf"(?:(?P<h>[0-9]{{1,6}}(?:[.,][0-9]{{1,4}})?)\s*{_HOURS})?\s*(?:(?P<m>[0-9]{{1,7}})\s*{_MINUTES}?)?",
    re.IGNORECASE,
)


class DurationError(ValueError):
    """Text that is not a duration this parser understands."""


def parse_minutes(text: str) -> int | None:
    """Whole minutes (a fraction of a minute rounds half up), None for empty text;
    DurationError for anything else."""
    value = text.strip()
    if not value:
        return None
    minutes = _minutes(value)
    if minutes > MAX_MINUTES:
        raise DurationError(f"more than {MAX_MINUTES} minutes")
    return minutes


def _minutes(value: str) -> int:
    if clock := _CLOCK.fullmatch(value):
        return int(clock["h"]) * 60 + int(clock["m"])
    units = _UNITS.fullmatch(value)
    if not units or not (units["h"] or units["m"]):
        raise DurationError(f"not a duration: {value!r}")
    if units["h"] and units["m"] and not units["h"].isdigit():
        raise DurationError("a fraction of an hour and minutes together")
    try:
        hours = Decimal(units["h"].replace(",", ".")) if units["h"] else Decimal(0)
    except InvalidOperation as error:  # pragma: no cover - the pattern only lets numbers through
        raise DurationError(str(error)) from error
    minutes = hours * 60 + int(units["m"] or 0)
    return int(minutes.to_integral_value(rounding=ROUND_HALF_UP))
