"""Demo boards: cards spread over columns, with labels, people, due dates and checklists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from server.boards.store import ensure_sprints, sprint_of_week
from server.boards.writes import create_default_columns
from server.rules import rank
from server.rules.priority import Priority
from server.rules.sprints import SprintState, burndown, sprint_name
from server.rules.weeks import monday_of
from server.tables import BoardColumn, ChecklistItem, Comment, Label, Project, Sprint, Task, TaskAssignee, TaskLabel

# column, title, labels, assignees, due in days, estimate minutes, checklist
Card = tuple[str, str, list[str], list[str], int | None, int, list[str]]
CARDS: dict[str, list[Card]] = {
    "ACME": [
        ("Backlog", "Newsletter sign-up flow", ["copy"], ["max"], None, 240, []),  # My work: no date
        ("Backlog", "Cookie banner wording", ["legal"], ["max"], 12, 60, []),  # My work: later
        (
            "To do",
            "Homepage hero copy",
            ["copy"],
            ["max"],
            3,
            180,
            ["Draft three headlines", "Pick one with Acme", "Final proofread"],
        ),
        ("To do", "Product page template", ["design"], ["mia"], 8, 480, []),
        (
            "In progress",
            "Navigation redesign",
            ["design", "ux"],
            ["mia", "max"],
            0,  # My work: due today
            600,
            ["Card sort", "Wireframes", "Prototype", "Usability test", "Hand-off"],
        ),
        ("In progress", "Migrate blog posts", ["dev"], ["max"], -2, 300, []),
        ("Review", "Accessibility audit fixes", ["dev", "ux"], ["max"], 5, 240, ["Contrast", "Focus order"]),
        ("Done", "Kick-off workshop", ["ux"], ["mia"], -9, 120, []),
    ],
    "BRAND": [
        ("To do", "Logo clear-space rules", ["design"], ["mia"], 6, 120, []),
        ("In progress", "Colour palette page", ["design"], ["mia"], 2, 180, []),
    ],
    "GLOBEX": [
        ("Backlog", "Push notification settings", ["dev"], [], None, 360, []),
        ("To do", "Onboarding screens", ["design"], ["max"], 4, 420, []),
        ("In progress", "Login with SSO", ["dev"], ["max"], 1, 480, ["SAML metadata", "Test with Globex IT"]),
        ("Done", "App icon", ["design"], ["max"], -5, 90, []),
    ],
}
# A few cards a newcomer sees marked: (project, title) -> (priority, important for the client).
PRIORITIES: dict[tuple[str, str], tuple[Priority, bool]] = {
    ("ACME", "Navigation redesign"): (Priority.URGENT, True),
    ("ACME", "Migrate blog posts"): (Priority.HIGH, False),
    ("ACME", "Homepage hero copy"): (Priority.HIGH, False),
    ("ACME", "Product page template"): (Priority.NORMAL, False),
    ("ACME", "Cookie banner wording"): (Priority.LOW, False),
    ("GLOBEX", "Login with SSO"): (Priority.URGENT, False),
    ("BRAND", "Colour palette page"): (Priority.HIGH, False),
}
LABELS = {"copy": "amber", "design": "violet", "dev": "blue", "ux": "teal", "legal": "red"}


async def seed_boards(people: dict[str, int]) -> None:
    today = datetime.now(UTC).date()
    for project in await Project.select(Project.id, Project.key):
        await create_default_columns(project["id"])
        columns = {c["name"]: c["id"] for c in await BoardColumn.select().where(BoardColumn.project == project["id"])}
        labels = {
            row["name"]: row["id"]
            for row in await Label.insert(
                *(Label(project=project["id"], name=name, color=color) for name, color in LABELS.items())
            ).returning(Label.id, Label.name)
        }
        specs = CARDS.get(project["key"], [])
        keys = rank.spread(len(specs))
        for number, (spec, key) in enumerate(zip(specs, keys, strict=True), start=1):
            column, title, label_names, assignees, due_in, estimate, checklist = spec
            priority, important = PRIORITIES.get((project["key"], title), (Priority.NONE, False))
            rows = await Task.insert(
                Task(
                    project=project["id"],
                    number=number,
                    column=columns[column],
                    title=title,
                    rank=key,
                    due_on=today + timedelta(days=due_in) if due_in is not None else None,
                    estimate_minutes=estimate,
                    description=f"Part of the {project['key']} plan.",
                    priority=int(priority),
                    important=important,
                )
            ).returning(Task.id)
            task_id = rows[0]["id"]
            for name in label_names:
                await TaskLabel.insert(TaskLabel(task=task_id, label=labels[name]))
            for person in assignees:
                await TaskAssignee.insert(TaskAssignee(task=task_id, person=people[person]))
            item_keys = rank.spread(len(checklist))
            for i, (text, item_key) in enumerate(zip(checklist, item_keys, strict=True)):
                await ChecklistItem.insert(ChecklistItem(task=task_id, text=text, rank=item_key, done=i == 0))
            if checklist:
                await Comment.insert(
                    Comment(task=task_id, author=people["max"], body="Started on this.", visibility="client")
                )
        await Project.update({Project.last_task_number: len(specs)}).where(Project.id == project["id"])
        await seed_sprints(project["id"], columns, today)


# Past weeks of each demo project: (planned, completed, logged, carried) in hours, oldest first.
PAST_WEEKS = ((24, 18, 21, 2), (20, 20, 22, 0), (26, 19, 24, 3))
GOALS = ("Sign-off on the homepage direction", "Navigation and content migration under way")


async def seed_sprints(project_id: int, columns: dict[str, int], today: date) -> None:
    """Three closed weeks (for the report and velocity), this week's sprint running with the board's
    cards except the Backlog column's, and next week's planned."""
    this_monday = monday_of(today)
    for weeks_ago, (planned, completed, logged, carried) in zip((3, 2, 1), PAST_WEEKS, strict=True):
        monday = this_monday - timedelta(days=7 * weeks_ago)
        done_by_day = [(monday + timedelta(days=d), completed * 60 // 4) for d in (1, 2, 3, 4)]
        result = {
            "planned_minutes": planned * 60,
            "completed_minutes": completed * 60 // 4 * 4,
            "logged_minutes": logged * 60,
            "cards": 6,
            "burndown": [[d.isoformat(), r] for d, r in burndown(monday, planned * 60, done_by_day)],
            "carried": carried,
            "carried_ids": [],
            "carried_to": "next",
            "carried_to_sprint": None,
            "carried_to_name": sprint_name(monday + timedelta(days=7)),
            "closed_by_name": "Max Mustermann",
            "closed_at": datetime.combine(monday + timedelta(days=4), datetime.min.time(), UTC).isoformat(),
        }
        await Sprint.insert(
            Sprint(
                project=project_id,
                name=sprint_name(monday),
                goal=GOALS[0] if weeks_ago == 1 else "",
                starts_on=monday,
                ends_on=monday + timedelta(days=6),
                state=SprintState.CLOSED,
                closed_at=datetime.combine(monday + timedelta(days=4), datetime.min.time(), UTC),
                result=result,
            )
        )
    await ensure_sprints(project_id, today)
    current = await sprint_of_week(project_id, this_monday)
    assert current is not None
    await Sprint.update(
        {Sprint.state: SprintState.ACTIVE, Sprint.goal: GOALS[1], Sprint.started_at: datetime.now(UTC)}
    ).where(Sprint.id == current["id"])
    await Task.update({Task.sprint: current["id"]}).where(
        (Task.project == project_id) & (Task.column != columns["Backlog"])
    )
    await Project.update({Project.weekly_capacity_hours: 12}).where(Project.id == project_id)
