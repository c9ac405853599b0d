from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Boolean, Date, Integer, Serial, Varchar
from piccolo.table import Table

ID = "2026-12-01T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the entry rollup (logged minutes per day, project, person, task, billable and summary, priced)"


# The tables as this migration makes them. Made in the raw step (Piccolo runs raw steps before its
# own add_table), so that their indexes can follow in the same step.
class EntryRollup(Table, tablename="entry_rollup", schema=None):
    id = Serial(primary_key=True)
    day = Date(null=False, default=None)
    project = Integer(default=0)
    person = Integer(default=0)
    task = Integer(default=0)
    billable = Boolean(default=True)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)
    rate_cents = BigInt(null=True, default=None)
    rule = BigInt(default=0)


class EntryRollupZone(Table, tablename="entry_rollup_zone", schema=None):
    id = Serial(primary_key=True)
    zone = Varchar(length=64, default="")


class EntryRollupPersonMonth(Table, tablename="entry_rollup_person_month", schema=None):
    id = Serial(primary_key=True)
    month = Date(null=False, default=None)
    project = Integer(default=0)
    person = Integer(default=0)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)
    rate_low = BigInt(default=-1)
    rate_high = BigInt(default=-1)
    rule_low = BigInt(default=0)
    rule_high = BigInt(default=0)


class EntryRollupTaskMonth(Table, tablename="entry_rollup_task_month", schema=None):
    id = Serial(primary_key=True)
    month = Date(null=False, default=None)
    project = Integer(default=0)
    task = Integer(default=0)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)


class EntryRollupDay(Table, tablename="entry_rollup_project_day", schema=None):
    id = Serial(primary_key=True)
    day = Date(null=False, default=None)
    project = Integer(default=0)
    summary = Integer(default=0)
    entries = Integer(default=0)
    minutes = BigInt(default=0)
    billable_minutes = BigInt(default=0)
    rounded = BigInt(default=0)
    amount = BigInt(default=0)


TABLES = (EntryRollup, EntryRollupZone, EntryRollupPersonMonth, EntryRollupTaskMonth, EntryRollupDay)
INDEXES = [
    "CREATE UNIQUE INDEX entry_rollup_key ON entry_rollup (project, person, day, task, billable, summary)",
    "CREATE INDEX entry_rollup_day ON entry_rollup (day)",
    "CREATE INDEX entry_rollup_summary ON entry_rollup (summary) WHERE summary <> 0",
    "CREATE UNIQUE INDEX entry_rollup_person_month_key ON entry_rollup_person_month (project, person, month, summary)",
    "CREATE INDEX entry_rollup_person_month_month ON entry_rollup_person_month (month)",
    "CREATE UNIQUE INDEX entry_rollup_task_month_key ON entry_rollup_task_month (project, task, month, summary)",
    "CREATE INDEX entry_rollup_task_month_month ON entry_rollup_task_month (month)",
    "CREATE UNIQUE INDEX entry_rollup_project_day_key ON entry_rollup_project_day (project, day, summary)",
    "CREATE INDEX entry_rollup_project_day_day ON entry_rollup_project_day (day)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    async def create() -> None:
        for table in TABLES:
            await table.create_table()
        for statement in INDEXES:
            await Table.raw(statement)

    async def drop() -> None:
        for table in reversed(TABLES):
            await table.alter().drop_table()

    manager.add_raw(create)
    manager.add_raw_backwards(drop)

    return manager
