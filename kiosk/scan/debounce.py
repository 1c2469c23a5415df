"""Debounce and confirmation: a held code fires once, a single-engine 1D read waits for a second frame."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.scan.clock import Clock, monotonic
from kiosk.scan.model import Code


class Debouncer:
    """Lets a code through once per presentation.

    A code fires the first time it is seen. While it keeps being seen (gaps shorter than
    `gap_s`) it does not fire again. A different code fires at once. The same code fires
    again once it has been out of sight for at least `gap_s` seconds.
    """

    def __init__(self, gap_s: float = 1.5, *, clock: Clock = monotonic) -> None:
        if gap_s < 0:
            raise ValueError("gap_s must be >= 0")
        self.gap_s = gap_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def accept(self, key: str) -> bool:
        """Record a sighting of `key`; True when it should fire now."""
        now = self._clock()
        last = self._last_seen.get(key)
        self._last_seen[key] = now
        self._prune(now)
        return last is None or now - last >= self.gap_s

    def reset(self) -> None:
        self._last_seen.clear()

    def _prune(self, now: float) -> None:
        if len(self._last_seen) > 64:
            self._last_seen = {k: t for k, t in self._last_seen.items() if now - t < self.gap_s}


class Confirmer:
    """Holds back a linear code read by only one engine until another frame reads it again.

    Codes read by two engines on the same frame, and 2D codes (QR, DataMatrix: Reed-Solomon
    protected), pass at once. A pending read expires after `window_s` seconds. The confirming read
    must come from another camera frame (`Code.frame`): live mode may read an earlier, sharper
    view of a label again, and the same pixels read twice confirm nothing.
    """

    def __init__(self, window_s: float = 1.0, *, clock: Clock = monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._pending: dict[tuple[str, str], tuple[float, set[int]]] = {}

    def feed(self, codes: Iterable[Code]) -> list[Code]:
        """Pass one frame's codes; return those that are confirmed."""
        now = self._clock()
        self._pending = {k: v for k, v in self._pending.items() if now - v[0] <= self.window_s}
        out: list[Code] = []
        for code in codes:
            if not code.needs_confirmation:
                out.append(code)
                continue
            k = (code.text, code.format)
            _, frames = self._pending.get(k, (now, set()))
            if frames and (code.frame == 0 or frames - {code.frame}):
                out.append(code)
            self._pending[k] = (now, frames | {code.frame})
        return out
