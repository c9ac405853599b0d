"""The overview's burn bar as inline SVG drawn on the server: used so far, where the current pace
ends up, and a tick at the share of the period elapsed; red when the forecast passes the budget."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from server.rules.burn import Burn, Risk

WIDTH, HEIGHT = 160, 14
TRACK, USED, PACE, ALARM, ALARM_PACE, TICK = "#e5e7eb", "#0d9488", "#99f6e4", "#dc2626", "#fecaca", "#111827"


def _x(part: int, whole: int) -> float:
    """A share of the bar's width, never past its end."""
    return round(WIDTH * min(part / whole, 1.0), 1) if whole > 0 else (WIDTH if part > 0 else 0.0)


def burn_bar(item: Burn, *, title: str, show_elapsed: bool = True) -> Markup:
    """A bar the width of the budget: the used part solid, the forecast lighter, the elapsed tick."""
    budget = item.budget or 0
    alarm = item.risk in (Risk.AT_RISK, Risk.OVER)
    used, forecast = _x(item.used, budget), _x(item.forecast, budget)
    parts = [
        f'<svg class="burn-bar{" burn-alarm" if alarm else ""}" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="2" width="{WIDTH}" height="{HEIGHT - 4}" rx="3" fill="{TRACK}"/>',
        f'<rect x="0" y="2" width="{forecast}" height="{HEIGHT - 4}" rx="3" fill="{ALARM_PACE if alarm else PACE}"/>',
        f'<rect x="0" y="2" width="{used}" height="{HEIGHT - 4}" rx="3" fill="{ALARM if alarm else USED}"/>',
    ]
    if show_elapsed:
        tick = _x(item.days_elapsed, item.days)
        parts.append(f'<rect x="{max(tick - 1, 0)}" y="0" width="2" height="{HEIGHT}" fill="{TICK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
