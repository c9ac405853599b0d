"""A summary's charts as inline SVG drawn on the server: hours per day stacked by project, and hours
per person. Pure functions from the summary's result to markup; every text is escaped here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from typing import Any

from markupsafe import Markup

from server.kernel.i18n import _, number

# Distinct on white, readable as stacked bars; a project keeps its colour by its place in the list.
PALETTE = ("#4f46e5", "#0d9488", "#ea580c", "#db2777", "#2563eb", "#65a30d", "#b45309", "#7c3aed", "#0891b2", "#dc2626")
WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP, RIGHT = 40, 28, 12, 8


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def nice_ceiling(hours: float) -> int:
    """The axis's top in whole hours: 1, 2, 5 or 10 times a power of ten, at least `hours`."""
    if hours <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= hours:
                return step * factor
        step *= 10


def _hours(minutes: int) -> str:
    """Hours to one place, as the viewer writes numbers and the hour's symbol: "4.8 h", "4,8 ч"."""
    return _("%(n)s h", n=number(round(Decimal(minutes) / 60, 1)))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def hours_per_day(
    days: Sequence[Mapping[str, Any]], projects: Sequence[Mapping[str, Any]], start: date, end: date, *, title: str
) -> Markup:
    """Stacked bars, one per day of the period, one segment per project (total minutes)."""
    order = {p["id"]: i for i, p in enumerate(projects)}
    names = {p["id"]: f"{p.get('key', '')} {p.get('name', '')}".strip() for p in projects}
    by_day: dict[str, list[tuple[int, int]]] = {}
    for row in days:
        by_day.setdefault(str(row["day"]), []).append((row["project_id"], int(row["total_minutes"])))
    period = _days(start, end)
    most = max((sum(m for _p, m in parts) for parts in by_day.values()), default=0)
    top = nice_ceiling(most / 60)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(period), 1)
    bar = max(min(slot * 0.7, 28), 1)
    out = [_open(title)]
    out += _grid(top, plot_w, plot_h)
    label_every = max(1, len(period) // 12)
    for i, day in enumerate(period):
        x = LEFT + i * slot + (slot - bar) / 2
        y = float(TOP + plot_h)
        for project_id, minutes in sorted(by_day.get(day.isoformat(), []), key=lambda p: order.get(p[0], 99)):
            h = minutes / 60 / top * plot_h
            y -= h
            tip = f"{day.isoformat()} · {names.get(project_id, '')}: {_hours(minutes)}"
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour(order.get(project_id, 0))}"><title>{escape(tip)}</title></rect>'
            )
        if i % label_every == 0:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 10}" class="chart-axis" text-anchor="middle">'
                f"{day.day}</text>"
            )
    out.append("</svg>")
    return Markup("".join(out))


def hours_per_person(people: Sequence[Mapping[str, Any]], *, title: str) -> Markup:
    """Horizontal bars, one per person: billable (after rounding, raw) and non-billable minutes."""
    row_h, label_w, width = 28, 120, 440
    height = TOP * 2 + row_h * max(len(people), 1)
    most = max((int(p["total_minutes"]) for p in people), default=0)
    top = nice_ceiling(most / 60)
    plot_w = width - label_w - RIGHT - 50
    out = [_open(title, height, width)]
    for i, person in enumerate(people):
        y = TOP + i * row_h
        billable = int(person["billable_minutes"]) / 60 / top * plot_w
        other = int(person["non_billable_minutes"]) / 60 / top * plot_w
        out.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="chart-label">'
            f"{escape(str(person['name']))}</text>"
        )
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{billable:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}">'
            f"<title>{escape(str(person['name']))}: {_hours(int(person['billable_minutes']))}</title></rect>"
        )
        out.append(
            f'<rect x="{label_w + billable:.1f}" y="{y + 4}" width="{other:.1f}" height="{row_h - 8}" '
            f'fill="#cbd5e1"><title>{escape(str(person["name"]))}: '
            f"{_hours(int(person['non_billable_minutes']))}</title></rect>"
        )
        out.append(
            f'<text x="{label_w + billable + other + 6:.1f}" y="{y + 17}" class="chart-value">'
            f"{_hours(int(person['total_minutes']))}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _open(title: str, height: int = HEIGHT, width: int = WIDTH) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def _grid(top: int, plot_w: float, plot_h: float) -> list[str]:
    lines = []
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        lines.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>')
        label = f"{value:g}"
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-axis">{label}</text>')
    return lines
