"""The decode strategy: zxing-cpp first, then region deskew/upscale, CLAHE, inversion, zbar, sharpening and glare flattening, within a time budget."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import cv2
import numpy as np

from kiosk.scan.engines import ZBAR, ZXING, Engine, ZxingEngine, make_zbar
from kiosk.scan.enhance import clahe, deblur_motion, flatten, sharpen
from kiosk.scan.model import DEFAULT_FORMATS, LINEAR_FORMATS, Code, RawRead, Rejection
from kiosk.scan.regions import Region, crop_region, merge_fragments, propose_regions
from kiosk.scan.tag_rule import TagRule

log = logging.getLogger(__name__)

Mode = Literal["live", "thorough"]

# Ideas the strategy can use; the benchmark switches them off one at a time to measure each.
# Measured and dropped (docs/scanning.md): an unsharp-mask pass and whole-frame rotation by
# +-30 degrees added no reads; zbar in the live cycle cost a frame's budget for fewer reads.
IDEAS: tuple[str, ...] = ("regions", "upscale", "clahe", "invert", "zbar", "sharpen", "clahe_proposals", "upsample", "binarizers", "merge", "flatten", "adaptive", "bigger")
# Measured and not kept on by default (docs/scanning.md); a ScanConfig can still switch them on.
EXTRA_IDEAS: tuple[str, ...] = ("square", "deblur")


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
    thorough_margins: tuple[float, ...] = (0.25, 0.6)  # crop margins tried in turn (fraction of the region's size)
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


# Unsharp-mask radii (in pixels of the ~420-px upscaled crop) tried in thorough mode, widest first.
SHARPEN_SIGMAS: tuple[float, ...] = (4.0, 2.0)
# Motion-blur kernels (length in crop pixels, direction) tried by Wiener deconvolution.
DEBLUR_KERNELS: tuple[tuple[float, float], ...] = tuple((length, float(a)) for length in (6.0, 10.0, 16.0) for a in range(0, 180, 30))


def _flatten_crop(crop: np.ndarray) -> np.ndarray:
    return clahe(flatten(crop, 0.1 * max(crop.shape)))


def _adaptive_crop(crop: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 2)


def _same_place(a: Region, b: Region) -> bool:
    dx, dy = a.center[0] - b.center[0], a.center[1] - b.center[1]
    return (dx * dx + dy * dy) ** 0.5 < 0.5 * max(min(a.size), min(b.size), 8.0)


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
        invert = "invert" in ideas
        self._step(w, "full", self.zxing.read(w.gray, rotate=True, invert=invert, downscale=True))
        regions: list[Region] = []
        if "regions" in ideas:
            regions = propose_regions(w.gray, max_regions=self.config.max_regions_thorough)
            if "clahe_proposals" in ideas:
                # Glare and uneven light hide a label from the texture measure; equalised, it shows.
                for extra in propose_regions(clahe(w.gray), max_regions=self.config.max_regions_thorough):
                    if not any(_same_place(extra, r) for r in regions):
                        regions.append(extra)
            if "flatten" in ideas:
                # A glare spot lifts the label's background; subtracting the smooth background shows it.
                flat = flatten(w.gray, 15.0 * w.gray.shape[1] / 1280)
                for extra in propose_regions(flat, max_regions=self.config.max_regions_thorough):
                    if not any(_same_place(extra, r) for r in regions):
                        regions.append(extra)
            if "merge" in ideas:
                regions = merge_fragments(regions) + regions
        crops: dict[tuple[int, float, bool, int], tuple[np.ndarray, np.ndarray]] = {}

        def region_pass(
            base: str, fix: Callable[[np.ndarray], np.ndarray] | None, margin: float, *, zbar: bool = True, binarizers: Sequence[str] = ("local",), square: bool = False, target: int = 420
        ) -> None:
            # Breadth first: one treatment over every open region before the next, costlier one.
            for i, region in enumerate(regions):
                if w.out_of_time():
                    return
                if w.covered(region):
                    continue
                key = (i, margin, square, target)
                if key not in crops:
                    crops[key] = self._crop(w.gray, region, margin=margin, upright=not square, target=target)
                crop, back = crops[key]
                rotate = square or not region.linear
                img = fix(crop) if fix is not None else crop
                name = f"{base}@{margin}"
                for b in binarizers:
                    if w.covered(region) or w.out_of_time():
                        break
                    self._step(w, f"{name}:{b}", self._zx(img, rotate=rotate, invert=invert, binarizer=b), back)
                if zbar and self.zbar is not None and "zbar" in ideas and not w.covered(region) and not w.out_of_time():
                    self._step(w, f"{name}+zbar", self.zbar.read(img), back)
                    if invert and not w.covered(region):
                        self._step(w, f"{name}+zbar", self.zbar.read(img, invert=True), back)

        margins = self.config.thorough_margins
        fixed = ("fixed",) if "binarizers" in ideas else ()
        every = ("local", *fixed)
        region_pass("regions", None, margins[0])
        if "clahe" in ideas:
            region_pass("clahe", clahe, margins[0])
        if "upsample" in ideas and not w.out_of_time() and w.gray.shape[1] <= 1280:
            # Small frames: bicubic 2x gives the binarizer sub-pixel edges to work with.
            big = cv2.resize(w.gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
            self._step(w, "upsample", self.zxing.read(big, rotate=True, invert=invert, downscale=False), np.array([[0.5, 0, 0], [0, 0.5, 0]]))
        if fixed:
            region_pass("binarize", None, margins[0], zbar=False, binarizers=fixed)
        if "sharpen" in ideas:
            for k, sigma in enumerate(SHARPEN_SIGMAS):
                # The wide radius pays with zxing's own binarizer, the narrow one with a fixed threshold.
                region_pass(f"sharpen{sigma:g}", partial(sharpen, sigma=sigma), margins[0], zbar=False, binarizers=("local",) if k == 0 else fixed)
            for margin in margins[1:]:
                # A wider cut: a region split by blur or glare often stops short of the code's end.
                region_pass(f"sharpen{SHARPEN_SIGMAS[0]:g}", partial(sharpen, sigma=SHARPEN_SIGMAS[0]), margin, zbar=False)
        if "flatten" in ideas:
            region_pass("flatten", _flatten_crop, margins[0], binarizers=fixed)
        if "adaptive" in ideas:
            region_pass("adaptive", _adaptive_crop, margins[0], zbar=False)
        if "bigger" in ideas:
            # Small and blurred codes once more: a larger upscale (700 px), sharpened, both binarizers.
            region_pass("bigger", partial(sharpen, sigma=3.0), margins[0], zbar=False, binarizers=every, target=700)
        if "square" in ideas:
            # A square, unrotated cut with zxing's own rotation: for blurred codes whose
            # orientation estimate or extent is off.
            region_pass("square", None, margins[-1], zbar=False, binarizers=every, square=True)
            if "sharpen" in ideas:
                region_pass(f"square-sharpen{SHARPEN_SIGMAS[0]:g}", lambda c: sharpen(c, SHARPEN_SIGMAS[0]), margins[-1], zbar=False, binarizers=every, square=True)
        if "deblur" in ideas:
            for length, angle in DEBLUR_KERNELS:
                region_pass(f"deblur{length:g}/{angle:g}", partial(deblur_motion, length=length, angle_deg=angle), margins[0], zbar=False, binarizers=every)
        if "clahe" in ideas and not w.out_of_time():
            self._step(w, "clahe", self.zxing.read(clahe(w.gray), rotate=True, invert=False, downscale=True))

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

    def _zx(self, img: np.ndarray, *, rotate: bool, invert: bool, binarizer: str) -> list[RawRead]:
        if binarizer == "local":
            return self.zxing.read(img, rotate=rotate, invert=invert, downscale=False)
        if not isinstance(self.zxing, ZxingEngine):
            return []
        return self.zxing.read(img, rotate=rotate, invert=invert, downscale=False, binarizer=binarizer)

    def _crop(self, gray: np.ndarray, region: Region, margin: float = 0.25, upright: bool = True, target: int = 420) -> tuple[np.ndarray, np.ndarray]:
        target = target if "upscale" in self._ideas() else 0
        upright = upright and region.linear and "regions" in self._ideas()
        return crop_region(gray, region, upright=upright, margin=margin, target_long=target)

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
