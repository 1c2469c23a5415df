"""The decode strategy: zxing-cpp first, then region deskew/upscale, CLAHE, inversion and zbar, within a time budget."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np

from kiosk.scan.engines import ZBAR, ZXING, Engine, ZxingEngine, make_zbar
from kiosk.scan.model import DEFAULT_FORMATS, LINEAR_FORMATS, Code, RawRead, Rejection
from kiosk.scan.regions import Region, crop_region, propose_regions
from kiosk.scan.tag_rule import TagRule

log = logging.getLogger(__name__)

Mode = Literal["live", "thorough"]

# Ideas the strategy can use; the benchmark switches them off one at a time to measure each.
# Measured and dropped (docs/scanning.md): an unsharp-mask pass and whole-frame rotation by
# +-30 degrees added no reads; zbar in the live cycle cost a frame's budget for fewer reads.
IDEAS: tuple[str, ...] = ("regions", "upscale", "clahe", "invert", "zbar")


@dataclass(slots=True)
class ScanConfig:
    """Decoder settings: enabled symbologies, engines, per-frame budgets and strategy ideas."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    use_zbar: bool = True
    live_budget_ms: float = 12.0
    thorough_budget_ms: float = 2000.0
    live_max_width: int = 1280  # the live full-frame pass decodes at most this width
    max_regions_live: int = 3
    max_regions_thorough: int = 8
    ideas: frozenset[str] = field(default_factory=lambda: frozenset(IDEAS))


@dataclass(slots=True)
class DecodeResult:
    """Everything one decode produced: accepted codes, rejected payloads, and which step found what."""

    codes: list[Code]
    rejections: list[Rejection]
    ms: float
    found_by: dict[str, str]  # text -> first step that read it
    steps_run: list[str]


@dataclass(slots=True)
class _Hit:
    read: RawRead
    engines: set[str]
    steps: list[str]


class _Frame:
    """Per-frame working state: grayscale image, lazily computed variants and regions."""

    def __init__(self, gray: np.ndarray, deadline: float) -> None:
        self.gray = gray
        self.deadline = deadline
        self.hits: dict[tuple[str, str], _Hit] = {}
        self.steps: list[str] = []
        self._regions: list[Region] | None = None

    def out_of_time(self) -> bool:
        return time.perf_counter() >= self.deadline

    def add(self, reads: Iterable[RawRead], step: str, back: np.ndarray | None = None) -> None:
        for r in reads:
            poly = r.polygon
            if back is not None and poly:
                pts = np.array(poly, dtype=np.float64)
                mapped = pts @ back[:, :2].T + back[:, 2]
                poly = tuple((float(x), float(y)) for x, y in mapped)
            key = (r.text, r.format)
            hit = self.hits.get(key)
            if hit is None:
                self.hits[key] = _Hit(RawRead(r.text, r.format, r.engine, poly), {r.engine}, [step])
            else:
                hit.engines.add(r.engine)
                hit.steps.append(step)

    def covered(self, region: Region) -> bool:
        """True when a code already decoded lies over the region's centre."""
        cx, cy = region.center
        for hit in self.hits.values():
            if len(hit.read.polygon) >= 3:
                poly = np.array(hit.read.polygon, dtype=np.float32)
                if cv2.pointPolygonTest(poly, (cx, cy), True) > -8:
                    return True
        return False


def to_gray(image: np.ndarray) -> np.ndarray:
    """Grayscale uint8 view of a BGR, BGRA or gray frame."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))


def clahe(gray: np.ndarray) -> np.ndarray:
    """Local histogram equalisation: lifts low contrast, uneven light and the edge of glare."""
    return _CLAHE.apply(gray)


class ScanPipeline:
    """Decodes frames into codes that passed the tag rule.

    `decode(frame, "thorough")` spends up to `thorough_budget_ms` on one still image.
    `decode(frame, "live")` keeps to `live_budget_ms` per frame: a cheap pass on every
    frame plus one expensive idea per frame, taken in turn, so consecutive frames of a
    held-up label together try everything. zbar runs only in thorough mode.
    """

    def __init__(
        self,
        config: ScanConfig | None = None,
        rule: TagRule | None = None,
        *,
        zxing: Engine | None = None,
        zbar: Engine | None = None,
        zbar_auto: bool = True,
    ) -> None:
        self.config = config or ScanConfig()
        self.rule = rule or TagRule()
        self.zxing: Engine = zxing or ZxingEngine(self.config.formats)
        if zbar is None and zbar_auto and self.config.use_zbar:
            zbar = make_zbar(self.config.formats)
        self.zbar: Engine | None = zbar
        self._live_turn = 0
        self._live_steps: list[Callable[[_Frame], None]] = [
            s for name, s in (
                ("regions", self._live_regions_plain),
                ("invert", self._live_invert),
                ("clahe", self._live_regions_clahe),
            ) if name in self.config.ideas
        ]

    # -- public API -------------------------------------------------------------------

    def decode(self, frame: np.ndarray, mode: Mode = "live") -> list[Code]:
        """Accepted codes on `frame` (BGR or grayscale uint8)."""
        return self.decode_detailed(frame, mode).codes

    def decode_detailed(self, frame: np.ndarray, mode: Mode = "live") -> DecodeResult:
        t0 = time.perf_counter()
        budget = self.config.live_budget_ms if mode == "live" else self.config.thorough_budget_ms
        work = _Frame(to_gray(frame), t0 + budget / 1000.0)
        if mode == "live":
            self._run_live(work)
        else:
            self._run_thorough(work)
        codes, rejections = self._judge(work)
        found_by = {hit.read.text: hit.steps[0] for hit in work.hits.values()}
        return DecodeResult(codes, rejections, (time.perf_counter() - t0) * 1000.0, found_by, work.steps)

    def reset(self) -> None:
        """Start the live schedule over (e.g. when the camera changes)."""
        self._live_turn = 0

    # -- strategy ------------------------------------------------------------------------

    def _ideas(self) -> frozenset[str]:
        return self.config.ideas

    def _run_thorough(self, w: _Frame) -> None:
        ideas = self._ideas()
        self._step(w, "full", self.zxing.read(w.gray, rotate=True, invert="invert" in ideas, downscale=True))
        if "regions" in ideas:
            regions = propose_regions(w.gray, max_regions=self.config.max_regions_thorough)
            variants: list[tuple[str, Callable[[np.ndarray], np.ndarray] | None]] = [("regions", None)]
            if "clahe" in ideas:
                variants.append(("clahe", clahe))
            for region in regions:
                if w.covered(region):
                    continue
                crop, back = self._crop(w.gray, region)
                for name, fix in variants:
                    if w.out_of_time() or w.covered(region):
                        break
                    img = fix(crop) if fix is not None else crop
                    self._step(w, name, self.zxing.read(img, rotate=not region.linear, invert="invert" in ideas, downscale=False), back)
                    if self.zbar is not None and "zbar" in ideas and not w.covered(region) and not w.out_of_time():
                        zb = self.zbar
                        self._step(w, "zbar", zb.read(img), back)
                        if "invert" in ideas and not w.covered(region):
                            self._step(w, "zbar", zb.read(img, invert=True), back)
        if "clahe" in ideas and not w.out_of_time():
            self._step(w, "clahe", self.zxing.read(clahe(w.gray), rotate=True, invert=False, downscale=True))
        if self.zbar is not None and "zbar" in ideas and not w.out_of_time():
            zb = self.zbar
            self._step(w, "zbar", zb.read(w.gray))

    def _run_live(self, w: _Frame) -> None:
        gray = w.gray
        h, wd = gray.shape[:2]
        back: np.ndarray | None = None
        img = gray
        if wd > self.config.live_max_width:
            s = self.config.live_max_width / wd
            img = cv2.resize(gray, (self.config.live_max_width, round(h * s)), interpolation=cv2.INTER_AREA)
            back = np.array([[1 / s, 0, 0], [0, 1 / s, 0]])
        self._step(w, "full", self.zxing.read(img, rotate=False, invert=False, downscale=True), back)
        if self._live_steps and not w.out_of_time():
            step = self._live_steps[self._live_turn % len(self._live_steps)]
            self._live_turn += 1
            step(w)

    def _live_regions(self, w: _Frame, name: str, fix: Callable[[np.ndarray], np.ndarray] | None, engine: Engine | None = None) -> None:
        eng = engine or self.zxing
        for region in propose_regions(w.gray, work_width=480, max_regions=self.config.max_regions_live):
            if w.out_of_time():
                return
            if w.covered(region):
                continue
            crop, back = self._crop(w.gray, region)
            img = fix(crop) if fix is not None else crop
            self._step(w, name, eng.read(img, rotate=not region.linear, invert=False, downscale=False), back)

    def _live_regions_plain(self, w: _Frame) -> None:
        self._live_regions(w, "regions", None)

    def _live_regions_clahe(self, w: _Frame) -> None:
        self._live_regions(w, "clahe", clahe)

    def _live_invert(self, w: _Frame) -> None:
        for region in propose_regions(w.gray, work_width=480, max_regions=self.config.max_regions_live):
            if w.out_of_time():
                return
            if w.covered(region):
                continue
            crop, back = self._crop(w.gray, region)
            self._step(w, "invert", self.zxing.read(255 - crop, rotate=not region.linear, invert=False, downscale=False), back)

    def _crop(self, gray: np.ndarray, region: Region) -> tuple[np.ndarray, np.ndarray]:
        target = 420 if "upscale" in self._ideas() else 0
        return crop_region(gray, region, upright=region.linear and "regions" in self._ideas(), target_long=target)

    def _step(self, w: _Frame, name: str, reads: Sequence[RawRead], back: np.ndarray | None = None) -> None:
        w.steps.append(name)
        w.add(reads, name, back)

    # -- verdicts ----------------------------------------------------------------------

    def _judge(self, w: _Frame) -> tuple[list[Code], list[Rejection]]:
        codes: list[Code] = []
        rejections: list[Rejection] = []
        for hit in w.hits.values():
            r = hit.read
            verdict = self.rule.check(r.text)
            if not verdict.accepted:
                rejections.append(Rejection(r.text, r.format, r.engine, verdict.reason))
                continue
            engines = frozenset(hit.engines)
            engine = ZXING if ZXING in engines else (ZBAR if ZBAR in engines else r.engine)
            codes.append(Code(r.text, r.format, engine, verdict.tag, r.polygon, engines))
        return codes, rejections


__all__ = ["IDEAS", "LINEAR_FORMATS", "DecodeResult", "ScanConfig", "ScanPipeline", "clahe", "to_gray"]
