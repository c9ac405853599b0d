"""Reading time trackers' CSV exports: encodings, separators, each tracker's layout, each row's problems."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.imports import timecsv
from tests.imports.helpers import fixture


def rows(name: str, tz: str = "UTC") -> tuple[timecsv.Mapping, list[timecsv.TimeRow]]:
    sheet = timecsv.read(fixture(name))
    mapping = timecsv.detect(sheet.headers)
    return mapping, timecsv.rows_of(sheet, mapping, tz)


def test_it_reads_a_harvest_detailed_report() -> None:
    mapping, found = rows("harvest.csv")
    assert mapping.layout == "harvest" and mapping.unit == "hours"
    first = found[0]
    assert (first.day, first.person, first.task, first.minutes, first.note, first.billable) == (
        date(2026, 10, 5),
        "Max Member",
        "Homepage hero",
        90,
        "Hero copy, first draft",
        True,
    )
    assert found[2].billable is False
    assert found[4].day == date(2026, 10, 7)  # M/D/YYYY, as Harvest writes it in the US
    assert found[4].problems == ["The duration “abc” cannot be read."]


def test_it_reads_a_toggl_detailed_report_with_start_and_end() -> None:
    mapping, found = rows("toggl.csv")
    assert mapping.layout == "toggl"
    first = found[0]
    assert first.started_at == datetime(2026, 10, 12, 9, 15, tzinfo=UTC)
    assert first.ended_at == datetime(2026, 10, 12, 10, 45, tzinfo=UTC) and first.minutes == 90
    assert first.email == "max@agency.test" and first.task == ""
    assert first.note.startswith("https://trello.com/c/Bb222222")
    assert found[1].minutes == 60  # over midnight


def test_times_are_read_in_the_agencys_time_zone() -> None:
    _mapping, found = rows("toggl.csv", tz="Asia/Ho_Chi_Minh")
    assert found[0].started_at == datetime(2026, 10, 12, 2, 15, tzinfo=UTC)


def test_it_reads_an_everhour_report_and_boardrooms_own_entries() -> None:
    mapping, found = rows("everhour.csv")
    assert mapping.layout == "everhour" and [r.minutes for r in found] == [90, 45]
    mapping, found = rows("boardroom.csv")
    assert mapping.layout == "boardroom"
    assert found[0].started_at == datetime(2026, 10, 20, 14, 0, tzinfo=UTC) and found[0].minutes == 60
    assert found[0].task == "RELA-2"


def test_it_reads_cp1251_with_semicolons_and_decimal_commas() -> None:
    sheet = timecsv.read(fixture("harvest_ru_cp1251.csv"))
    assert (sheet.encoding, sheet.delimiter) == ("cp1251", ";")
    mapping = timecsv.detect(sheet.headers)
    found = timecsv.rows_of(sheet, mapping, "UTC")
    assert (found[0].person, found[0].task, found[0].minutes, found[0].day) == (
        "Мария Иванова",
        "Главная страница",
        90,
        date(2026, 10, 5),
    )


def test_it_reads_vietnamese_windows_1258() -> None:
    sheet = timecsv.read(fixture("everhour_vi_cp1258.csv"))
    assert sheet.encoding == "cp1258"
    found = timecsv.rows_of(sheet, timecsv.detect(sheet.headers), "UTC")
    assert found[0].person == "Nguyễn Văn An" and found[0].note == "Viết nội dung trang chủ"


def test_a_chosen_encoding_that_does_not_fit_is_said() -> None:
    with pytest.raises(timecsv.UnreadableFile, match="not in utf-8"):
        timecsv.read(fixture("harvest_ru_cp1251.csv"), "utf-8")


def test_an_unknown_layout_maps_nothing_and_says_what_is_missing() -> None:
    sheet = timecsv.read("Когда;Кто;Сколько\n01.10.2026;Max Member;2\n".encode())
    mapping = timecsv.detect(sheet.headers)
    assert mapping.layout == "unknown" and mapping.missing() == ["date", "person", "duration"]
    mapping.columns = {"date": "Когда", "person": "Кто", "duration": "Сколько"}
    assert timecsv.rows_of(sheet, mapping, "UTC")[0].minutes == 120


def test_a_file_without_columns_is_refused() -> None:
    with pytest.raises(timecsv.UnreadableFile, match="no columns"):
        timecsv.read(b"just one line of text\n")


@pytest.mark.parametrize(
    ("text", "unit", "minutes"),
    [
        ("7.5", "hours", 450),
        ("1,25", "hours", 75),
        ("1:30", "clock", 90),
        ("01:17:00", "clock", 77),
        ("90", "minutes", 90),
        ("1h 30m", "hours", 90),
        ("soon", "hours", None),
        ("", "hours", None),
    ],
)
def test_durations_in_each_trackers_style(text: str, unit: str, minutes: int | None) -> None:
    assert timecsv.parse_duration(text, unit) == minutes


def test_rows_say_every_problem() -> None:
    sheet = timecsv.read(b"Date,Member,Task,Time\nyesterday,,x,30:00\n")
    found = timecsv.rows_of(
        sheet, timecsv.Mapping("everhour", {"date": "Date", "person": "Member", "duration": "Time"}, "clock"), "UTC"
    )
    assert found[0].problems == [
        "The date “yesterday” is not a date.",
        "No person.",
        "An entry is 1 minute to 24 hours long; this one is 1800 minutes.",
    ]
