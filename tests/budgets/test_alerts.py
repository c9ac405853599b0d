"""Budget alerts (budgets.alert_writes): when a project's hours or money reach one of its thresholds
in the current period, the agency's admins are told by the bell and by email, and the project's
history says so; never twice for the same threshold, budget kind and period, even when two checks
run at once; a retainer's new month alerts again."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from server.budgets.alert_writes import check
from server.tables import Activity, User
from tests.budgets.alerts_support import QUIET, alert_rows, alerts_of, history_of, log_on, mails_to, set_budget
from tests.conftest import Agency
from tests.factories import today


async def test_ada_hears_once_when_acme_reaches_80_percent_of_its_hours(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_period="monthly")
    await log_on(agency, agency.acme_project, 7 * 60)
    assert await check([agency.acme_project], today(), QUIET) == []  # 70 %: nothing yet

    await log_on(agency, agency.acme_project, 60)
    alerts = await check([agency.acme_project], today(), QUIET)

    assert [(a.kind, a.thresholds, a.notified) for a in alerts] == [("hours", (80,), (agency.ada,))]
    told = await alerts_of(agency.ada)
    assert len(told) == 1
    assert told[0]["link"] == f"/projects/{agency.acme_project}"
    assert told[0]["data"]["threshold"] == 80 and told[0]["data"]["used"] == 480
    for persona in (agency.max, agency.mia, agency.cleo, agency.cole):
        assert await alerts_of(persona) == []
    assert await alert_rows(agency.acme_project) == [("hours", 80)]
    [entry] = await history_of(agency.acme_project)
    assert entry["actor"] is None and entry["data"]["thresholds"] == [80]

    assert await check([agency.acme_project], today(), QUIET) == []  # run again: nothing new
    assert await check(None, today(), QUIET) == []  # nor the sweep
    assert len(await alerts_of(agency.ada)) == 1


async def test_the_alert_takes_the_board_s_next_number(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1)
    await log_on(agency, agency.acme_project, 60)
    await check([agency.acme_project], today(), QUIET)
    seqs = [r["seq"] for r in await Activity.select(Activity.seq).where(Activity.project == agency.acme_project)]
    assert seqs == list(range(1, len(seqs) + 1))  # contiguous: browsers catch up across it


async def test_two_checks_at_once_send_one_alert(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 9 * 60)

    results = await asyncio.gather(*(check([agency.acme_project], today(), QUIET) for _ in range(4)))

    assert sorted(len(found) for found in results) == [0, 0, 0, 1]
    assert len(await alerts_of(agency.ada)) == 1
    assert len(await history_of(agency.acme_project)) == 1
    assert await alert_rows(agency.acme_project) == [("hours", 80)]


async def test_a_big_entry_past_both_thresholds_is_one_notification_of_the_higher(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 12 * 60)

    await check([agency.acme_project], today(), QUIET)

    [told] = await alerts_of(agency.ada)
    assert told["data"]["threshold"] == 100
    assert await alert_rows(agency.acme_project) == [("hours", 80), ("hours", 100)]  # 80 will not fire later


async def test_a_retainer_s_new_month_alerts_again(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_period="monthly")
    await log_on(agency, agency.acme_project, 9 * 60, day=date(2026, 10, 10))
    assert len(await check([agency.acme_project], date(2026, 10, 20), QUIET)) == 1

    await log_on(agency, agency.acme_project, 9 * 60, day=date(2026, 11, 10))
    assert len(await check([agency.acme_project], date(2026, 11, 20), QUIET)) == 1
    assert await check([agency.acme_project], date(2026, 11, 21), QUIET) == []

    told = await alerts_of(agency.ada)
    assert [t["data"]["month"] for t in told] == ["2026-10-01", "2026-11-01"]


async def test_a_whole_project_budget_alerts_once_whatever_the_month(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 9 * 60, day=date(2026, 10, 10))
    assert len(await check([agency.acme_project], date(2026, 10, 20), QUIET)) == 1
    assert await check([agency.acme_project], date(2026, 11, 20), QUIET) == []


async def test_hours_and_money_alert_each_on_their_own(agency: Agency) -> None:
    # 8 h at Acme's €95 is €760: 80 % of 10 h, 76 % of €1,000; then 9 h: 90 % and 85.5 %
    await set_budget(agency.acme_project, budget_hours=10, budget_amount=Decimal("1000"))
    await log_on(agency, agency.acme_project, 8 * 60)
    assert [a.kind for a in await check([agency.acme_project], today(), QUIET)] == ["hours"]
    await log_on(agency, agency.acme_project, 60)
    [money] = await check([agency.acme_project], today(), QUIET)
    assert (money.kind, money.thresholds, money.used, money.budget) == ("money", (80,), 85500, 100000)
    assert [t["data"]["kind"] for t in await alerts_of(agency.ada)] == ["hours", "money"]


async def test_the_project_s_own_thresholds_are_used(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_thresholds="50,75")
    await log_on(agency, agency.acme_project, 6 * 60)
    [alert] = await check([agency.acme_project], today(), QUIET)
    assert alert.thresholds == (50,)


async def test_ada_gets_an_email_as_the_default_and_a_deactivated_admin_nothing(agency: Agency) -> None:
    await User.update({User.role: "admin"}).where(User.id == agency.mia)
    await User.update({User.active: False}).where(User.id == agency.mia)
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 10 * 60)

    await check(None, today(), QUIET)

    [mail] = await mails_to(agency.ada)
    assert mail["subject"] == "Acme website has reached 100% of its hours budget: 10 of 10 h"
    assert f"http://testserver/projects/{agency.acme_project}" in mail["text"]
    assert await alerts_of(agency.mia) == [] and await mails_to(agency.mia) == []


async def test_archived_projects_and_projects_without_a_budget_are_left_alone(agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1, archived=True)
    await log_on(agency, agency.acme_project, 120)
    await log_on(agency, agency.globex_project, 120)
    assert await check(None, today(), QUIET) == []
