"""Revenue, cost and margin (pure): what the agency earns on a project, a task or a person against
what their hours cost it.

Money is in integer minor units of the client's currency, as the rollup sums it. Revenue is the
billable amount (hours at their rates), or for a fixed-fee project its fee for the period, shared
across the period's hours. Cost is each person's minutes at their cost rate (all hours worked,
billable or not). A cost is unknown (None) as soon as one person in it has no cost rate or one in
another currency than the client's: a margin is never guessed with a made-up exchange rate."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache, cached_property

from server.rules.burn import BudgetPeriod
from server.rules.money import digits, from_minor, line_minor

MAX_COST_RATE = Decimal("100000")  # an hour of anyone's time above this is a typo


class CostUnknown(StrEnum):
    """Why a cost cannot be told."""

    NO_RATE = "no_rate"  # the person has no cost rate
    OTHER_CURRENCY = "other_currency"  # their cost rate is in another currency than the client's


@dataclass(frozen=True)
class CostRate:
    """What an hour of one person costs the agency (amount None: not set)."""

    amount: Decimal | None
    currency: str = ""

    def unknown_in(self, currency: str) -> CostUnknown | None:
        """Why this rate cannot price hours billed in `currency`; None when it can."""
        if self.amount is None or not self.currency:
            return CostUnknown.NO_RATE
        if self.currency != currency:
            return CostUnknown.OTHER_CURRENCY
        return None

    @cached_property
    def cents(self) -> int:
        return int((self.amount or Decimal(0)).scaleb(2).to_integral_value(ROUND_HALF_UP))


NO_RATE = CostRate(None, "")


@cache
def _digits(currency: str) -> int:
    return digits(currency)  # Babel's lookup, once per currency: a page prices thousands of lines


def cost_of(minutes: int, rate: CostRate | None, currency: str) -> int | None:
    """`minutes` of one person at their cost rate, in minor units of `currency` (half up, as an
    entry's amount is), or None when the rate cannot tell it."""
    rate = rate or NO_RATE
    if rate.unknown_in(currency) is not None:
        return None
    return line_minor(minutes, rate.cents, _digits(currency))


@dataclass(frozen=True)
class Figures:
    """Hours, revenue and cost of something (a project, a task, a person) in one currency."""

    minutes: int
    revenue: int
    cost: int | None

    @property
    def margin(self) -> int | None:
        return None if self.cost is None else self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        """The margin as a percentage of revenue, one decimal; None without revenue or cost."""
        if self.margin is None or self.revenue == 0:
            return None
        return (Decimal(self.margin) * 100 / Decimal(self.revenue)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def effective_rate(self) -> int | None:
        """Revenue per hour worked, in minor units (half up); None before any hour."""
        if self.minutes <= 0:
            return None
        return (2 * self.revenue * 60 + self.minutes) // (2 * self.minutes)


def summed(figures: Iterable[Figures]) -> Figures:
    """The figures added up: the cost is unknown if any part's is."""
    minutes = revenue = 0
    cost: int | None = 0
    for part in figures:
        minutes += part.minutes
        revenue += part.revenue
        cost = None if cost is None or part.cost is None else cost + part.cost
    return Figures(minutes, revenue, cost)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """`total` shared in proportion to `weights`, in whole units that add up to `total` exactly
    (largest remainder; ties go to the earlier weight). No weight at all: nothing is shared."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def to_minor(amount: Decimal, currency: str) -> int:
    """An amount (a fee, a stored money string) in whole minor units, half up."""
    return int(Decimal(amount).scaleb(_digits(currency)).to_integral_value(ROUND_HALF_UP))


def monthly_fee(fee: int, start: date, end: date) -> int:
    """A monthly fee over [start, end]: the whole fee for each whole month, a share by days for a
    part of one (a retainer starting mid-month), rounded half up once."""
    if end < start:
        return 0
    total = Decimal(0)
    day = start
    while day <= end:
        days_in_month = monthrange(day.year, day.month)[1]
        last = min(end, day.replace(day=days_in_month))
        total += Decimal(fee) * ((last - day).days + 1) / days_in_month
        day = last + timedelta(days=1)
    return int(total.to_integral_value(ROUND_HALF_UP))


def fee_revenue(
    fee: int, period: BudgetPeriod, start: date, end: date, *, minutes: int, project_minutes: int, whole: bool = False
) -> int:
    """A fixed fee's revenue over [start, end]. A monthly fee counts per month (`monthly_fee`); a
    fee for the whole project is shared by hours: the period's `minutes` of the project's
    `project_minutes` so far (`whole`: the period is the whole project, which earns the fee even
    before any hour)."""
    if period is BudgetPeriod.MONTHLY:
        return monthly_fee(fee, start, end)
    if whole or (project_minutes > 0 and minutes >= project_minutes):
        return fee
    if project_minutes <= 0:
        return 0
    return (2 * fee * minutes + project_minutes) // (2 * project_minutes)


class MarginSort(StrEnum):
    """How the per-task and per-person tables are ordered."""

    HOURS = "hours"  # most hours first
    MARGIN = "margin"  # lowest margin first: what loses money leads
    MARGIN_PERCENT = "margin_percent"  # thinnest margin first
    NAME = "name"


def sort_key(sort: MarginSort, name: str, figures: Figures) -> tuple[int, Decimal | int | str, str]:
    """Order for a line named `name`; lines whose margin is unknown come last under a margin sort."""
    if sort is MarginSort.MARGIN:
        margin = figures.margin
        return (0, margin, name.casefold()) if margin is not None else (1, 0, name.casefold())
    if sort is MarginSort.MARGIN_PERCENT:
        percent = figures.margin_percent
        if percent is None and figures.margin is not None and figures.margin < 0:
            percent = Decimal("-Infinity")  # cost without revenue: thinner than any share
        return (0, percent, name.casefold()) if percent is not None else (1, 0, name.casefold())
    if sort is MarginSort.NAME:
        return (0, name.casefold(), "")
    return (0, -figures.minutes, name.casefold())


THIN_PERCENT = Decimal(20)  # below this share of revenue, a margin is thin


class MarginHealth(StrEnum):
    LOSS = "loss"
    THIN = "thin"
    HEALTHY = "healthy"
    UNKNOWN = "unknown"
    NOTHING = "nothing"  # no revenue and no cost yet: nothing to judge


def health(figures: Figures) -> MarginHealth:
    """How a margin looks at a glance: a loss, thin (under THIN_PERCENT of revenue), healthy."""
    margin = figures.margin
    if margin is None:
        return MarginHealth.UNKNOWN
    if figures.revenue == 0 and figures.cost == 0:
        return MarginHealth.NOTHING
    if margin < 0:
        return MarginHealth.LOSS
    percent = figures.margin_percent
    if percent is None or percent < THIN_PERCENT:
        return MarginHealth.THIN
    return MarginHealth.HEALTHY


@dataclass(frozen=True)
class Shown:
    """Figures as a page shows them: money as Decimals in the currency's digits (for `money()`)."""

    minutes: int
    revenue: Decimal
    cost: Decimal | None
    margin: Decimal | None
    percent: Decimal | None
    rate: Decimal | None  # effective, per hour
    health: MarginHealth


def shown(figures: Figures, currency: str) -> Shown:
    places = _digits(currency)

    def decimal(minor: int | None) -> Decimal | None:
        return None if minor is None else from_minor(minor, places)

    return Shown(
        minutes=figures.minutes,
        revenue=from_minor(figures.revenue, places),
        cost=decimal(figures.cost),
        margin=decimal(figures.margin),
        percent=figures.margin_percent,
        rate=decimal(figures.effective_rate),
        health=health(figures),
    )
