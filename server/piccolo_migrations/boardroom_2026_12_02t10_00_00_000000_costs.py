from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Numeric, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "costs: a person's cost rate and its currency, a project's fixed fee"

COMMON = {
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
    manager.add_column(
        table_class_name="User",
        tablename="users",
        column_name="cost_rate",
        db_column_name="cost_rate",
        column_class_name="Numeric",
        column_class=Numeric,
        params={**COMMON, "default": None, "null": True, "digits": (12, 2)},
        schema=None,
    )
    manager.add_column(
        table_class_name="User",
        tablename="users",
        column_name="cost_currency",
        db_column_name="cost_currency",
        column_class_name="Varchar",
        column_class=Varchar,
        params={**COMMON, "default": "", "null": False, "length": 3},
        schema=None,
    )
    manager.add_column(
        table_class_name="Project",
        tablename="project",
        column_name="fixed_fee",
        db_column_name="fixed_fee",
        column_class_name="Numeric",
        column_class=Numeric,
        params={**COMMON, "default": None, "null": True, "digits": (12, 2)},
        schema=None,
    )
    return manager
