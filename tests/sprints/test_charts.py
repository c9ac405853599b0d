from __future__ import annotations

import re
from datetime import date, timedelta

from server.sprints.charts import VelocityBar, burndown_svg, velocity_svg

MONDAY = date(2026, 11, 23)
POINTS = [(MONDAY + timedelta(days=i), r) for i, r in enumerate([480, 480, 300, 300, 120, 0, 0])]


def test_the_burndown_is_an_svg_with_a_title_and_axis_labels() -> None:
    svg = str(burndown_svg(600, POINTS))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Burndown: 10 h planned, 0 h remaining</title>" in svg
    assert ">Mon<" in svg and ">Sun<" in svg and ">Start<" in svg
    assert 'class="ideal"' in svg and 'class="actual"' in svg


def test_an_open_sprints_burndown_stops_at_today() -> None:
    svg = str(burndown_svg(600, POINTS, until=MONDAY + timedelta(days=2)))
    points = re.search(r'class="actual" points="([^"]+)"', svg)
    assert points is not None and len(points.group(1).split()) == 4  # start, Mon, Tue, Wed
    assert "5 h remaining" in svg


def test_the_velocity_chart_has_a_bar_pair_per_sprint_and_the_average() -> None:
    bars = [VelocityBar("W46", 600, 480), VelocityBar("W47", 300, 300)]
    svg = str(velocity_svg(bars, 390))
    assert svg.count('class="bar-completed"') == 2 and svg.count('class="bar-planned"') == 2
    assert 'class="average"' in svg and "6.5 h completed per sprint" in svg
    assert "W46: 8 h of 10 h done" in svg


def test_chart_labels_are_escaped() -> None:
    svg = str(velocity_svg([VelocityBar("<b>", 60, 60)], 60))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
