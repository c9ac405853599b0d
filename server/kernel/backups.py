"""`boardroom backup PATH` and `boardroom restore PATH`: a consistent copy of the whole database
while Boardroom runs, and putting one back into an empty database.

SQLite is copied with its online backup API (a snapshot as of one moment, taken page by page under a
read lock, so writers in WAL mode carry on); PostgreSQL with `pg_dump -Fc` (one snapshot
transaction) and `pg_restore`. Cards' files kept in a directory (the default, ./data/files/) are
copied beside the database copy, into `PATH.files/`, and put back from there; files kept in an S3
bucket stay in the bucket (its own versioning or replication backs them up). Redis is not in a
backup: it holds queued jobs and realtime traffic, and the database is the record (docs/deploy.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from server.kernel.config import files_dir, storage_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """Something a person can act on: said plainly, nothing changed."""


def _sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if urlparse(url).scheme == "sqlite" else None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client tools (Debian: apt-get install postgresql-client)"
        )
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.returncode}")


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database at `url` to `target` (written whole, then renamed)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if (path := _sqlite_path(url)) is not None:
        if not path.exists():
            raise BackupError(f"there is no database at {path}")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one moment's snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", url])
    os.replace(partial, target)
    backup_files(target)


def files_copy(backup_path: Path) -> Path:
    """Where a backup's copy of the files directory is: beside it, PATH.files/."""
    return backup_path.with_name(backup_path.name + ".files")


def backup_files(target: Path) -> None:
    """Copy the files directory (when files are kept in one) beside the database copy: copied whole,
    then renamed. Stored names are random and never reused, so a file added while this runs is at
    worst one the database copy does not know."""
    source = files_dir()
    if storage_url() or not source.is_dir():
        return
    copy, partial = files_copy(target), files_copy(target).with_name(files_copy(target).name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    shutil.rmtree(copy, ignore_errors=True)
    os.replace(partial, copy)


def restore_files(source: Path) -> None:
    copy = files_copy(source)
    if copy.is_dir() and not storage_url():
        shutil.copytree(copy, files_dir(), dirs_exist_ok=True)


def _sqlite_tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def _postgres_tables(url: str) -> list[str]:
    psql = _tool("psql")
    query = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    result = subprocess.run(
        [psql, "--no-psqlrc", "--tuples-only", "--no-align", f"--command={query}", url],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"cannot read the database: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line.strip()]


def _kind(source: Path) -> str:
    if not source.is_file():
        raise BackupError(f"there is no backup at {source}")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgres"
    raise BackupError(f"{source} is not a Boardroom backup (neither a SQLite file nor a pg_dump -Fc archive)")


def restore(url: str, source: Path) -> None:
    """Put the backup at `source` into the database at `url`, which must be empty."""
    kind = _kind(source)
    path = _sqlite_path(url)
    if (kind == "sqlite") != (path is not None):
        engine = "SQLite" if path is not None else "PostgreSQL"
        raise BackupError(f"{source} is a {kind} backup and DATABASE_URL names a {engine} database")
    if path is not None:
        if path.exists() and _sqlite_tables(path):
            raise BackupError(f"{path} is not empty: restore into a new, empty database")
        path.parent.mkdir(parents=True, exist_ok=True)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(path)
        try:
            backup_db.backup(target)
            target.execute("PRAGMA journal_mode=WAL")  # as `boardroom migrate` leaves it
        finally:
            target.close()
            backup_db.close()
        restore_files(source)
        return
    if _postgres_tables(url):
        raise BackupError("the database is not empty: restore into a new, empty database (createdb)")
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(source),
        ]
    )
    restore_files(source)
