"""`boardroom migrate`, `create-user` and `seed-demo` run as real commands against a fresh SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from server.kernel.passwords import verify_password
from server.tables import User
from tests.cli.conftest import Machine

pytestmark = pytest.mark.slow

GOOD_PASSWORD = "a long enough password"


def users_in(machine: Machine) -> list[dict[str, object]]:
    with sqlite3.connect(machine.database) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(f'SELECT * FROM "{User._meta.tablename}" ORDER BY id')]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("run", "web server and the arq worker"),
        ("migrate", "Apply every migration"),
        ("create-user", "Create a user"),
        ("seed-demo", "demo agency"),
    ],
)
def test_each_subcommand_describes_itself(machine: Machine, command: str, says: str) -> None:
    result = machine.run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: boardroom {command}" in result.stdout
    assert says in " ".join(result.stdout.split())


def test_the_top_level_help_lists_every_subcommand(machine: Machine) -> None:
    result = machine.run("--help")
    assert result.returncode == 0
    for command in ("run", "migrate", "create-user", "seed-demo"):
        assert command in result.stdout


def test_migrate_creates_the_database_and_is_idempotent(machine: Machine) -> None:
    first = machine.run("migrate")
    assert first.returncode == 0, first.stderr
    assert "Database is up to date." in first.stdout
    assert machine.database.exists()
    second = machine.run("migrate")
    assert second.returncode == 0, second.stderr
    assert "Database is up to date." in second.stdout
    assert users_in(machine) == []


def test_create_user_creates_a_user_who_can_sign_in(machine: Machine) -> None:
    result = machine.run("create-user", "Boss@Agency.Example", "--name", "The Boss", "--password", GOOD_PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "created admin boss@agency.example" in result.stdout.lower()
    [user] = users_in(machine)
    assert user["email"] == "boss@agency.example"
    assert user["role"] == "admin"
    assert user["active"]
    assert verify_password(str(user["password_hash"]), GOOD_PASSWORD)
    assert not verify_password(str(user["password_hash"]), "another password")


def test_create_user_reads_the_password_from_the_environment(machine: Machine) -> None:
    machine.env["BOARDROOM_PASSWORD"] = GOOD_PASSWORD
    result = machine.run("create-user", "max@agency.example", "--name", "Max", "--role", "member")
    assert result.returncode == 0, result.stderr
    [user] = users_in(machine)
    assert user["role"] == "member"
    assert verify_password(str(user["password_hash"]), GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--name", "X", "--password", GOOD_PASSWORD], "email:"),
        (["x@agency.example", "--name", "X", "--password", "short"], "password:"),
        (["x@agency.example", "--name", "X", "--role", "client", "--password", GOOD_PASSWORD], "client:"),
        (["x@agency.example", "--name", "X", "--role", "owner", "--password", GOOD_PASSWORD], "invalid choice"),
    ],
    ids=["bad-email", "short-password", "client-without-client", "unknown-role"],
)
def test_create_user_rejects_bad_input_with_a_message(machine: Machine, args: list[str], message: str) -> None:
    result = machine.run("create-user", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if machine.database.exists():  # argparse refuses an unknown role before anything is migrated
        assert users_in(machine) == []


def test_create_user_refuses_a_duplicate_email(machine: Machine) -> None:
    assert (
        machine.run("create-user", "ada@agency.example", "--name", "Ada", "--password", GOOD_PASSWORD).returncode == 0
    )
    again = machine.run("create-user", "ADA@agency.example", "--name", "Ada 2", "--password", GOOD_PASSWORD)
    assert again.returncode != 0
    assert "email:" in again.stderr
    assert "Traceback" not in again.stderr
    assert len(users_in(machine)) == 1


def test_seed_demo_fills_an_empty_database_then_refuses(machine: Machine) -> None:
    first = machine.run("seed-demo")
    assert first.returncode == 0, first.stderr
    assert "ada@agency.example" in first.stdout
    count = len(users_in(machine))
    assert count >= 3
    second = machine.run("seed-demo")
    assert second.returncode != 0
    assert "already has users" in second.stderr
    assert len(users_in(machine)) == count


def test_migrate_refuses_a_database_a_newer_release_migrated(machine: Machine) -> None:
    assert machine.run("migrate").returncode == 0
    with sqlite3.connect(machine.database) as db:
        db.execute(
            "INSERT INTO migration (name, app_name, ran_on) VALUES (?, ?, CURRENT_TIMESTAMP)",
            ("2099_01_01T00_00_00_000000", "boardroom"),
        )
    result = machine.run("migrate")
    assert result.returncode != 0
    assert "Database is up to date." not in result.stdout
    assert "2099_01_01T00_00_00_000000" in result.stderr and "newer release" in result.stderr
    # and nothing else that migrates first starts on it either
    assert machine.run("seed-demo").returncode != 0
    assert users_in(machine) == []
