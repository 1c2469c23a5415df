"""Keys that are unique without a server: time-ordered UUIDv7 values."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_seq = 0


def uuid7(ms: int | None = None, rng: random.Random | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits.

    Within one process, values made in the same millisecond still sort in creation order (a 12-bit
    counter fills ``rand_a``).  Pass ``ms`` and ``rng`` for deterministic keys (the demo seeder does).
    """
    global _last_ms, _seq
    if rng is not None or ms is not None:
        stamp = ms if ms is not None else int(time.time() * 1000)
        source = rng or random.SystemRandom()
        rand_a = source.getrandbits(12)
        rand_b = source.getrandbits(62)
    else:
        with _lock:
            stamp = int(time.time() * 1000)
            if stamp <= _last_ms:
                stamp = _last_ms
                _seq += 1
                if _seq > 0xFFF:
                    stamp += 1
                    _seq = 0
            else:
                _seq = 0
            _last_ms = stamp
            rand_a = _seq
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (stamp & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rand_a << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The millisecond timestamp inside a UUIDv7."""
    return value.int >> 80
