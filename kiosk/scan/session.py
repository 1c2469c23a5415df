"""Frames and keyboard-wedge scans in, ScanEvents out: pipeline, confirmation, tag rule and debounce together."""

from __future__ import annotations

import numpy as np

from kiosk.scan.clock import Clock, monotonic
from kiosk.scan.debounce import Confirmer, Debouncer
from kiosk.scan.model import Rejection, ScanEvent
from kiosk.scan.pipeline import ScanPipeline
from kiosk.scan.wedge import WedgeScan

WEDGE_FORMAT = "keyboard-wedge"


class LiveScanner:
    """What the UI adapter drives from its worker thread.

    `process(frame)` decodes in live mode, holds single-engine linear reads until a second
    frame confirms them, and debounces, so a label held in front of the camera yields one
    ScanEvent. `wedge(scan)` applies the same tag rule and debounce to USB scanner input.
    Rejected payloads of the latest call are in `rejections`, with reasons for the UI.
    """

    def __init__(
        self,
        pipeline: ScanPipeline | None = None,
        *,
        debouncer: Debouncer | None = None,
        confirmer: Confirmer | None = None,
        clock: Clock = monotonic,
    ) -> None:
        self.pipeline = pipeline or ScanPipeline()
        self.clock = clock
        self.debouncer = debouncer or Debouncer(clock=clock)
        self.confirmer = confirmer or Confirmer(clock=clock)
        self.rejections: list[Rejection] = []

    def process(self, frame: np.ndarray) -> list[ScanEvent]:
        result = self.pipeline.decode_detailed(frame, "live")
        self.rejections = result.rejections
        events: list[ScanEvent] = []
        for code in self.confirmer.feed(result.codes):
            if self.debouncer.accept(code.key):
                events.append(ScanEvent(code.text, code.tag, code.format, "camera", code.engine, self.clock()))
        return events

    def wedge(self, scan: WedgeScan) -> ScanEvent | Rejection | None:
        """A keyboard-wedge scan as an event, a rejection with its reason, or None when debounced."""
        text = scan.text.strip()
        verdict = self.pipeline.rule.check(text)
        if not verdict.accepted:
            rejection = Rejection(text, WEDGE_FORMAT, "wedge", verdict.reason)
            self.rejections = [rejection]
            return rejection
        self.rejections = []
        key = verdict.tag if verdict.tag is not None else text
        if not self.debouncer.accept(key):
            return None
        return ScanEvent(text, verdict.tag, WEDGE_FORMAT, "wedge", "keyboard", self.clock())
