"""The `boardroom` command: run everything locally, migrate, create users, seed the demo agency."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from server.kernel.config import ROOT

# No proxy headers: uvicorn would otherwise take X-Forwarded-For from any local client (it trusts
# 127.0.0.1 by default), and the login throttle would count guesses under addresses the guesser
# makes up. Behind a proxy, run uvicorn as the Procfile does, trusting that proxy's address only.
UVICORN = "uvicorn server.asgi:app --ws websockets-sansio --no-proxy-headers"


def _migrate() -> list[str]:
    from server.kernel.migrate import migrate

    async def run() -> list[str]:
        applied = await migrate()
        await _rollup_in_agency_zone()
        return applied

    return asyncio.run(run())


async def _rollup_in_agency_zone() -> None:
    """The entry rollup's days are counted in BOARDROOM_TZ: built over existing entries the first
    time, rebuilt when the zone changed (time.rollup_writes.ensure_zone)."""
    from server.kernel.db import write_transaction
    from server.tables import EntryRollup
    from server.time.rollup_writes import ensure_zone

    async with write_transaction(EntryRollup._meta.db):
        await ensure_zone()


def cmd_migrate(args: argparse.Namespace) -> int:
    applied = _migrate()
    done = f"Applied {len(applied)} migration{'s' if len(applied) != 1 else ''}." if applied else "Nothing to apply."
    print(f"{done} Database is up to date.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server.demo import seed_demo

    _migrate()
    try:
        asyncio.run(seed_demo())
    except RuntimeError as error:
        print(f"Not seeded: {error}.", file=sys.stderr)
        return 1
    _print_demo_logins()
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from server.accounts.cli import create_user

    password = args.password or os.environ.get("BOARDROOM_PASSWORD") or getpass.getpass("Password: ")
    _migrate()
    try:
        asyncio.run(create_user(args.email, args.name, args.role, password, args.client))
    except ValueError as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 2
    print(f"Created {args.role} {args.email}.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from server.kernel.backups import BackupError, backup
    from server.kernel.config import database_url

    target = Path(args.path)
    try:
        backup(database_url(), target)
    except BackupError as error:
        print(f"No backup written: {error}.", file=sys.stderr)
        return 1
    print(f"Backed up the database to {target} ({target.stat().st_size:,} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from server.kernel.backups import BackupError, restore
    from server.kernel.config import database_url

    try:
        restore(database_url(), Path(args.path))
    except BackupError as error:
        print(f"Nothing restored: {error}.", file=sys.stderr)
        return 1
    print(f"Restored {args.path}. Run `boardroom migrate` before starting this version on it.")
    return 0


def _print_demo_logins() -> None:
    from server.demo import DEMO_LOGINS

    print(f"\n  Demo logins (password for each: {DEMO_LOGINS[0].password})")
    for login in DEMO_LOGINS:
        print(f"    {login.role:<14} {login.email}")
    print()


def cmd_run(args: argparse.Namespace) -> int:
    """Everything on one machine: embedded Redis if needed, migrations, demo data, web and worker."""
    from honcho.manager import Manager

    from server.demo import has_users, seed_demo

    embedded = None
    if not os.environ.get("REDIS_URL"):
        from server.kernel.redis_runtime import EmbeddedRedis

        embedded = EmbeddedRedis()
        os.environ["REDIS_URL"] = embedded.url
        # Printed so that redis-cli, arq or a test can reach the same Redis while this runs.
        print(f"  Embedded Redis at {embedded.url}", flush=True)
    try:
        _migrate()
        if not asyncio.run(has_users()):
            asyncio.run(seed_demo())
            print("Seeded the demo agency.")
        if args.demo_logins:
            _print_demo_logins()
        print(f"  Boardroom is at http://{args.host}:{args.port}  (Ctrl-C stops everything)\n", flush=True)
        manager = Manager()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        web = f"{UVICORN} --host {shlex.quote(args.host)} --port {args.port} --workers {args.workers}"
        manager.add_process("web", f"{shlex.quote(sys.executable)} -m {web}", env=env, cwd=str(ROOT))
        python = shlex.quote(sys.executable)
        # Kept running: a crashed worker is started again while the web carries on (honcho alone
        # stops everything when any process ends); the worker itself waits out a Redis restart.
        manager.add_process("worker", f"{python} -m tasks.supervise {python} -m tasks", env=env, cwd=str(ROOT))
        manager.loop()
        return manager.returncode or 0
    finally:
        if embedded is not None:
            embedded.stop()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="boardroom", description="Boardroom: boards, hours and sprints for agencies.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run web server and worker locally (embedded Redis unless REDIS_URL is set)",
        description="Apply migrations, seed the demo agency on an empty database, and run the "
        "web server and the arq worker until Ctrl-C.",
    )
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument(
        "--workers", type=int, default=1, help="web processes (more than one needs PostgreSQL and a shared Redis)"
    )
    run.add_argument(
        "--no-demo-logins", dest="demo_logins", action="store_false", help="do not print the demo logins on start"
    )
    run.set_defaults(func=cmd_run)

    migrate = sub.add_parser(
        "migrate",
        help="apply database migrations",
        description="Apply every migration not yet applied to DATABASE_URL (SQLite under ./data/ by default).",
    )
    migrate.set_defaults(func=cmd_migrate)

    create = sub.add_parser(
        "create-user",
        help="create a user",
        description="Create a user. The password is read from --password, $BOARDROOM_PASSWORD or a prompt.",
    )
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=["admin", "member", "client"], default="admin")
    create.add_argument("--client", type=int, help="client id (required for --role client)")
    create.add_argument("--password")
    create.set_defaults(func=cmd_create_user)

    backup = sub.add_parser(
        "backup",
        help="write a consistent copy of the database to a file",
        description="Write a consistent copy of DATABASE_URL to PATH while Boardroom keeps running: "
        "SQLite's online backup on SQLite, pg_dump -Fc on PostgreSQL.",
    )
    backup.add_argument("path", metavar="PATH")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="put a backup into an empty database",
        description="Put the backup at PATH (from `boardroom backup`) into DATABASE_URL, which must be "
        "empty: a new SQLite file, or a PostgreSQL database just made with createdb.",
    )
    restore.add_argument("path", metavar="PATH")
    restore.set_defaults(func=cmd_restore)

    seed = sub.add_parser(
        "seed-demo",
        help="fill an empty database with the demo agency",
        description="Create the demo agency (clients, projects, people) in an empty database.",
    )
    seed.set_defaults(func=cmd_seed_demo)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    from server.kernel.migrate import DatabaseNewerThanCode

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DatabaseNewerThanCode as error:
        print(f"Refusing to run: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
