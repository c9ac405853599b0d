"""The single Piccolo app: one migration history for every feature's tables."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="boardroom",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["server.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
