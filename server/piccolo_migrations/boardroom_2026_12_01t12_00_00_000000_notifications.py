from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "notifications: the bell's news, each person's choice per kind, the outbox of emails"


class Project(Table, tablename="project", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class User(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class Task(Table, tablename="task", schema=None):
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
    ("Notification", "notification"): [
        ("recipient", ForeignKey, _foreign_key(User, OnDelete.cascade, False)),
        ("kind", Varchar, _params(length=20, default="")),
        ("actor", ForeignKey, _foreign_key(User, OnDelete.set_null, True)),
        ("project", ForeignKey, _foreign_key(Project, OnDelete.cascade, True)),
        ("task", ForeignKey, _foreign_key(Task, OnDelete.cascade, True)),
        ("link", Varchar, _params(length=300, default="")),
        ("data", JSON, _params(default="{}")),
        ("key", Varchar, _params(length=120, default="")),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
        ("read_at", Timestamptz, _params(default=None, null=True)),
    ],
    ("NotificationPreference", "notification_preference"): [
        ("person", ForeignKey, _foreign_key(User, OnDelete.cascade, False)),
        ("kind", Varchar, _params(length=20, default="")),
        ("channel", Varchar, _params(length=10, default="")),
    ],
    ("OutboxMail", "outbox_mail"): [
        ("recipient", ForeignKey, _foreign_key(User, OnDelete.set_null, True)),
        ("to_address", Varchar, _params(length=254, default="")),
        ("kind", Varchar, _params(length=20, default="")),
        ("subject", Varchar, _params(length=300, default="")),
        ("text", Text, _params(default="")),
        ("html", Text, _params(default="")),
        ("unsubscribe_url", Varchar, _params(length=500, default="")),
        ("status", Varchar, _params(length=10, default="queued")),
        ("attempts", Integer, _params(default=0)),
        ("last_error", Text, _params(default="")),
        ("next_attempt_at", Timestamptz, _params(default=TimestamptzNow())),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
        ("sent_at", Timestamptz, _params(default=None, null=True)),
    ],
}

INDEXES = (
    "CREATE UNIQUE INDEX notification_recipient_key ON notification (recipient, key)",
    "CREATE INDEX notification_recipient_unread ON notification (recipient, read_at, id)",
    "CREATE UNIQUE INDEX notification_preference_person_kind ON notification_preference (person, kind)",
    "CREATE INDEX outbox_mail_due ON outbox_mail (status, next_attempt_at)",
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
