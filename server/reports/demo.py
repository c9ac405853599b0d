"""The demo's monthly client report: the board's history says when the demo's finished cards reached
Done (the earlier, archived work one a week over the past weeks, the kick-off a week and a half ago),
and last month's report of the first client is shared on its portal, so that both the account
manager's report and the client's have something real to show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from server.boards.changes import next_seq
from server.kernel.db import write_transaction
from server.reports import writes
from server.rules.policy import Actor
from server.rules.reports import add_months
from server.rules.weeks import monday_of
from server.tables import Activity, BoardColumn, Project, Task

# Days before this week's Monday that the board's live Done cards (the kick-off) were finished; the
# earlier, archived work was finished one card a week, on Thursdays, the last one last week.
LIVE_DONE_DAYS = 10


async def seed_deliveries(today: date) -> None:
    """A "moved" event into Done for each card in a Done column, dated in the past weeks."""
    monday = monday_of(today)
    for project in await Project.select(Project.id):
        columns = await BoardColumn.select(BoardColumn.id, BoardColumn.name, BoardColumn.is_done).where(
            BoardColumn.project == project["id"]
        )
        done = [c["id"] for c in columns if c["is_done"]]
        review = next((c["id"] for c in columns if c["name"] == "Review"), None)
        if not done:
            continue
        cards = await (
            Task.select(Task.id, Task.title, Task.column, Task.archived)
            .where((Task.project == project["id"]) & Task.column.is_in(done))
            .order_by(Task.number)
        )
        earlier = [c for c in cards if c["archived"]]
        for card in cards:
            if card["archived"]:
                weeks_ago = len(earlier) - earlier.index(card)  # the last one finished last week
                at = datetime.combine(monday - timedelta(weeks=weeks_ago, days=-3), time(16), UTC)
            else:
                at = datetime.combine(monday - timedelta(days=LIVE_DONE_DAYS), time(11), UTC)
            await _moved(project["id"], card["id"], card["column"], review, at)


async def _moved(project_id: int, task_id: int, column_id: int, from_column: int | None, at: datetime) -> None:
    async with write_transaction(Project._meta.db):
        seq = int((await next_seq(project_id))["event_seq"])
        await Activity.insert(
            Activity(
                project=project_id,
                seq=seq,
                verb="moved",
                task=task_id,
                column=column_id,
                data={"from_column": from_column, "after": None},
                at=at,
            )
        )


async def seed_reports(client_id: int, admin: Actor, today: date) -> None:
    """The deliveries above; the client sees its shared projects' hours budgets (the retainer), and
    last month's report is on its portal."""
    await seed_deliveries(today)
    await Project.update({Project.client_sees_budget: True}).where(
        (Project.client == client_id) & Project.shared_with_client.eq(True)
    )
    await writes.share(client_id, add_months(today.replace(day=1), -1), admin, shared=True)
