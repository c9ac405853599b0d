from datetime import date

import pytest

from server.rules.burn import Risk, burn, crossed, month_of, risk_key

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def test_the_month_of_a_day_is_a_monthly_budgets_period() -> None:
    assert month_of(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_of(date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))


def test_no_entries_yet_is_healthy_with_nothing_forecast() -> None:
    state = burn(0, 6000, *NOVEMBER, date(2026, 11, 10))
    assert (state.used_percent, state.forecast, state.runs_out_on, state.risk) == (0, 0, None, Risk.HEALTHY)
    assert state.left == 6000


def test_start_of_the_month_forecasts_from_the_first_day() -> None:
    state = burn(300, 6000, *NOVEMBER, date(2026, 11, 1))
    assert state.days_elapsed == 1 and state.elapsed_percent == 3
    assert state.forecast == 9000  # 300 a day for 30 days
    assert state.runs_out_on == date(2026, 11, 20)
    assert state.risk == Risk.AT_RISK


def test_end_of_the_month_forecast_is_what_was_used() -> None:
    state = burn(5400, 6000, *NOVEMBER, date(2026, 11, 30))
    assert state.days_elapsed == 30 and state.forecast == 5400
    assert state.runs_out_on is None and state.risk == Risk.HEALTHY
    assert state.used_percent == 90


def test_after_the_period_the_whole_period_has_elapsed() -> None:
    assert burn(100, 6000, *NOVEMBER, date(2027, 1, 5)).days_elapsed == 30


def test_before_the_period_nothing_is_known_of_the_pace() -> None:
    state = burn(0, 6000, *NOVEMBER, date(2026, 10, 20))
    assert state.days_elapsed == 0 and state.forecast == 0 and state.risk == Risk.HEALTHY


def test_on_pace_exactly_is_healthy() -> None:
    state = burn(3000, 6000, *NOVEMBER, date(2026, 11, 15))
    assert state.forecast == 6000 and state.risk == Risk.HEALTHY
    assert state.runs_out_on == date(2026, 11, 30)


def test_over_budget_ran_out_already() -> None:
    state = burn(6100, 6000, *NOVEMBER, date(2026, 11, 20))
    assert state.risk == Risk.OVER and state.used_percent == 101 and state.left == -100
    assert state.runs_out_on == date(2026, 11, 20)


def test_a_budget_of_zero_with_time_logged_is_over() -> None:
    assert burn(1, 0, *NOVEMBER, date(2026, 11, 2)).risk == Risk.OVER
    assert burn(0, 0, *NOVEMBER, date(2026, 11, 2)).risk == Risk.HEALTHY


def test_no_budget_has_no_risk_and_no_percentage() -> None:
    state = burn(500, None, *NOVEMBER, date(2026, 11, 2))
    assert state.risk == Risk.NO_BUDGET and state.used_percent == 0 and state.left is None


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        burn(0, 100, date(2026, 11, 2), date(2026, 11, 1), date(2026, 11, 1))
    with pytest.raises(ValueError):
        burn(-1, 100, *NOVEMBER, date(2026, 11, 1))
    with pytest.raises(ValueError):
        burn(0, -100, *NOVEMBER, date(2026, 11, 1))


def test_thresholds_fire_once_each_in_order() -> None:
    assert crossed(79, 100, (80, 100)) == []
    assert crossed(80, 100, (80, 100)) == [80]
    assert crossed(80, 100, (80, 100), sent=[80]) == []
    assert crossed(150, 100, (100, 80)) == [80, 100]
    assert crossed(150, 100, (80, 100), sent=[80]) == [100]
    assert crossed(150, None, (80, 100)) == [] and crossed(5, 0, (80,)) == []


def test_risk_order_puts_the_worst_first() -> None:
    states = [
        burn(100, 6000, *NOVEMBER, date(2026, 11, 29)),
        burn(7000, 6000, *NOVEMBER, date(2026, 11, 29)),
        burn(10, None, *NOVEMBER, date(2026, 11, 29)),
        burn(3000, 6000, *NOVEMBER, date(2026, 11, 2)),
    ]
    assert [s.risk for s in sorted(states, key=risk_key)] == [Risk.OVER, Risk.AT_RISK, Risk.HEALTHY, Risk.NO_BUDGET]
