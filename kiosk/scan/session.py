"""Frames and keyboard-wedge scans in, ScanEvents out: pipeline, confirmation, tag rule and debounce together."""

from __future__ import annotations

import numpy as np

from kiosk.scan.clock import Clock, monotonic
from kiosk.scan.debounce import Confirmer, RepeatFilter
from kiosk.scan.model import Rejection, ScanEvent
from kiosk.scan.pipeline import ScanPipeline
from kiosk.scan.wedge import WedgeInput, WedgeScan


class LiveScanner:
    """What the UI adapter drives from its worker thread.

    `process(frame)` decodes in live mode, holds single-engine linear reads until a second
    frame confirms them, and debounces, so a label held in front of the camera yields one
    ScanEvent. `wedge(scan)` applies the same tag rule to USB scanner input (`WedgeInput`, the screens' path too).
    Both drop only a repeat: the same payload from the same source within the window (`RepeatFilter`).
    Rejected payloads of the latest call are in `rejections`, with reasons for the UI.
    """

    def __init__(
        self,
        pipeline: ScanPipeline | None = None,
        *,
        repeats: RepeatFilter | None = None,
        confirmer: Confirmer | None = None,
        clock: Clock = monotonic,
    ) -> None:
        self.pipeline = pipeline or ScanPipeline()
        self.clock = clock
        self.repeats = repeats or RepeatFilter(clock=clock)
        self.confirmer = confirmer or Confirmer(clock=clock)
        self.wedge_input = WedgeInput(lambda: self.pipeline.rule, repeats=self.repeats, clock=clock)
        self.rejections: list[Rejection] = []

    def process(self, frame: np.ndarray) -> list[ScanEvent]:
        result = self.pipeline.decode_detailed(frame, "live")
        self.rejections = result.rejections
        events: list[ScanEvent] = []
        for code in self.confirmer.feed(result.codes):
            if self.repeats.accept("camera", code.key):
                events.append(ScanEvent(code.text, code.tag, code.format, "camera", code.engine, self.clock()))
        return events

    def wedge(self, scan: WedgeScan) -> ScanEvent | Rejection | None:
        """A keyboard-wedge scan as an event, a rejection with its reason, or None when it repeats."""
        result = self.wedge_input.feed(scan.text)
        self.rejections = [result] if isinstance(result, Rejection) else []
        return result
