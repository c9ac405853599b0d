"""The summary's charts: inline SVG built from the result, every text escaped."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

from server.billing import charts

PROJECTS = [{"id": 1, "key": "ACME", "name": "Acme website"}, {"id": 2, "key": "BRAND", "name": "Brand <b>book</b>"}]
DAYS = [
    {"day": "2026-11-02", "project_id": 1, "total_minutes": 120},
    {"day": "2026-11-02", "project_id": 2, "total_minutes": 60},
    {"day": "2026-11-04", "project_id": 2, "total_minutes": 30},
]


def day_chart() -> str:
    return str(charts.hours_per_day(DAYS, PROJECTS, date(2026, 11, 2), date(2026, 11, 8), title="Hours"))


def test_the_day_chart_is_well_formed_svg() -> None:
    root = ElementTree.fromstring(day_chart())
    assert root.tag.endswith("svg")


def test_the_day_chart_stacks_one_segment_per_project_and_day() -> None:
    assert day_chart().count("<rect") == 3


def test_a_stacked_bar_is_as_tall_as_its_projects_together() -> None:
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', day_chart())]
    # 3 h on Monday on an axis topping at 5 h; 200 px of plot: 80 + 40
    assert heights[0] + heights[1] == 120.0


def test_projects_keep_their_colour_from_the_list_order() -> None:
    svg = day_chart()
    assert charts.PALETTE[0] in svg and charts.PALETTE[1] in svg


def test_project_names_are_escaped() -> None:
    svg = day_chart()
    assert "<b>" not in svg
    assert "Brand &lt;b&gt;book&lt;/b&gt;" in svg


def test_an_empty_period_draws_axes_and_no_bars() -> None:
    svg = str(charts.hours_per_day([], PROJECTS, date(2026, 11, 2), date(2026, 11, 2), title="Hours"))
    assert "<rect" not in svg and 'class="chart-grid"' in svg


def test_the_axis_rounds_up_to_a_readable_number_of_hours() -> None:
    assert [charts.nice_ceiling(h) for h in (0, 0.5, 3, 7.5, 12, 180)] == [1, 1, 5, 10, 20, 200]


def test_the_person_chart_draws_a_row_per_person_with_their_total() -> None:
    people = [
        {"name": "Max <Member>", "total_minutes": 90, "billable_minutes": 60, "non_billable_minutes": 30},
        {"name": "Mia", "total_minutes": 45, "billable_minutes": 45, "non_billable_minutes": 0},
    ]
    svg = str(charts.hours_per_person(people, title="People & hours"))
    ElementTree.fromstring(svg)
    assert svg.count("<rect") == 4
    assert "Max &lt;Member&gt;" in svg and "1.5 h" in svg and "0.8 h" in svg
    assert 'aria-label="People &amp; hours"' in svg
