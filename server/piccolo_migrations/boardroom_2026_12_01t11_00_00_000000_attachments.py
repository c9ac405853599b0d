from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, BigInt, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "files on cards: the attachment table, and a card's cover image"


class Task(Table, tablename="task", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)  # fmt: skip


class User(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)  # fmt: skip


def _params(default: object = None, *, null: bool = False, index: bool = False, **extra: object) -> dict[str, object]:
    params: dict[str, object] = {
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }
    if "references" not in extra:
        params["default"] = default
    return params


def _foreign_key(references: type[Table], on_delete: OnDelete, *, null: bool, index: bool) -> dict[str, object]:
    return _params(
        null=null,
        index=index,
        references=references,
        on_delete=on_delete,
        on_update=OnUpdate.cascade,
        target_column=None,
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="boardroom", description=DESCRIPTION)

    manager.add_table(class_name="Attachment", tablename="attachment", schema=None, columns=None)
    columns = (
        ("task", ForeignKey, _foreign_key(Task, OnDelete.cascade, null=False, index=True)),
        ("uploaded_by", ForeignKey, _foreign_key(User, OnDelete.set_null, null=True, index=False)),
        ("name", Varchar, {**_params(""), "length": 255}),
        ("storage_key", Varchar, {**_params(""), "length": 100}),
        ("thumbnail_key", Varchar, {**_params(""), "length": 100}),
        ("content_type", Varchar, {**_params("application/octet-stream"), "length": 100}),
        ("kind", Varchar, {**_params("file"), "length": 10}),
        ("size", BigInt, _params(0)),
        ("visibility", Varchar, {**_params("internal"), "length": 10}),
        ("email", JSON, _params("{}")),
        ("created_at", Timestamptz, _params(TimestamptzNow())),
    )
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name="Attachment",
            tablename="attachment",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    manager.add_column(
        table_class_name="Task",
        tablename="task",
        column_name="cover_attachment",
        db_column_name="cover_attachment",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(None, null=True),
        schema=None,
    )

    return manager
