from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T11:39:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "board constraints: card numbers, one assignee/label per card, contiguous event sequence"

INDEXES = {
    "task_project_number": "task (project, number)",
    "task_assignee_unique": "task_assignee (task, person)",
    "task_label_unique": "task_label (task, label)",
    "activity_project_seq": "activity (project, seq)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    async def create_indexes() -> None:
        for name, target in INDEXES.items():
            await Table.raw(f"CREATE UNIQUE INDEX {name} ON {target}")
        await Table.raw('CREATE INDEX task_column_rank ON task ("column", archived, rank)')

    async def drop_indexes() -> None:
        for name in [*INDEXES, "task_column_rank"]:
            await Table.raw(f"DROP INDEX {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
