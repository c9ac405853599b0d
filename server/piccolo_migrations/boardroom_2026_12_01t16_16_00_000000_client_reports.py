from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Boolean, Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T16:16:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "monthly client reports: which months are shared with the client, and their read-only links"


class Client(Table, tablename="client", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class User(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class ClientReport(Table, tablename="client_report", schema=None):
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
    return _params(references=table, on_delete=on_delete, on_update=OnUpdate.cascade, target_column=None, null=null)


COLUMNS = {
    ("ClientReport", "client_report"): [
        ("client", ForeignKey, _foreign_key(Client, OnDelete.cascade, False)),
        ("month", Date, _params(default=None)),
        ("shared_with_client", Boolean, _params(default=False)),
        ("shared_at", Timestamptz, _params(default=None, null=True)),
        ("shared_by", ForeignKey, _foreign_key(User, OnDelete.set_null, True)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("ReportLink", "report_link"): [
        ("report", ForeignKey, _foreign_key(ClientReport, OnDelete.cascade, False)),
        ("label", Varchar, _params(length=100, default="")),
        ("token_hash", Varchar, _params(length=64, default="", unique=True)),
        ("expires_on", Date, _params(default=None, null=True)),
        ("revoked_at", Timestamptz, _params(default=None, null=True)),
        ("created_by", ForeignKey, _foreign_key(User, OnDelete.set_null, True)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
        ("view_count", Integer, _params(default=0)),
        ("last_viewed_at", Timestamptz, _params(default=None, null=True)),
    ],
}

INDEXES = (
    "CREATE UNIQUE INDEX client_report_client_month ON client_report (client, month)",
    "CREATE INDEX report_link_report ON report_link (report)",
)


class _ThenIndexes(MigrationManager):
    """Piccolo runs raw steps before it adds tables: the indexes on the new tables come after."""

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

    for (class_name, tablename), columns in COLUMNS.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )

    return manager
