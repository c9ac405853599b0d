from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T18:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the client sees: internal cards, a project's default for new cards, hours and people"


def _boolean(default: bool) -> dict[str, object]:
    return {
        "default": default,
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    # Existing cards stay shared (as they were shown until now); existing projects keep showing hours and people.
    manager.add_column(
        table_class_name="Task",
        tablename="task",
        column_name="internal",
        db_column_name="internal",
        column_class_name="Boolean",
        column_class=Boolean,
        params=_boolean(False),
        schema=None,
    )
    for name, default in (("new_cards_internal", False), ("client_sees_hours", True), ("client_sees_people", True)):
        manager.add_column(
            table_class_name="Project",
            tablename="project",
            column_name=name,
            db_column_name=name,
            column_class_name="Boolean",
            column_class=Boolean,
            params=_boolean(default),
            schema=None,
        )

    return manager
