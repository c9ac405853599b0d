from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date, Numeric, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "budgets: a project's money budget, its period (whole project or monthly) and end"

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
        table_class_name="Project",
        tablename="project",
        column_name="budget_amount",
        db_column_name="budget_amount",
        column_class_name="Numeric",
        column_class=Numeric,
        params={**COMMON, "default": None, "null": True, "digits": (12, 2)},
        schema=None,
    )
    manager.add_column(
        table_class_name="Project",
        tablename="project",
        column_name="budget_period",
        db_column_name="budget_period",
        column_class_name="Varchar",
        column_class=Varchar,
        params={**COMMON, "default": "project", "null": False, "length": 10},
        schema=None,
    )
    manager.add_column(
        table_class_name="Project",
        tablename="project",
        column_name="budget_ends_on",
        db_column_name="budget_ends_on",
        column_class_name="Date",
        column_class=Date,
        params={**COMMON, "default": None, "null": True},
        schema=None,
    )
    return manager
