"""`boardroom migrate` says what it did in one line: how many migrations it applied on an empty
database, and that there was nothing to apply the second time (not Piccolo's "N already complete /
N not yet run")."""

from __future__ import annotations

from server.kernel.migrate import known_migrations
from tests.cli.conftest import Machine


def test_migrate_says_in_one_line_what_it_did(machine: Machine) -> None:
    first = machine.run("migrate")
    assert first.returncode == 0, first.stderr
    count = len(known_migrations())
    assert first.stdout.strip().splitlines() == [f"Applied {count} migrations. Database is up to date."]
    assert "already complete" not in first.stdout + first.stderr

    second = machine.run("migrate")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines() == ["Nothing to apply. Database is up to date."]
