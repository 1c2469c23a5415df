"""USB keyboard-wedge scanners: bursts told from typing (`WedgeDetector`), and a burst turned into a scan
through the tag rule and the repeat rule (`WedgeInput`). No Qt, no cv2."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from kiosk.scan.clock import Clock, monotonic
from kiosk.scan.debounce import RepeatFilter
from kiosk.scan.model import Rejection, ScanEvent
from kiosk.scan.tag_rule import TagRule

ENTER_KEYS = frozenset({"\r", "\n", "Enter", "Return"})


@dataclass(frozen=True, slots=True)
class WedgeScan:
    """A burst of keystrokes that a scanner typed, ended by Enter."""

    text: str
    started: float
    ended: float

    @property
    def duration(self) -> float:
        return self.ended - self.started


class WedgeDetector:
    """Tells a keyboard-wedge scanner burst from a person typing.

    Feed every key press with its timestamp in seconds (the UI adapter takes these from
    its key events). A scan is a run of at least `min_length` printable characters in which
    every gap is at most `max_gap_s`, the median gap at most `max_median_gap_s`, and which is
    ended by Enter within `max_gap_s` of the last character. People type 80-250 ms per key
    and almost never keep a run of gaps below 25 ms; scanners send a key every 1-15 ms.
    """

    def __init__(self, *, min_length: int = 3, max_gap_s: float = 0.05, max_median_gap_s: float = 0.02, max_length: int = 256) -> None:
        self.min_length = min_length
        self.max_gap_s = max_gap_s
        self.max_median_gap_s = max_median_gap_s
        self.max_length = max_length
        self._chars: list[str] = []
        self._times: list[float] = []

    def feed(self, key: str, t: float) -> WedgeScan | None:
        """Add one key press; return a WedgeScan when it completes a scanner burst."""
        if self._times and t - self._times[-1] > self.max_gap_s:
            self.reset()
        if key in ENTER_KEYS:
            scan = self._finish(t)
            self.reset()
            return scan
        if len(key) != 1 or not key.isprintable():
            self.reset()  # modifiers, arrows, backspace: a person is editing
            return None
        self._chars.append(key)
        self._times.append(t)
        if len(self._chars) > self.max_length:
            self.reset()
        return None

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()

    @property
    def pending(self) -> str:
        """Characters of a burst in progress (the UI may hold them back from a text field)."""
        return "".join(self._chars)

    def _finish(self, t_enter: float) -> WedgeScan | None:
        if len(self._chars) < self.min_length:
            return None
        times = [*self._times, t_enter]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        if max(gaps) > self.max_gap_s or median(gaps) > self.max_median_gap_s:
            return None
        return WedgeScan("".join(self._chars), self._times[0], t_enter)


WEDGE_FORMAT = "keyboard-wedge"
WEDGE_SOURCE = "wedge"


class WedgeInput:
    """A scanner burst's text as a :class:`ScanEvent`, a :class:`Rejection` with the tag rule's reason, or None
    when it repeats the same payload within the repeat rule's window (:class:`RepeatFilter`, source "wedge").

    The kiosk's screens and :meth:`kiosk.scan.session.LiveScanner.wedge` both use it: one wedge path.
    `rule` is a :class:`TagRule` or a function returning the current one (the district's rule may change).
    """

    def __init__(self, rule: TagRule | Callable[[], TagRule], *, repeats: RepeatFilter | None = None,
                 clock: Clock = monotonic) -> None:
        self._rule = rule
        self.clock = clock
        self.repeats = repeats or RepeatFilter(clock=clock)

    @property
    def rule(self) -> TagRule:
        return self._rule if isinstance(self._rule, TagRule) else self._rule()

    def feed(self, text: str) -> ScanEvent | Rejection | None:
        payload = text.strip()
        verdict = self.rule.check(payload)
        if not verdict.accepted:
            return Rejection(payload, WEDGE_FORMAT, WEDGE_SOURCE, verdict.reason)
        if not self.repeats.accept(WEDGE_SOURCE, payload):
            return None
        return ScanEvent(payload, verdict.tag, WEDGE_FORMAT, WEDGE_SOURCE, "keyboard", self.clock())
