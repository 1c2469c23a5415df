"""Hybrid logical clocks: timestamps that order writes across nodes even when wall clocks disagree."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

HLC_RE = re.compile(r"^\d{13}:\d{5}:[0-9a-f]{32}$")
ZERO = "0000000000000:00000:" + "0" * 32
_MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True)
class Stamp:
    """Physical milliseconds, a logical counter and the node id; compares in that order."""

    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:013d}:{self.counter:05d}:{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        if not HLC_RE.match(text):
            raise ValueError(f"not a hybrid logical clock stamp: {text[:80]!r}")
        ms, counter, node = text.split(":")
        return cls(int(ms), int(counter), node)


def is_valid(text: str) -> bool:
    return bool(HLC_RE.match(text))


def wall_ms() -> int:
    return int(time.time() * 1000)


def tick(last: str | None, node: str, now_ms: int | None = None) -> str:
    """The stamp for a local event after ``last`` (send rule): never goes backwards."""
    pt = wall_ms() if now_ms is None else now_ms
    prev = Stamp.parse(last) if last else Stamp(0, 0, node)
    if pt > prev.ms:
        return str(Stamp(pt, 0, node))
    if prev.counter >= _MAX_COUNTER:
        return str(Stamp(prev.ms + 1, 0, node))
    return str(Stamp(prev.ms, prev.counter + 1, node))


def receive(last: str | None, remote: str, node: str, now_ms: int | None = None) -> str:
    """The local clock after seeing ``remote`` (receive rule): later than both."""
    pt = wall_ms() if now_ms is None else now_ms
    a = Stamp.parse(last) if last else Stamp(0, 0, node)
    b = Stamp.parse(remote)
    ms = max(pt, a.ms, b.ms)
    if ms == a.ms == b.ms:
        counter = max(a.counter, b.counter) + 1
    elif ms == a.ms:
        counter = a.counter + 1
    elif ms == b.ms:
        counter = b.counter + 1
    else:
        counter = 0
    if counter > _MAX_COUNTER:
        ms, counter = ms + 1, 0
    return str(Stamp(ms, counter, node))


