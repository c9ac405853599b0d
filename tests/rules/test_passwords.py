"""server/kernel/passwords.py: argon2id hashes, and verification that fails closed."""

from __future__ import annotations

import pytest

from server.kernel.passwords import hash_password, needs_rehash, verify_password

PASSWORD = "correct horse battery"
HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once


def test_a_hash_is_argon2id_and_salted() -> None:
    assert HASH.startswith("$argon2id$")
    assert hash_password(PASSWORD) != HASH


def test_the_right_password_verifies() -> None:
    assert verify_password(HASH, PASSWORD)


@pytest.mark.parametrize("wrong", ["", "correct horse", "Correct horse battery", PASSWORD + " ", "ünïcode"])
def test_a_wrong_password_does_not(wrong: str) -> None:
    assert not verify_password(HASH, wrong)


def test_no_hash_never_verifies() -> None:
    assert not verify_password(None, PASSWORD)
    assert not verify_password(None, "not a real password")


def test_an_empty_hash_never_verifies_even_with_the_dummy_password() -> None:
    # A user row's password_hash defaults to ''; it once verified against the dummy hash's password.
    assert not verify_password("", "not a real password")
    assert not verify_password("", "")


@pytest.mark.parametrize(
    "garbage",
    [
        "not a hash",
        "$argon2id$",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$",
        HASH[:-10],
        HASH.replace("$argon2id$", "$argon2i$"),
        "$2b$12$abcdefghijklmnopqrstuv",  # bcrypt
        "\x00",
    ],
)
def test_a_garbage_hash_is_a_wrong_password_not_a_crash(garbage: str) -> None:
    assert not verify_password(garbage, PASSWORD)


def test_a_fresh_hash_needs_no_rehash() -> None:
    assert not needs_rehash(HASH)


def test_a_weaker_hash_needs_a_rehash() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert verify_password(weak, PASSWORD)
    assert needs_rehash(weak)


def test_production_hashes_use_the_rfc_9106_profile_unless_tests_ask_otherwise() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "BOARDROOM_ARGON2_PROFILE"}
    code = "from server.kernel.passwords import hash_password; print(hash_password('x' * 12))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "$m=65536,t=3,p=4$" in out.stdout


def test_a_profile_is_one_of_argon2s_by_name() -> None:
    from server.kernel.passwords import hasher_for

    assert "$m=8,t=1,p=1$" in hasher_for("CHEAPEST").hash(PASSWORD)
    with pytest.raises(ValueError, match="RFC_9106_LOW_MEMORY"):
        hasher_for("fast-for-tests")
