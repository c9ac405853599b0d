"""A client's monthly report over a month of hand-made work: hours per project and per kind match the
entries, the approved plans and delivered cards are listed, an internal card's hours are counted but
its title never reaches the client's copy, and money is the agency's alone."""

from __future__ import annotations

from collections import defaultdict

from server.reports.store import Report, report_of
from server.rules.burn import month_of
from server.rules.days import period_bounds
from server.rules.reports import OTHER_WORK, Kind, parse_month
from server.tables import Client, TaskLabel, TimeEntry
from tests.conftest import Agency, Browser
from tests.factories import today
from tests.reports.conftest import Work


async def acme_report(agency: Agency, work: Work, *, for_client: bool) -> Report:
    client = await Client.select().where(Client.id == agency.acme).first()
    assert client is not None
    month = parse_month(work.key)
    assert month is not None
    return await report_of(client, month, today(), "UTC", for_client=for_client)


async def entry_minutes(agency: Agency, work: Work) -> tuple[dict[int, int], dict[tuple[str, ...], int]]:
    """The month's minutes per project and per set of labels, read from every entry (what the rollup
    must agree with)."""
    month = parse_month(work.key)
    assert month is not None
    start, end = period_bounds(*month_of(month), "UTC")
    rows = await TimeEntry.select(TimeEntry.project, TimeEntry.task, TimeEntry.minutes).where(
        (TimeEntry.started_at >= start) & (TimeEntry.started_at < end) & (TimeEntry.project.client == agency.acme)
    )
    labels: dict[int, list[str]] = defaultdict(list)
    for row in await TaskLabel.select(TaskLabel.task, TaskLabel.label.name.as_alias("name")):
        labels[row["task"]].append(row["name"].casefold())
    projects: dict[int, int] = defaultdict(int)
    kinds: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        projects[row["project"]] += row["minutes"]
        kinds[tuple(sorted(labels[row["task"]]))] += row["minutes"]
    return dict(projects), dict(kinds)


async def test_hours_per_project_and_kind_match_the_entries(agency: Agency, work: Work) -> None:
    report = await acme_report(agency, work, for_client=False)
    projects, kinds = await entry_minutes(agency, work)
    assert {line.id: line.hours.minutes for line in report.projects if line.hours} == projects
    assert projects == {agency.acme_project: 345, agency.brand_project: 240}
    assert {kind.key[1]: hours.minutes for kind, hours in report.kinds} == kinds
    assert [(kind.labels, hours.minutes) for kind, hours in report.kinds] == [
        (("design",), 420),  # ACME's "design" and BRAND's "Design" are one kind
        (("dev", "ux"), 90),
        (("dev",), 45),
        ((), 30),
    ]
    assert report.total.minutes == 585 and report.total.billable_minutes == 525


async def test_the_agency_copy_prices_the_billable_hours_at_the_clients_rate(agency: Agency, work: Work) -> None:
    report = await acme_report(agency, work, for_client=False)
    assert report.total.amount == 83125  # 525 min at 95.00 EUR an hour, in cents


async def test_approved_plans_and_delivered_cards_are_listed(agency: Agency, work: Work) -> None:
    report = await acme_report(agency, work, for_client=False)
    assert [a.sprint_id for a in report.approvals] == [work.approved, work.approved_in_history]
    first = report.approvals[0]
    assert (first.cards, first.estimate_minutes, first.reviewer) == (2, 240, "Cleo Client")
    # The checkout went back out of Done; Globex's card is Globex's.
    assert [d.task_id for d in report.deliveries] == [work.hero, work.patching]


async def test_the_client_copy_counts_internal_hours_as_other_work(agency: Agency, work: Work) -> None:
    report = await acme_report(agency, work, for_client=True)
    assert [line.id for line in report.projects] == [agency.acme_project]  # the brand book is not shared
    assert report.total.minutes == 345
    assert [(kind, hours.minutes) for kind, hours in report.kinds] == [
        (Kind(("design",)), 180),
        (Kind(("dev", "ux")), 90),
        (Kind(), 30),
        (OTHER_WORK, 45),
    ]
    assert [d.task_id for d in report.deliveries] == [work.hero]


async def test_it_reads_the_rollup_not_the_entries(agency: Agency, work: Work) -> None:
    await TimeEntry.update({TimeEntry.minutes: 999}).where(TimeEntry.task == work.notes)  # behind the rollup's back
    report = await acme_report(agency, work, for_client=False)
    assert report.total.minutes == 585


async def test_ada_reads_the_agency_copy(agency: Agency, work: Work, ada: Browser) -> None:
    page = await ada.get(f"/clients/{agency.acme}/reports/{work.key}")
    assert page.status_code == 200
    text = page.text
    for shown in ("Homepage hero", "Server patching", "Acme brand book", "€831.25", 'id="report-agency-copy"'):
        assert shown in text, shown
    for hidden in ("Globex", "Checkout flow"):  # another client; a card that went back out of Done
        assert hidden not in text, hidden


async def test_the_client_copy_never_shows_money_internal_cards_or_unshared_projects(
    agency: Agency, work: Work, ada: Browser
) -> None:
    page = await ada.get(f"/clients/{agency.acme}/reports/{work.key}?view=client")
    assert page.status_code == 200
    sheet = page.text[page.text.index('id="report-sheet"') :]
    assert "Other work" in sheet and "Homepage hero" in sheet
    for hidden in ("€", "Server patching", "Acme brand book", "BRAND", "Billable amount", "Globex"):
        assert hidden not in sheet, hidden


async def test_the_print_page_is_one_sheet_without_navigation(agency: Agency, work: Work, ada: Browser) -> None:
    client_copy = await ada.get(f"/clients/{agency.acme}/reports/{work.key}/print")
    assert client_copy.status_code == 200
    assert 'class="topbar"' not in client_copy.text and 'class="mainnav"' not in client_copy.text
    assert 'class="report-agency">Boardroom<' in client_copy.text  # BOARDROOM_AGENCY_NAME unset: the sender's name
    assert "Acme" in client_copy.text and "€" not in client_copy.text and "Server patching" not in client_copy.text
    agency_copy = await ada.get(f"/clients/{agency.acme}/reports/{work.key}/print?view=agency")
    assert "€831.25" in agency_copy.text and 'id="report-agency-copy"' in agency_copy.text


async def test_the_month_picker_leads_to_the_months_report(agency: Agency, work: Work, ada: Browser) -> None:
    picked = await ada.get(f"/clients/{agency.acme}/reports?month={work.key}")
    assert (picked.status_code, picked.headers["location"]) == (303, f"/clients/{agency.acme}/reports/{work.key}")
    default = await ada.get(f"/clients/{agency.acme}/reports")
    assert default.headers["location"] == f"/clients/{agency.acme}/reports/{work.key}"  # last month


async def test_a_month_with_nothing_says_so(agency: Agency, ada: Browser) -> None:
    key = today().strftime("%Y-%m")
    page = await ada.get(f"/clients/{agency.acme}/reports/{key}")
    assert page.status_code == 200
    assert "Nothing was logged, approved or delivered in this month." in page.text
