from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import BigInt, Boolean, Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-02T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "budget alerts: a project's thresholds, whether its client sees the hours budget, each alert sent once"


class Project(Table, tablename="project", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


def _params(**extra: object) -> dict[str, object]:
    params: dict[str, object] = {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(extra)
    return params


PROJECT_COLUMNS = [
    ("budget_thresholds", Varchar, _params(length=40, default="80,100")),
    ("client_sees_budget", Boolean, _params(default=False)),
]

ALERT_COLUMNS = [
    (
        "project",
        ForeignKey,
        _params(references=Project, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, target_column=None),
    ),
    ("kind", Varchar, _params(length=10, default="")),
    ("period_start", Date, _params(default=None)),
    ("threshold", Integer, _params(default=0)),
    ("used", BigInt, _params(default=0)),
    ("budget", BigInt, _params(default=0)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
]

# One alert per project, budget kind, period and threshold: an insert that meets it does nothing.
INDEXES = ("CREATE UNIQUE INDEX budget_alert_once ON budget_alert (project, kind, period_start, threshold)",)


class _ThenIndexes(MigrationManager):
    """Piccolo runs raw steps before it adds tables: the index on the new table comes after."""

    async def run(self, backwards: bool = False):
        if backwards and not self.preview:
            for statement in INDEXES:
                await Table.raw("DROP INDEX IF EXISTS " + statement.split(" ON ")[0].split()[-1])
        await super().run(backwards=backwards)
        if not backwards and not self.preview:
            for statement in INDEXES:
                await Table.raw(statement)


async def forwards():
    manager = _ThenIndexes(migration_id=ID, app_name="boardroom", description=DESCRIPTION)
    for name, column_class, params in PROJECT_COLUMNS:
        manager.add_column(
            table_class_name="Project",
            tablename="project",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    manager.add_table(class_name="BudgetAlert", tablename="budget_alert", schema=None, columns=None)
    for name, column_class, params in ALERT_COLUMNS:
        manager.add_column(
            table_class_name="BudgetAlert",
            tablename="budget_alert",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
