"""Password hashing with argon2id, made with the parameter profile the settings name (RFC 9106's
low-memory profile unless told otherwise; see `config.argon2_profile`)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from server.kernel.config import argon2_profile

MIN_LENGTH = 10
MAX_LENGTH = 200


def hasher_for(profile: str) -> PasswordHasher:
    """A hasher with the parameters of one of argon2-cffi's named profiles."""
    parameters = getattr(profiles, profile, None)
    if not isinstance(parameters, Parameters):
        known = ", ".join(name for name in dir(profiles) if isinstance(getattr(profiles, name), Parameters))
        raise ValueError(f"BOARDROOM_ARGON2_PROFILE must be one of {known}, not {profile!r}.")
    return PasswordHasher.from_parameters(parameters)


_hasher = hasher_for(argon2_profile())

# Verified against when no user matches, so an unknown email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


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
