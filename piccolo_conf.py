"""Piccolo's configuration: the engine comes from DATABASE_URL (SQLite file by default)."""

from piccolo.conf.apps import AppRegistry

from server.kernel.config import database_url
from server.kernel.db import engine_for

DB = engine_for(database_url())

APP_REGISTRY = AppRegistry(apps=["server.piccolo_app"])
