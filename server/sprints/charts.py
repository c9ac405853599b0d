"""The sprint report's charts as inline SVG drawn on the server: readable without JavaScript, printable,
and described for screen readers (`<title>`, `role="img"`, `aria-label`). Pure: data in, markup out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup, escape

from server.kernel.i18n import _, number, weekday

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


def _hours(minutes: int) -> str:
    """Whole hours, or to one place, as the viewer's locale writes numbers: "5", "4.8", "4,8"."""
    return number(round(Decimal(minutes) / 60, 1))


def _unit(minutes: int) -> str:
    """Hours with their symbol, as an axis or a tooltip says them: "4.8 h", "4,8 ч", "4.8 小时"."""
    return _("%(n)s h", n=_hours(minutes))


def _y_scale(top_minutes: int) -> tuple[int, list[int]]:
    """A round top for the y axis (whole hours) and its 4 gridlines, in minutes."""
    hours = max(1, -(-top_minutes // 60))
    step = max(1, -(-hours // 4))
    top = step * 4 * 60
    return top, [step * 60 * i for i in range(5)]


def _frame(title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _grid(top: int, ticks: list[int], y: object) -> list[str]:
    parts = []
    for tick in ticks:
        ty = y(tick)  # type: ignore[operator]
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end">{_unit(tick)}</text>')
    return parts


def burndown_svg(planned_minutes: int, points: Sequence[tuple[date, int]], *, until: date | None = None) -> Markup:
    """Remaining estimate at the start and at the end of each day of the week: the ideal line falls
    evenly to zero; the actual line stops at `until` (today, for a running sprint)."""
    top, ticks = _y_scale(planned_minutes)
    slots = len(points) + 1  # the start, then the end of each day
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + inner_w * i / (slots - 1)

    def y(minutes: int) -> float:
        return TOP + inner_h * (1 - minutes / top)

    body = _grid(top, ticks, y)
    labels = [_("Start")] + [weekday(day) for day, _r in points]
    for i, label in enumerate(labels):
        body.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(label)}</text>')
    body.append(
        f'<line class="ideal" x1="{x(0):.1f}" y1="{y(planned_minutes):.1f}" x2="{x(slots - 1):.1f}" y2="{y(0):.1f}"/>'
    )
    shown = [(0, planned_minutes)] + [
        (i + 1, remaining) for i, (day, remaining) in enumerate(points) if until is None or day <= until
    ]
    path = " ".join(f"{x(i):.1f},{y(r):.1f}" for i, r in shown)
    body.append(f'<polyline class="actual" points="{path}"/>')
    for i, r in shown:
        body.append(
            f'<circle class="actual-dot" cx="{x(i):.1f}" cy="{y(r):.1f}" r="3.5"><title>{escape(labels[i])}: '
            f"{_unit(r)}</title></circle>"
        )
    last = shown[-1][1]
    title = _(
        "Burndown: %(planned)s h planned, %(left)s h remaining", planned=_hours(planned_minutes), left=_hours(last)
    )
    return _frame(title, body)


@dataclass(frozen=True)
class VelocityBar:
    label: str
    planned_minutes: int
    completed_minutes: int


def velocity_svg(bars: Sequence[VelocityBar], average_minutes: int) -> Markup:
    """Planned (pale) and completed (solid) estimate of the last closed sprints, oldest first, with
    the average completed as a dashed line."""
    top, ticks = _y_scale(max([b.planned_minutes for b in bars] + [b.completed_minutes for b in bars] + [60]))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(bars), 1)
    bar_w = min(48.0, slot * 0.6)

    def y(minutes: int) -> float:
        return TOP + inner_h * (1 - minutes / top)

    body = _grid(top, ticks, y)
    for i, bar in enumerate(bars):
        cx = LEFT + slot * (i + 0.5)
        for css, minutes, width in (
            ("planned", bar.planned_minutes, bar_w),
            ("completed", bar.completed_minutes, bar_w * 0.6),
        ):
            body.append(
                f'<rect class="bar-{css}" x="{cx - width / 2:.1f}" y="{y(minutes):.1f}" width="{width:.1f}" '
                f'height="{y(0) - y(minutes):.1f}" rx="3"/>'
            )
        tip = _(
            "%(sprint)s: %(done)s h of %(planned)s h done",
            sprint=bar.label,
            done=_hours(bar.completed_minutes),
            planned=_hours(bar.planned_minutes),
        )
        body.append(f'<rect class="bar-hit" x="{cx - slot / 2:.1f}" y="{TOP}" width="{slot:.1f}" height="{inner_h}">')
        body.append(f"<title>{escape(tip)}</title></rect>")
        body.append(
            f'<text class="axis" x="{cx:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(bar.label)}</text>'
        )
    if bars:
        ay = y(average_minutes)
        body.append(f'<line class="average" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ay:.1f}" y2="{ay:.1f}"/>')
    title = _("Velocity: %(avg)s h completed per sprint on average", avg=_hours(average_minutes))
    return _frame(title, body)
