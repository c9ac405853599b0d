from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T14:11:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "one sprint per project and week; lookups by sprint, summary and share link"

CREATE = (
    "CREATE UNIQUE INDEX sprint_project_week ON sprint (project, starts_on)",
    "CREATE INDEX task_sprint ON task (sprint)",
    "CREATE INDEX comment_sprint ON comment (sprint)",
    "CREATE INDEX time_entry_summary ON time_entry (summary)",
    "CREATE INDEX time_entry_started ON time_entry (started_at)",
    "CREATE INDEX billing_summary_client_period ON billing_summary (client, period_start, period_end)",
    "CREATE INDEX share_view_link ON share_view (link, at)",
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
