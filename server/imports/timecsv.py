"""Reading time trackers' CSV exports (pure): the encoding (UTF-8 with or without BOM, Excel's cp1251
and Windows-1258), the separator (comma, semicolon, tab), which tracker's layout it is, and each row
as a time entry or the problems that keep it out. The layouts follow each tracker's documented export:

- Harvest, detailed time report: Date, Client, Project, Task, Notes, Hours (decimal), First Name,
  Last Name, Billable? (Yes/No) … (its time import's eight columns read the same way)
- Toggl Track, detailed report: User, Email, Client, Project, Task, Description, Billable, Start date,
  Start time, End date, End time, Duration (hh:mm:ss), Tags
- Everhour, time report: Date, Member (or User), Project, Task, Time (h:mm), Comment, Billable
- Boardroom's own entries CSV (billing › entries.csv): date, project, task key, task title, person,
  started, ended, minutes, billable, note
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from server.kernel.i18n import _
from server.rules.durations import DurationError, parse_minutes

ENCODINGS = ("utf-8", "cp1251", "cp1258")
FIELDS = ("date", "person", "email", "task", "duration", "start", "end", "end_date", "note", "billable")
UNITS = ("hours", "clock", "minutes")
MAX_ROWS = 100_000


class UnreadableFile(ValueError):
    """The file cannot be read as a CSV at all; the message says why and what to do."""


@dataclass
class Mapping:
    """Which column (by header) holds each field, and how durations are written."""

    layout: str = "unknown"
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    unit: str = "hours"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Mapping:
        columns = {k: v for k, v in (value.get("columns") or {}).items() if k in FIELDS and isinstance(v, str) and v}
        unit = str(value["unit"]) if value.get("unit") in UNITS else "hours"
        return cls(str(value.get("layout") or "unknown"), columns, unit)

    def missing(self) -> list[str]:
        """Fields without which a row cannot be read: a date, a person, and a duration or start and end."""
        missing = [] if "date" in self.columns else ["date"]
        if "person" not in self.columns and "email" not in self.columns:
            missing.append("person")
        if "duration" not in self.columns and not {"start", "end"} <= self.columns.keys():
            missing.append("duration")
        return missing


# Each layout: its name, the headers that identify it, field -> header, the duration's unit.
LAYOUTS: dict[str, tuple[set[str], dict[str, str], str]] = {
    "toggl": (
        {"start date", "start time", "duration", "description"},
        {
            "date": "start date",
            "start": "start time",
            "end": "end time",
            "end_date": "end date",
            "person": "user",
            "email": "email",
            "task": "task",
            "duration": "duration",
            "note": "description",
            "billable": "billable",
        },
        "clock",
    ),
    "harvest": (
        {"date", "hours", "first name", "last name"},
        {
            "date": "date",
            "person": "first name + last name",
            "task": "task",
            "duration": "hours",
            "note": "notes",
            "billable": "billable?",
        },
        "hours",
    ),
    "everhour": (
        {"date", "time", "task"},
        {
            "date": "date",
            "person": "member|user",
            "task": "task",
            "duration": "time",
            "note": "comment",
            "billable": "billable",
        },
        "clock",
    ),
    "boardroom": (
        {"date", "task key", "person", "minutes"},
        {
            "date": "date",
            "start": "started",
            "end": "ended",
            "person": "person",
            "task": "task key",
            "duration": "minutes",
            "note": "note",
            "billable": "billable",
        },
        "minutes",
    ),
}


@dataclass
class Sheet:
    """A decoded CSV: its encoding and separator, headers and rows (each with its line number)."""

    text: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]


def decode(raw: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text and the encoding it was in. "auto": UTF-8 (with or without BOM), else the one of cp1251
    (Russian Excel) and cp1258 (Vietnamese Excel) whose letters the text looks like."""
    if encoding != "auto":
        try:
            text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
            return unicodedata.normalize("NFC", text), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise UnreadableFile(_("The file is not in %(enc)s. Choose another encoding.", enc=encoding)) from error
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Russian words are runs of three and more bytes past ASCII; Vietnamese puts one or two (a letter
    # with its mark, then a tone) between ASCII letters.
    cyrillic = len(re.findall(rb"[\xc0-\xff]{3,}", raw))
    vietnamese = len(re.findall(rb"(?<=[A-Za-z])[\x80-\xff]{1,2}(?=[A-Za-z\s;,])", raw))
    if cyrillic and cyrillic >= vietnamese:
        return raw.decode("cp1251", errors="replace"), "cp1251"
    if vietnamese:
        return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")), "cp1258"
    raise UnreadableFile(
        _("The file is not UTF-8 and its encoding could not be told. Save it as CSV UTF-8, or choose an encoding.")
    )


def read_text(text: str, encoding: str = "utf-8") -> Sheet:
    """Rows of a decoded CSV; the separator is the one the header line uses most."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if not first.count(delimiter):
        raise UnreadableFile(_("The file has no columns: line 1 has no commas, semicolons or tabs."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise UnreadableFile(_("The CSV is broken at line %(n)s: %(e)s", n=reader.line_num, e=str(error))) from error
    if len(lines) > MAX_ROWS:
        raise UnreadableFile(_("The file has more than %(n)s rows. Split it into smaller files.", n=MAX_ROWS))
    headers = [h.strip() for h in lines[0][1]] if lines else []
    rows = [(n, row) for n, row in lines[1:] if any(cell.strip() for cell in row)]
    return Sheet(text, encoding, delimiter, headers, rows)


def read(raw: bytes, encoding: str = "auto") -> Sheet:
    text, found = decode(raw, encoding)
    return read_text(text, found)


def _header(headers: list[str], wanted: str) -> str | None:
    lowered = {h.lower(): h for h in headers}
    if "+" in wanted:
        parts = [lowered.get(p.strip()) for p in wanted.split("+")]
        return " + ".join(p for p in parts if p) if all(parts) else None
    for option in wanted.split("|"):
        if option in lowered:
            return lowered[option]
        prefixed = [h for low, h in lowered.items() if low.startswith(option + " (")]  # "Duration (h)"
        if prefixed:
            return prefixed[0]
    return None


def detect(headers: list[str]) -> Mapping:
    """The layout these headers are (Toggl, Harvest, Everhour, Boardroom's own) and its mapping; an
    unknown layout gets an empty mapping for the admin to fill."""
    lowered = {h.lower() for h in headers} | {h.lower().split(" (")[0] for h in headers}
    for name, (identifying, fields, unit) in LAYOUTS.items():
        if identifying <= lowered:
            columns = {f: found for f, wanted in fields.items() if (found := _header(headers, wanted))}
            return Mapping(name, columns, unit)
    return Mapping("unknown", {}, "hours")


@dataclass
class TimeRow:
    """One CSV row read as a time entry (or not: `problems`)."""

    line: int
    source_id: str
    day: date | None = None
    person: str = ""
    email: str = ""
    task: str = ""
    minutes: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    note: str = ""
    billable: bool = True
    problems: list[str] = field(default_factory=list)


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%m/%d/%y", "%d.%m.%y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
YES = {"yes", "y", "true", "1", "billable", "да", "có", "是", "x"}
NO = {"no", "n", "false", "0", "non-billable", "нет", "không", "否", ""}


def parse_day(value: str) -> date | None:
    value = value.strip()[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value.strip()) else value.strip()
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day if 2000 <= day.year <= 2100 else None
    return None


def parse_clock(value: str) -> time | None:
    value = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", value):
        value = value[11:]
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(value.upper(), fmt).time()
        except ValueError:
            continue
    return None


def parse_duration(value: str, unit: str) -> int | None:
    """Whole minutes; None when the text is not a duration."""
    value = value.strip()
    if not value:
        return None
    if unit == "clock" and (clock := re.fullmatch(r"(\d{1,4}):([0-5]\d)(?::([0-5]\d))?", value)):
        seconds = int(clock[1]) * 3600 + int(clock[2]) * 60 + int(clock[3] or 0)
        return (seconds + 30) // 60
    if unit in {"hours", "clock"} and re.fullmatch(r"\d{1,5}(?:[.,]\d{1,6})?", value):
        try:
            return int((Decimal(value.replace(",", ".")) * 60).to_integral_value())
        except InvalidOperation:
            return None
    if unit == "minutes" and value.isdigit():
        return int(value)
    try:
        return parse_minutes(value)
    except DurationError:
        return None


def _cell(row: list[str], headers: list[str], header: str | None) -> str:
    if not header:
        return ""
    if " + " in header:
        return " ".join(_cell(row, headers, part) for part in header.split(" + ")).strip()
    index = headers.index(header) if header in headers else -1
    return row[index].strip() if 0 <= index < len(row) else ""


def _local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def row_of(line: int, row: list[str], sheet: Sheet, mapping: Mapping, tz: str) -> TimeRow:
    """One row as a time entry in UTC (its dates and times are the agency's time zone's), with every
    problem found in it."""

    def cell(name: str) -> str:
        return _cell(row, sheet.headers, mapping.columns.get(name))

    source = hashlib.sha256("\x1f".join([mapping.layout, *row]).encode()).hexdigest()[:40]
    out = TimeRow(line=line, source_id=source, person=cell("person"), email=cell("email").lower(), task=cell("task"))
    out.note = cell("note")[:500]
    out.billable = cell("billable").lower() not in NO - {""} if mapping.columns.get("billable") else True
    out.day = parse_day(cell("date"))
    if out.day is None:
        out.problems.append(_("The date “%(v)s” is not a date.", v=cell("date")[:40]))
    if not out.person and not out.email:
        out.problems.append(_("No person."))
    zone = ZoneInfo(tz)
    start, end = parse_clock(cell("start")), parse_clock(cell("end"))
    if out.day and start and end:
        end_day = parse_day(cell("end_date")) or out.day
        if end <= start and end_day == out.day:
            end_day = out.day + timedelta(days=1)
        out.started_at, out.ended_at = _local(out.day, start, zone), _local(end_day, end, zone)
        out.minutes = int((out.ended_at - out.started_at).total_seconds() // 60)
    elif mapping.columns.get("duration"):
        out.minutes = parse_duration(cell("duration"), mapping.unit)
        if out.minutes is None:
            out.problems.append(_("The duration “%(v)s” cannot be read.", v=cell("duration")[:40]))
    else:
        out.problems.append(_("No duration, and no start and end."))
    if out.minutes is not None and not 1 <= out.minutes <= 24 * 60:
        out.problems.append(_("An entry is 1 minute to 24 hours long; this one is %(n)s minutes.", n=out.minutes))
    return out


def rows_of(sheet: Sheet, mapping: Mapping, tz: str) -> list[TimeRow]:
    return [row_of(line, row, sheet, mapping, tz) for line, row in sheet.rows]
