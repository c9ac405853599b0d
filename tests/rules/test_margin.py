from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.burn import BudgetPeriod
from server.rules.margin import (
    CostRate,
    CostUnknown,
    Figures,
    MarginHealth,
    MarginSort,
    allocate,
    cost_of,
    fee_revenue,
    health,
    monthly_fee,
    shown,
    sort_key,
    summed,
    to_minor,
)

EUR45 = CostRate(Decimal("45.00"), "EUR")


def test_an_hour_and_a_half_at_45_euros_costs_67_50() -> None:
    assert cost_of(90, EUR45, "EUR") == 6750


def test_a_cost_is_rounded_half_up_to_the_cent() -> None:
    assert cost_of(1, CostRate(Decimal("0.30"), "EUR"), "EUR") == 1  # half a cent rounds up
    assert cost_of(1, CostRate(Decimal("0.29"), "EUR"), "EUR") == 0


def test_a_cost_in_yen_counts_whole_yen() -> None:
    assert cost_of(30, CostRate(Decimal("5001"), "JPY"), "JPY") == 2501


def test_without_a_cost_rate_the_cost_is_unknown() -> None:
    assert cost_of(60, None, "EUR") is None
    assert cost_of(60, CostRate(None, ""), "EUR") is None
    assert CostRate(None, "").unknown_in("EUR") is CostUnknown.NO_RATE


def test_a_cost_rate_in_another_currency_is_never_converted() -> None:
    assert cost_of(60, EUR45, "USD") is None
    assert EUR45.unknown_in("USD") is CostUnknown.OTHER_CURRENCY
    assert EUR45.unknown_in("EUR") is None


def test_margin_is_revenue_less_cost() -> None:
    figures = Figures(minutes=600, revenue=95000, cost=45000)
    assert figures.margin == 50000
    assert figures.margin_percent == Decimal("52.6")
    assert figures.effective_rate == 9500  # €950 over 10 h: €95 an hour


def test_a_loss_has_a_negative_margin() -> None:
    figures = Figures(minutes=60, revenue=5000, cost=7500)
    assert figures.margin == -2500
    assert figures.margin_percent == Decimal("-50.0")
    assert health(figures) is MarginHealth.LOSS


def test_an_unknown_cost_leaves_margin_unknown_but_not_the_effective_rate() -> None:
    figures = Figures(minutes=120, revenue=10000, cost=None)
    assert (figures.margin, figures.margin_percent) == (None, None)
    assert figures.effective_rate == 5000
    assert health(figures) is MarginHealth.UNKNOWN


def test_no_hours_no_effective_rate_and_no_revenue_no_percent() -> None:
    assert Figures(0, 500000, 0).effective_rate is None
    assert Figures(60, 0, 0).margin_percent is None
    assert health(Figures(0, 0, 0)) is MarginHealth.NOTHING
    assert health(Figures(60, 0, 0)) is MarginHealth.NOTHING  # non-billable hours of someone who costs nothing


@pytest.mark.parametrize(
    ("revenue", "cost", "expected"),
    [(10000, 5000, MarginHealth.HEALTHY), (10000, 8500, MarginHealth.THIN), (10000, 8000, MarginHealth.HEALTHY)],
)
def test_a_margin_under_a_fifth_of_revenue_is_thin(revenue: int, cost: int, expected: MarginHealth) -> None:
    assert health(Figures(60, revenue, cost)) is expected


def test_summed_figures_lose_their_cost_if_one_part_is_unknown() -> None:
    parts = [Figures(60, 100, 40), Figures(30, 50, 20)]
    assert summed(parts) == Figures(90, 150, 60)
    assert summed([*parts, Figures(10, 10, None)]) == Figures(100, 160, None)
    assert summed([]) == Figures(0, 0, 0)


def test_allocate_shares_by_weight_and_adds_up_exactly() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(500000, [60, 180, 0]) == [125000, 375000, 0]
    assert allocate(10, [0, 0]) == [0, 0]
    assert allocate(0, [5, 5]) == [0, 0]


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_allocated_shares_always_add_up(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    assert sum(shares) == (total if sum(weights) else 0)
    assert all(s >= 0 for s in shares)


def test_to_minor_rounds_half_up_in_the_currencys_digits() -> None:
    assert to_minor(Decimal("4800.505"), "EUR") == 480051
    assert to_minor(Decimal("1500"), "JPY") == 1500


def test_a_monthly_fee_counts_whole_months_and_days_of_a_part() -> None:
    assert monthly_fee(300000, date(2026, 11, 1), date(2026, 11, 30)) == 300000
    assert monthly_fee(300000, date(2026, 10, 1), date(2026, 11, 30)) == 600000
    assert monthly_fee(300000, date(2026, 11, 16), date(2026, 11, 30)) == 150000  # half of November
    assert monthly_fee(280000, date(2026, 2, 1), date(2026, 2, 7)) == 70000  # a week of February
    assert monthly_fee(300000, date(2026, 11, 2), date(2026, 11, 1)) == 0


def test_a_whole_project_fee_is_shared_by_hours() -> None:
    june = (date(2026, 6, 1), date(2026, 6, 30))
    assert fee_revenue(1000000, BudgetPeriod.PROJECT, *june, minutes=600, project_minutes=2400) == 250000
    assert fee_revenue(1000000, BudgetPeriod.PROJECT, *june, minutes=2400, project_minutes=2400) == 1000000
    assert fee_revenue(1000000, BudgetPeriod.PROJECT, *june, minutes=0, project_minutes=0) == 0
    assert fee_revenue(1000000, BudgetPeriod.PROJECT, *june, minutes=0, project_minutes=0, whole=True) == 1000000


def test_a_monthly_fee_follows_the_calendar_not_the_hours() -> None:
    june = (date(2026, 6, 1), date(2026, 6, 30))
    assert fee_revenue(300000, BudgetPeriod.MONTHLY, *june, minutes=0, project_minutes=9000) == 300000


def test_sorting_by_margin_puts_losses_first_and_unknowns_last() -> None:
    lines = {
        "Design": Figures(600, 50000, 20000),
        "Bugfix": Figures(300, 10000, 15000),
        "Copy": Figures(60, 5000, None),
        "Admin": Figures(900, 0, 40000),
    }

    def order(sort: MarginSort) -> list[str]:
        return sorted(lines, key=lambda name: sort_key(sort, name, lines[name]))

    assert order(MarginSort.MARGIN) == ["Admin", "Bugfix", "Design", "Copy"]
    assert order(MarginSort.MARGIN_PERCENT) == ["Admin", "Bugfix", "Design", "Copy"]
    assert order(MarginSort.HOURS) == ["Admin", "Design", "Bugfix", "Copy"]
    assert order(MarginSort.NAME) == ["Admin", "Bugfix", "Copy", "Design"]


def test_shown_figures_are_money_in_the_currencys_digits() -> None:
    seen = shown(Figures(600, 95000, 45000), "EUR")
    assert (seen.revenue, seen.cost, seen.margin, seen.rate) == (
        Decimal("950.00"),
        Decimal("450.00"),
        Decimal("500.00"),
        Decimal("95.00"),
    )
    assert seen.percent == Decimal("52.6") and seen.health is MarginHealth.HEALTHY
    unknown = shown(Figures(60, 12000, None), "JPY")
    assert (unknown.revenue, unknown.cost, unknown.margin, unknown.rate) == (Decimal(12000), None, None, Decimal(12000))
