from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T11:57:48:000000"
VERSION = "1.38.0"
DESCRIPTION = "one running timer per person, enforced by the database; lookups by person and project week"

CREATE = (
    "CREATE UNIQUE INDEX time_entry_one_running ON time_entry (person) WHERE ended_at IS NULL",
    "CREATE INDEX time_entry_person_started ON time_entry (person, started_at)",
    "CREATE INDEX time_entry_project_started ON time_entry (project, started_at)",
    "CREATE INDEX time_entry_task ON time_entry (task)",
    "CREATE UNIQUE INDEX week_lock_person ON week_lock (week_start, person) WHERE person IS NOT NULL",
    "CREATE UNIQUE INDEX week_lock_client ON week_lock (week_start, client) WHERE client IS NOT NULL",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    async def create_indexes() -> None:
        for statement in CREATE:
            await Table.raw(statement)

    async def drop_indexes() -> None:
        for statement in CREATE:
            await Table.raw("DROP INDEX " + statement.split(" ON ")[0].split()[-1])

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
