"""Credential hashing: argon2id only; plain passwords and PINs are never stored."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_secret(secret: str) -> str:
    if not secret:
        raise ValueError("an empty secret cannot be hashed")
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    if not stored_hash or not secret:
        return False
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_STAND_IN: list[str] = []


def burn_time(secret: str) -> bool:
    """Check ``secret`` against a stand-in hash made with the same parameters, and say False: a sign-in for an
    unknown account takes as long as one for a real account."""
    if not _STAND_IN:
        _STAND_IN.append(_hasher.hash("stand-in for an unknown account"))
    verify_secret(_STAND_IN[0], secret or "x")
    return False
