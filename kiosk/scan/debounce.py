"""Debounce and confirmation: a held code fires once (per source, identical payload only: :class:`RepeatFilter`),
a single-engine 1D read waits for a second frame."""

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


class RepeatFilter:
    """The one repeat rule for every scan source: drop a scan only when the **same source** gave the
    **identical payload** within `gap_s` of the last time it gave it.

    * A camera seeing one label for many frames fires once (each frame is a repeat from "camera").
    * A wedge scanner's burst repeated (a double trigger, a scanner set to send twice) fires once.
    * A different payload fires at once, however soon: an audit scanning a shelf of tags 50 ms apart loses none.
    * The same payload from another source fires at once: the camera having just seen a label never swallows
      the technician's deliberate wedge scan of it.

    Like :class:`Debouncer` (one per source inside), a payload held in view keeps being a repeat; it fires again
    after `gap_s` out of sight. Payloads are compared exactly (after stripping surrounding white space).
    """

    def __init__(self, gap_s: float = 1.5, *, clock: Clock = monotonic) -> None:
        if gap_s < 0:
            raise ValueError("gap_s must be >= 0")
        self.gap_s = gap_s
        self._clock = clock
        self._sources: dict[str, Debouncer] = {}

    def accept(self, source: str, payload: str) -> bool:
        """Record `payload` from `source`; True when it is a new scan (not a repeat)."""
        debouncer = self._sources.get(source)
        if debouncer is None:
            debouncer = self._sources[source] = Debouncer(self.gap_s, clock=self._clock)
        return debouncer.accept(payload.strip())

    def reset(self) -> None:
        self._sources.clear()


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
