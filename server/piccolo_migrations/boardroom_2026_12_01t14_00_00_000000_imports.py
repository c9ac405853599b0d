from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "imports: an upload's run (preview, mapping, job, report) and what each import made, by source id"


class Project(Table, tablename="project", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class User(Table, tablename="users", schema=None):
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


def _foreign_key(table: type[Table], on_delete: OnDelete, null: bool) -> dict[str, object]:
    return _params(
        references=table, on_delete=on_delete, on_update=OnUpdate.cascade, target_column=None, null=null
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    manager.add_table(class_name="ImportRun", tablename="import_run", schema=None, columns=None)

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="project",
        db_column_name="project",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_foreign_key(Project, OnDelete.cascade, False),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="kind",
        db_column_name="kind",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=10, default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="status",
        db_column_name="status",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=10, default='preview'),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="filename",
        db_column_name="filename",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=200, default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="source",
        db_column_name="source",
        column_class_name="Text",
        column_class=Text,
        params=_params(default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="mapping",
        db_column_name="mapping",
        column_class_name="JSON",
        column_class=JSON,
        params=_params(default='{}'),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="progress",
        db_column_name="progress",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=0),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="attempts",
        db_column_name="attempts",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=0),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="report",
        db_column_name="report",
        column_class_name="JSON",
        column_class=JSON,
        params=_params(default='{}'),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="error",
        db_column_name="error",
        column_class_name="Text",
        column_class=Text,
        params=_params(default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="requested_by",
        db_column_name="requested_by",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_foreign_key(User, OnDelete.set_null, True),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="created_at",
        db_column_name="created_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=TimestamptzNow()),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportRun",
        tablename="import_run",
        column_name="finished_at",
        db_column_name="finished_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=None, null=True),
        schema=None,
    )

    manager.add_table(class_name="ImportedObject", tablename="imported_object", schema=None, columns=None)

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="project",
        db_column_name="project",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_foreign_key(Project, OnDelete.cascade, False),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="source",
        db_column_name="source",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=10, default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="kind",
        db_column_name="kind",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=20, default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="source_id",
        db_column_name="source_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=100, default='', index=True),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="object_id",
        db_column_name="object_id",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=0),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="fingerprint",
        db_column_name="fingerprint",
        column_class_name="Text",
        column_class=Text,
        params=_params(default=''),
        schema=None,
    )

    manager.add_column(
        table_class_name="ImportedObject",
        tablename="imported_object",
        column_name="version",
        db_column_name="version",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=0),
        schema=None,
    )

    return manager
