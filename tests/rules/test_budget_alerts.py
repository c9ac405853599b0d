"""Budget alerts as pure rules: the thresholds an admin types, the period an alert belongs to, what
is due once and what the banner shows; who may see a client's budget view; what the alert says."""

from __future__ import annotations

from datetime import date

import pytest

from server.kernel.i18n import speaking
from server.rules.burn import (
    DEFAULT_THRESHOLDS,
    WHOLE_PROJECT,
    alert_period,
    crossed,
    reached,
    read_thresholds,
    stored_thresholds,
    thresholds_text,
)
from server.rules.notifications import KINDS_FOR, Kind, describe
from server.rules.policy import Role
from server.rules.visibility import shows_client_budget


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("80, 100", (80, 100)),
        ("100,80", (80, 100)),
        ("50 90 100", (50, 90, 100)),
        ("80 %, 100 %", (80, 100)),
        ("80, 80, 100", (80, 100)),
        ("1, 200", (1, 200)),
        ("", DEFAULT_THRESHOLDS),
        ("  ", DEFAULT_THRESHOLDS),
    ],
)
def test_it_reads_thresholds_as_an_admin_types_them(typed: str, read: tuple[int, ...]) -> None:
    assert read_thresholds(typed) == read


@pytest.mark.parametrize("typed", ["0, 100", "201", "80; 100", "eighty", "-5", "80.5", "1,2,3,4,5,6,7", "٨٠", "9999"])
def test_it_refuses_what_is_not_a_list_of_percentages_from_1_to_200(typed: str) -> None:
    assert read_thresholds(typed) is None


def test_saved_thresholds_read_back_and_show_as_typed() -> None:
    assert stored_thresholds("80,100") == (80, 100)
    assert stored_thresholds(None) == stored_thresholds("junk") == DEFAULT_THRESHOLDS
    assert thresholds_text((50, 100)) == "50, 100"


def test_a_retainer_alerts_per_month_and_a_project_budget_once() -> None:
    assert alert_period(True, date(2026, 11, 30)) == date(2026, 11, 1)
    assert alert_period(True, date(2026, 12, 1)) == date(2026, 12, 1)  # a new month: a new period
    assert alert_period(False, date(2026, 11, 30)) == alert_period(False, date(2027, 3, 1)) == WHOLE_PROJECT


def test_each_threshold_fires_once_per_period() -> None:
    assert crossed(4800, 6000, (80, 100)) == [80]
    assert crossed(4800, 6000, (80, 100), sent=[80]) == []
    assert crossed(6000, 6000, (80, 100), sent=[80]) == [100]
    assert crossed(9000, 6000, (80, 100)) == [80, 100]  # a big entry: both, the banner shows the higher
    assert crossed(100, None, (80, 100)) == crossed(100, 0, (80,)) == []


def test_the_banner_shows_the_highest_threshold_reached() -> None:
    assert reached(4900, 6000, (80, 100)) == 80
    assert reached(7000, 6000, (50, 80, 100)) == 100
    assert reached(100, 6000, (80, 100)) is None
    assert reached(100, None, (80, 100)) is None


def test_the_client_sees_their_budget_only_when_switched_on_shared_and_in_hours() -> None:
    project = {"client_sees_budget": True, "shared_with_client": True, "budget_hours": 40}
    assert shows_client_budget(project)
    assert not shows_client_budget({**project, "client_sees_budget": False})
    assert not shows_client_budget({**project, "shared_with_client": False})
    assert not shows_client_budget({**project, "budget_hours": None})  # a money budget alone: nothing
    assert not shows_client_budget({"shared_with_client": True, "budget_hours": 40})  # off unless switched on


def test_budget_alerts_are_the_admins_alone() -> None:
    assert Kind.BUDGET_ALERT in KINDS_FOR[Role.ADMIN]
    assert Kind.BUDGET_ALERT not in KINDS_FOR[Role.MEMBER]
    assert Kind.BUDGET_ALERT not in KINDS_FOR[Role.CLIENT]


def test_an_alert_says_how_far_in_the_reader_s_language() -> None:
    hours = {"project": "Acme website", "kind": "hours", "threshold": 80, "used": 1950, "budget": 2400, "month": ""}
    assert describe(Kind.BUDGET_ALERT, hours) == "Acme website has reached 80% of its hours budget: 32.5 of 40 h"
    monthly = {**hours, "month": "2026-11-01"}
    assert describe(Kind.BUDGET_ALERT, monthly) == (
        "Acme website has reached 80% of its hours budget for November 2026: 32.5 of 40 h"
    )
    money = {**hours, "kind": "money", "threshold": 100, "used": 123456, "budget": 100000, "currency": "EUR"}
    assert describe(Kind.BUDGET_ALERT, money) == (
        "Acme website has reached 100% of its money budget: €1,234.56 of €1,000.00"
    )
    with speaking("ru"):
        assert "Acme website" in describe(Kind.BUDGET_ALERT, monthly)
        assert "ноябрь 2026" in describe(Kind.BUDGET_ALERT, monthly).lower()
