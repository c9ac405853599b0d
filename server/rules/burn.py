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
