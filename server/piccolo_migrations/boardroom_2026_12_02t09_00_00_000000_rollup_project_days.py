from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "entry rollup: indexes by (project, day) and (project, task, day), for what an entry write sums again"

# The key index leads with (project, person): summing a project's day or a task's month over all its
# people read every row of the project in the year to keep a day's. Measured in docs/performance.md (issue 16).
INDEXES = {
    "entry_rollup_project_days": "CREATE INDEX entry_rollup_project_days ON entry_rollup (project, day)",
    "entry_rollup_task_days": "CREATE INDEX entry_rollup_task_days ON entry_rollup (project, task, day)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    async def create() -> None:
        for statement in INDEXES.values():
            await Table.raw(statement)

    async def drop() -> None:
        for name in INDEXES:
            await Table.raw(f"DROP INDEX {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
