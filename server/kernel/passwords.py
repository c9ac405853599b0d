"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Test suites sign in hundreds of times; they may ask for cheap hashes (never set this in production:
# the default is argon2-cffi's RFC 9106 profile, deliberately slow).
FAST_FOR_TESTS = os.environ.get("BOARDROOM_ARGON2_PROFILE") == "fast-for-tests"
_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if FAST_FOR_TESTS else PasswordHasher()

# Verified against when no user matches, so an unknown email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_LENGTH = 10
MAX_LENGTH = 200


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """False for a wrong password and for a user with no hash at all (None or the column's default
    ''), who still costs one verification so that timing does not tell the two apart."""
    try:
        matches = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and bool(password_hash)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
