"""Budget burn and forecast (pure): how much of a budget is used, how much of its period has passed,
where the current pace ends up, the day it runs out, and which alert thresholds a new figure crosses.

Budgets and usage are integers in one unit, whatever it is: minutes for an hours budget, minor units
for a money budget. A period is [start, end], whole days, end inclusive (a monthly retainer: the
month; a whole-project budget: the project's dates)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_THRESHOLDS = (80, 100)


class Risk(StrEnum):
    """How a budget is doing, in the order a list sorted by risk shows it (worst first)."""

    OVER = "over"  # used already passes the budget
    AT_RISK = "at_risk"  # the forecast passes it before the period ends
    HEALTHY = "healthy"
    NO_BUDGET = "no_budget"


RISK_ORDER = {Risk.OVER: 0, Risk.AT_RISK: 1, Risk.HEALTHY: 2, Risk.NO_BUDGET: 3}


@dataclass(frozen=True)
class Burn:
    used: int
    budget: int | None
    days: int  # in the period
    days_elapsed: int  # today counted; 0 before the period starts, `days` after it ends
    forecast: int  # used at the period's end at today's pace (used when no pace yet)
    runs_out_on: date | None  # the day the budget is used up at today's pace; None: not within reach
    risk: Risk

    @property
    def used_percent(self) -> int:
        """Used as a whole percentage of the budget (rounded down); 0 without a budget."""
        return self.used * 100 // self.budget if self.budget else 0

    @property
    def elapsed_percent(self) -> int:
        return self.days_elapsed * 100 // self.days

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.used


def month_of(day: date) -> tuple[date, date]:
    """The calendar month `day` lies in: a monthly budget's period."""
    return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])


def burn(used: int, budget: int | None, start: date, end: date, today: date) -> Burn:
    """The burn of `budget` over [start, end] with `used` spent by the end of `today`."""
    if end < start:
        raise ValueError("a period ends on or after its start")
    if used < 0 or (budget is not None and budget < 0):
        raise ValueError("used and budget are never negative")
    days = (end - start).days + 1
    elapsed = min(max((today - start).days + 1, 0), days)
    # Pace: what was used per elapsed day; before the period starts nothing is known of it.
    forecast = used if elapsed == 0 else -(-used * days // elapsed)  # rounded up: err towards warning
    runs_out_on = _runs_out_on(used, budget, start, end, elapsed)
    if budget is None:
        risk = Risk.NO_BUDGET
    elif used > budget or (budget == 0 and used > 0):
        risk = Risk.OVER
    elif forecast > budget:
        risk = Risk.AT_RISK
    else:
        risk = Risk.HEALTHY
    return Burn(used, budget, days, elapsed, forecast, runs_out_on, risk)


def _runs_out_on(used: int, budget: int | None, start: date, end: date, elapsed: int) -> date | None:
    if budget is None or elapsed == 0 or used == 0:
        return None
    if used >= budget:
        return start + timedelta(days=elapsed - 1)  # already: today (or the period's last day)
    # the first day d (1-based) with used * d / elapsed >= budget
    day = -(-budget * elapsed // used)
    found = start + timedelta(days=day - 1)
    return found if found <= end else None


def crossed(used: int, budget: int | None, thresholds: Iterable[int], sent: Iterable[int] = ()) -> list[int]:
    """The thresholds (percent of the budget) `used` has reached that have not been alerted yet, in
    increasing order: each fires once per period."""
    if not budget:
        return []
    done = set(sent)
    return sorted(t for t in set(thresholds) if t not in done and used * 100 >= t * budget)


def risk_key(item: Burn) -> tuple[int, int]:
    """Sort key, worst first: over, at risk, healthy, no budget; within each, most used first."""
    return RISK_ORDER[item.risk], -item.used_percent


class BudgetPeriod(StrEnum):
    """What a project's budget covers: the whole project, or each calendar month (a retainer)."""

    PROJECT = "project"
    MONTHLY = "monthly"

    @classmethod
    def of(cls, stored: str | None) -> BudgetPeriod:
        """A project's stored budget_period: "monthly" is a retainer, anything else the whole project."""
        return cls.MONTHLY if stored == cls.MONTHLY.value else cls.PROJECT


# ---- alerts (issue 16): the thresholds a project is told at, and the period an alert belongs to

THRESHOLD_RANGE = (1, 200)  # percent of a budget; past 200 a project is long since told
MAX_THRESHOLDS = 6
# The period key of a whole-project budget's alerts: before any month, so it never meets a retainer's.
WHOLE_PROJECT = date(1, 1, 1)


def read_thresholds(text: str) -> tuple[int, ...] | None:
    """Alert thresholds as an admin types them ("80, 100", "50 90 100"): whole percentages from 1 to
    200, at most MAX_THRESHOLDS, each once, in increasing order. Empty: the defaults. None when the
    text is not such a list."""
    parts = [p for p in text.replace(",", " ").replace("%", " ").split() if p]
    if not parts:
        return DEFAULT_THRESHOLDS
    if len(parts) > MAX_THRESHOLDS or not all(p.isascii() and p.isdigit() and len(p) <= 3 for p in parts):
        return None
    values = sorted({int(p) for p in parts})
    lo, hi = THRESHOLD_RANGE
    return tuple(values) if all(lo <= v <= hi for v in values) else None


def thresholds_text(thresholds: Iterable[int]) -> str:
    """Thresholds as the form shows them: "80, 100"."""
    return ", ".join(str(t) for t in thresholds)


def stored_thresholds(value: str | None) -> tuple[int, ...]:
    """A project's saved thresholds ("80,100"); whatever cannot be read counts as the defaults."""
    return read_thresholds(value or "") or DEFAULT_THRESHOLDS


def alert_period(monthly: bool, today: date) -> date:
    """The period an alert belongs to: a retainer's month (a new month alerts again), or the whole
    project for any other budget."""
    return month_of(today)[0] if monthly else WHOLE_PROJECT


def reached(used: int, budget: int | None, thresholds: Iterable[int]) -> int | None:
    """The highest threshold `used` has reached, or None: what the project's banner shows."""
    return max(crossed(used, budget, thresholds), default=None)
