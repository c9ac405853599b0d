from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T11:27:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "emails unique whatever their case; one membership per person and project"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    async def create_indexes() -> None:
        await Table.raw("CREATE UNIQUE INDEX users_email_lower ON users (lower(email))")
        await Table.raw("CREATE UNIQUE INDEX membership_project_member ON membership (project, member)")

    async def drop_indexes() -> None:
        await Table.raw("DROP INDEX users_email_lower")
        await Table.raw("DROP INDEX membership_project_member")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
