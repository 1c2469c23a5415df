"""The decode strategy: zxing-cpp first, then region deskew/upscale, CLAHE, inversion, zbar, sharpening and glare flattening, within a time budget."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import cv2
import numpy as np

from kiosk.scan import superres
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
IDEAS: tuple[str, ...] = ("regions", "upscale", "clahe", "invert", "zbar", "sharpen", "clahe_proposals", "upsample", "binarizers", "merge", "flatten", "adaptive", "bigger", "superres")
# Measured and not kept on by default (docs/scanning.md); a ScanConfig can still switch them on.
EXTRA_IDEAS: tuple[str, ...] = ("square", "deblur")


@dataclass(slots=True)
class ScanConfig:
    """Decoder settings: enabled symbologies, engines, per-frame budgets and strategy ideas."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    use_zbar: bool = True
    live_budget_ms: float = 12.0
    thorough_budget_ms: float = 2000.0
    # "cpu": budgets are of this thread's CPU time (time.thread_time), so a busy machine slows a frame down
    # but never cuts its work short; "wall": of elapsed time (time.perf_counter).
    budget_clock: Literal["cpu", "wall"] = "cpu"
    live_max_width: int = 1920  # the live full-frame pass decodes at most this width
    live_invert_width: int = 1280  # its inverted pass (white-on-black labels) runs on the frame shrunk by a whole factor to at most this width
    max_regions_live: int = 3
    live_cap_ms: float = 26.0  # a live frame whose fixed work used the budget still gets one optional step below this
    live_views: int = 4  # frames of a tracked region kept to pick the best-focused one from
    live_track_frames: int = 8  # a region not proposed again for this many frames is forgotten
    max_regions_thorough: int = 8
    max_upscale: float = 4.0  # the most a region crop is enlarged (it is enlarged to ~420 px, or 700 for "bigger")
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
    frames: set[int]  # live frame serials the reads came from (an older, sharper view can be read again)


class _Frame:
    """Per-frame working state: grayscale image, lazily computed variants and regions."""

    def __init__(self, gray: np.ndarray, deadline: float, clock: Callable[[], float] = time.perf_counter) -> None:
        self.gray = gray
        self.deadline = deadline
        self.clock = clock
        self.hits: dict[tuple[str, str], _Hit] = {}
        self.steps: list[str] = []
        self._regions: list[Region] | None = None
        self.optional = 0  # optional live steps started on this frame

    def out_of_time(self) -> bool:
        return self.clock() >= self.deadline

    def left_ms(self) -> float:
        return (self.deadline - self.clock()) * 1000.0

    def add(self, reads: Iterable[RawRead], step: str, back: np.ndarray | None = None, *, serial: int = 0) -> None:
        for r in reads:
            poly = r.polygon
            if back is not None and poly:
                pts = np.array(poly, dtype=np.float64)
                mapped = pts @ back[:, :2].T + back[:, 2]
                poly = tuple((float(x), float(y)) for x, y in mapped)
            key = (r.text, r.format)
            hit = self.hits.get(key)
            if hit is None:
                self.hits[key] = _Hit(RawRead(r.text, r.format, r.engine, poly), {r.engine}, [step], {serial})
            else:
                hit.engines.add(r.engine)
                hit.steps.append(step)
                hit.frames.add(serial)

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


# Sub-pixel projection of linear regions: the share of the region's extent along the bars averaged (the
# proposal's blob often takes in the printed tag under the bars), and the angle searched either side (degrees).
SUPERRES_ACROSS: tuple[float, ...] = (1.0, 0.6)
SUPERRES_SPAN = 4.0
SUPERRES_LONG = 3.0  # a linear region shorter than this many times its height also gets a cut this long


def _flatten_crop(crop: np.ndarray) -> np.ndarray:
    return clahe(flatten(crop, 0.1 * max(crop.shape)))


def _adaptive_crop(crop: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 2)


def _same_place(a: Region, b: Region) -> bool:
    dx, dy = a.center[0] - b.center[0], a.center[1] - b.center[1]
    return (dx * dx + dy * dy) ** 0.5 < 0.5 * max(min(a.size), min(b.size), 8.0)


@dataclass(slots=True)
class _View:
    """A tracked region as one frame showed it."""

    serial: int
    gray: np.ndarray
    region: Region
    sharpness: float


@dataclass(slots=True)
class _Track:
    """A region followed over consecutive live frames."""

    region: Region
    seen: int  # the serial of the frame it was last proposed on
    views: list[_View]
    rung: int = 0  # the next ladder attempt
    ladder_view: _View | None = None
    read_at: int = -1
    plain_at: int = -1
    winner: _Attempt | None = None  # the attempt that last read something here, and on which frame's view
    winner_at: int = -1

    def best_view(self, since: int = 0) -> _View:
        """The best-focused of the views taken after frame `since` (the newest one if none is)."""
        recent = [v for v in self.views if v.serial > since] or self.views[-1:]
        return max(recent, key=lambda v: v.sharpness)


@dataclass(frozen=True, slots=True)
class _Attempt:
    name: str
    idea: str
    fix: Callable[[np.ndarray], np.ndarray] | None = None
    binarizers: tuple[str, ...] = ("local",)
    margin: float = 0.25
    target: int = 420


LIVE_PLAIN = _Attempt("regions", "regions")
# Costlier treatments for a region that the plain crop did not read, cheapest and most productive first
# (the thorough passes that read most in docs/scanning.md). One rung per region per turn.
LIVE_LADDER: tuple[_Attempt, ...] = (
    _Attempt("binarize:fixed", "binarizers", binarizers=("fixed",)),
    _Attempt("sharpen4:local", "sharpen", partial(sharpen, sigma=4.0)),
    _Attempt("clahe:local", "clahe", clahe),
    _Attempt("sharpen2:fixed", "sharpen", partial(sharpen, sigma=2.0), ("fixed",)),
    _Attempt("invert:local", "invert", lambda c: 255 - c),
    _Attempt("bigger:local", "bigger", partial(sharpen, sigma=3.0), target=700),
    _Attempt("bigger:fixed", "bigger", partial(sharpen, sigma=3.0), ("fixed",), target=700),
    _Attempt("sharpen4@0.6:local", "sharpen", partial(sharpen, sigma=4.0), margin=0.6),
    _Attempt("flatten:fixed", "flatten", _flatten_crop, ("fixed",)),
    _Attempt("adaptive:local", "adaptive", _adaptive_crop),
)
# First guesses of each step's CPU cost (ms); measured costs replace them as frames go by.
_LIVE_COST_GUESS_MS: dict[str, float] = {"propose": 3.0, "regions": 1.5, "full-inverted": 2.5, **{a.name: 2.0 for a in LIVE_LADDER}}


def _sharpness(gray: np.ndarray, region: Region) -> float:
    """Focus measure of a region: variance of the Laplacian over its box, relative to the box's contrast."""
    cx, cy = region.center
    half = 0.5 * max(region.size) + 4
    h, w = gray.shape[:2]
    x0, x1 = int(max(0, cx - half)), int(min(w, cx + half))
    y0, y1 = int(max(0, cy - half)), int(min(h, cy + half))
    box = gray[y0:y1, x0:x1]
    if box.size < 16:
        return 0.0
    step = max(1, int(max(box.shape) // 160))
    f = box[::step, ::step].astype(np.float32)
    lap = cv2.Laplacian(f, cv2.CV_32F)
    return float(lap.var()) / (float(f.var()) + 25.0)


def _near(a: Region, b: Region) -> bool:
    """The same label on two consecutive frames: centres within half its size (a held label moves little),
    the same kind of texture (bars or a 2D code) and a similar size (another label put in its place is not)."""
    dx, dy = a.center[0] - b.center[0], a.center[1] - b.center[1]
    if abs(a.coherence - b.coherence) > 0.3:  # bars and a 2D code differ by more; blur moves it less
        return False
    ratio = (a.size[0] * a.size[1] + 1.0) / (b.size[0] * b.size[1] + 1.0)
    if not 0.125 < ratio < 8.0:
        return False
    return (dx * dx + dy * dy) ** 0.5 < 0.5 * max(max(a.size), max(b.size), 16.0)


class ScanPipeline:
    """Decodes frames into codes that passed the tag rule.

    `decode(frame, "thorough")` spends up to `thorough_budget_ms` on one still image.
    `decode(frame, "live")` keeps to `live_budget_ms` per frame: zxing-cpp's own full-frame pass,
    then regions tracked across consecutive frames, each tried harder frame after frame on its
    best-focused recent view (see `_run_live`). zbar runs only in thorough mode. Budgets are of the
    thread's CPU time unless `ScanConfig.budget_clock` is "wall".
    """

    def __init__(
        self,
        config: ScanConfig | None = None,
        rule: TagRule | None = None,
        *,
        zxing: Engine | None = None,
        zbar: Engine | None = None,
        zbar_auto: bool = True,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.config = config or ScanConfig()
        self.rule = rule or TagRule()
        self.zxing: Engine = zxing or ZxingEngine(self.config.formats)
        if zbar is None and zbar_auto and self.config.use_zbar:
            zbar = make_zbar(self.config.formats)
        self.zbar: Engine | None = zbar
        # The budget's clock (seconds); tests pass a fake one to check the schedule without timing the machine.
        self._clock: Callable[[], float] = clock or (time.thread_time if self.config.budget_clock == "cpu" else time.perf_counter)
        self._serial = 0
        self._proposed_at = -10
        self._since_reset = 0
        self._tracks: list[_Track] = []
        self._cost_ms: dict[str, float] = dict(_LIVE_COST_GUESS_MS)
        self._ladder = [a for a in LIVE_LADDER if a.idea in self.config.ideas]

    # -- public API -------------------------------------------------------------------

    def decode(self, frame: np.ndarray, mode: Mode = "live") -> list[Code]:
        """Accepted codes on `frame` (BGR or grayscale uint8)."""
        return self.decode_detailed(frame, mode).codes

    def decode_detailed(self, frame: np.ndarray, mode: Mode = "live") -> DecodeResult:
        t0 = time.perf_counter()
        budget = self.config.live_budget_ms if mode == "live" else self.config.thorough_budget_ms
        work = _Frame(to_gray(frame), self._clock() + budget / 1000.0, self._clock)
        if mode == "live":
            self._run_live(work)
        else:
            self._run_thorough(work)
        codes, rejections = self._judge(work)
        found_by = {hit.read.text: hit.steps[0] for hit in work.hits.values()}
        return DecodeResult(codes, rejections, (time.perf_counter() - t0) * 1000.0, found_by, work.steps)

    def reset(self) -> None:
        """Forget the tracked regions of live mode (e.g. when the camera changes); the next frame is a first one."""
        self._tracks = []
        self._since_reset = 0

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
        if "superres" in ideas:
            self._superres_pass(w, regions)
        if "clahe" in ideas and not w.out_of_time():
            self._step(w, "clahe", self.zxing.read(clahe(w.gray), rotate=True, invert=False, downscale=True))

    def _superres_pass(self, w: _Frame, regions: Sequence[Region]) -> None:
        """Linear regions projected onto the axis across their bars into a sub-pixel profile (`superres.py`), then decoded.

        Cuts of each region: its whole extent along the bars, the middle 60 % of it (the proposal's blob often takes
        in the printed tag under the bars), and, for a region shorter than a code is long (motion and blur break a
        code's texture into a fragment), a cut three times its height long.
        """
        for region in regions:
            if not region.linear:
                continue
            along, across = region.size
            cuts = [(f"{share:g}", 1.3 * along + 10, share * across) for share in SUPERRES_ACROSS]
            if along < SUPERRES_LONG * across:
                cuts.append(("long", 1.2 * SUPERRES_LONG * across + 10, 0.8 * across))
            for cut, length, height in cuts:
                if w.out_of_time() or w.covered(region):
                    break
                prof = superres.project(w.gray, region.center, region.angle_deg, length, height, span=SUPERRES_SPAN)
                if prof is None:
                    break
                back = superres.back_map(prof)
                for name, img in itertools.chain(superres.treatments(prof), superres.motion_treatments(prof)):
                    if w.covered(region) or w.out_of_time():
                        break
                    for b in ("local", "fixed"):
                        if w.covered(region) or w.out_of_time():
                            break
                        self._step(w, f"superres{cut}/{name}:{b}", self._zx(img, rotate=False, invert=False, binarizer=b), back)

    def _run_live(self, w: _Frame) -> None:
        """One live frame: the full-frame pass, then tracked regions, each tried harder frame after frame.

        The full-frame pass is zxing-cpp's own (rotation, inversion, downscaling), so live mode reads at
        least what zxing-cpp alone reads on the same frame. Regions proposed on this frame are matched to the
        regions of earlier frames (a label held up stays near where it was); each region keeps its last few
        views with their sharpness. A region not read yet gets, in turn, one plain crop of the newest view and
        then the next rung of a ladder of costlier treatments, run on its best-focused recent view. Each rung
        is started only when its measured cost fits in what is left of the frame's budget, so a frame's
        cost stays near the budget and the ladder goes on in the next frame where this one stopped.
        """
        self._serial += 1
        serial = self._serial
        gray = w.gray
        h, wd = gray.shape[:2]
        back: np.ndarray | None = None
        img = gray
        if wd > self.config.live_max_width:
            s = self.config.live_max_width / wd
            img = cv2.resize(gray, (self.config.live_max_width, round(h * s)), interpolation=cv2.INTER_AREA)
            back = np.array([[1 / s, 0, 0], [0, 1 / s, 0]])
        # zxing-cpp's own pass, with rotation. Its inversion is split off: zxing-cpp inverts the binarised image,
        # which costs nearly a second pass on a noisy frame (51 ms instead of 33 at 720p) and reads no
        # white-on-black bars. The inverted grey frame, rotation on and no downscaling, reads all of the 8
        # project-set inverted labels that zxing-cpp alone reads and 3 of the 4 it misses, in 2-6.5 ms at 720p
        # and 640x480 (1080p is halved first: 4 ms). It runs on the first frame after a reset and every fourth,
        # whatever the frame's own pass cost (white-on-black labels are rare; a held one is in view for many
        # frames); after a slow own pass (a noisy 720p frame) it runs on the frame halved, which costs a fifth.
        t0 = self._clock()
        self._step(w, "full", self.zxing.read(img, rotate=True, invert=False, downscale=True), back)
        full_ms = (self._clock() - t0) * 1000.0
        self._since_reset += 1
        if "invert" in self.config.ideas and self._since_reset % 4 == 1:
            t0 = self._clock()
            k = -(-wd // self.config.live_invert_width)  # 1 up to 1280 wide, 2 at 1920
            if full_ms > self.config.live_budget_ms / 2 and wd // (2 * k) >= 640:
                k *= 2  # 720p: 640 wide (a 1080p frame's own pass is always slow; it stays at 960)
            inv, inv_back = gray, None
            if k > 1:
                inv = cv2.resize(gray, (wd // k, h // k), interpolation=cv2.INTER_AREA)
                inv_back = np.array([[wd / inv.shape[1], 0, 0], [0, h / inv.shape[0], 0]])
            self._step(w, "full-inverted", self.zxing.read(cv2.bitwise_not(inv), rotate=True, invert=False, downscale=False), inv_back)
            self._learn("full-inverted", t0)
        if "regions" not in self.config.ideas:
            return
        self._tracks = [t for t in self._tracks if serial - t.seen <= self.config.live_track_frames]
        # Proposals every other frame (or when there is nothing left to try): the ladder works on the
        # stored views, which carry their own region, so it needs no fresh proposal.
        idle = all(t.rung >= len(self._ladder) and t.best_view() is t.ladder_view for t in self._tracks)
        if (idle or serial - self._proposed_at >= 2) and self._fits(w, "propose"):
            self._proposed_at = serial
            w.optional += 1
            t0 = self._clock()
            found = propose_regions(gray, work_width=480, max_regions=self.config.max_regions_live)
            self._learn("propose", t0)
            for region in found:
                self._track(region, gray, serial)
        # Open: the regions the latest proposals found (this frame's, or the previous frame's when this one
        # had none); a region they no longer find has left the view or changed, and is not tried again.
        open_tracks = [t for t in self._tracks if t.seen == self._proposed_at]
        for t in open_tracks:
            if w.covered(t.region):
                t.read_at = serial
        open_tracks = [t for t in open_tracks if t.read_at != serial]
        open_tracks.sort(key=lambda t: t.region.score, reverse=True)
        # A region that a rung read on an earlier view: the same rung on its newest view first (a second
        # frame confirms a linear code, and a label that stays in view keeps being seen).
        for t in open_tracks:
            if t.winner is not None and t.views[-1].serial != t.winner_at and not w.covered(t.region) and self._fits(w, t.winner.name):
                self._attempt(w, t, t.views[-1], t.winner)
        # The newest view of each open region, plainly: new data every frame, and cheap.
        for t in open_tracks:
            if t.seen == serial and t.plain_at != serial and not w.covered(t.region) and self._fits(w, LIVE_PLAIN.name):
                t.plain_at = serial
                self._attempt(w, t, t.views[-1], LIVE_PLAIN)
        # Then the ladder, round robin over the open regions, on each one's best-focused view.
        progress = True
        while progress and open_tracks and not w.out_of_time():
            progress = False
            for t in open_tracks:
                if w.covered(t.region):
                    continue
                view = t.best_view(serial - self.config.live_views)
                stale = t.ladder_view is not None and t.ladder_view.serial <= serial - self.config.live_views
                if view is not t.ladder_view:
                    if t.ladder_view is None or view.sharpness > 1.15 * t.ladder_view.sharpness or t.rung >= len(self._ladder):
                        t.ladder_view, t.rung = view, 0  # a clearly sharper view: start it from the bottom
                    elif stale:
                        t.ladder_view = view  # the ladder's view is too old: go on climbing on the best recent one
                    else:
                        view = t.ladder_view
                if t.rung >= len(self._ladder):
                    continue
                attempt = self._ladder[t.rung]
                if not self._fits(w, attempt.name):
                    continue
                t.rung += 1
                self._attempt(w, t, view, attempt)
                progress = True

    def _track(self, region: Region, gray: np.ndarray, serial: int) -> None:
        view = _View(serial, gray, region, _sharpness(gray, region))
        for t in self._tracks:
            if t.seen != serial and _near(t.region, region):
                t.region, t.seen = region, serial
                t.views.append(view)
                del t.views[: -self.config.live_views]
                return
        self._tracks.append(_Track(region, serial, [view]))

    def _fits(self, w: _Frame, name: str, *, optional: bool = True) -> bool:
        """Whether step `name` (its measured cost) fits in what is left of the frame's budget.

        When the frame's fixed work used the whole budget (a noisy frame makes zxing-cpp slow), the first
        optional step still runs as long as the frame stays under `live_cap_ms`: the ladder never stalls.
        """
        est = self._cost_ms.get(name, 2.0)
        left = w.left_ms()
        if left >= est:
            return True
        if not optional or w.optional:
            return False
        spent = self.config.live_budget_ms - left
        if spent + est > self.config.live_cap_ms:
            return False
        w.optional += 1
        return True

    def _learn(self, name: str, t0: float) -> None:
        ms = (self._clock() - t0) * 1000.0
        old = self._cost_ms.get(name)
        self._cost_ms[name] = ms if old is None else 0.8 * old + 0.2 * ms

    def _attempt(self, w: _Frame, track: _Track, view: _View, a: _Attempt) -> None:
        w.optional += 1
        t0 = self._clock()
        region = view.region
        crop, back = self._crop(view.gray, region, margin=a.margin, target=a.target)
        img = a.fix(crop) if a.fix is not None else crop
        rotate = not region.linear
        for b in a.binarizers:
            reads = self._zx(img, rotate=rotate, invert=False, binarizer=b)
            self._step(w, a.name, reads, back, serial=view.serial)
            if reads:
                track.winner, track.winner_at = a, view.serial
                break
        self._learn(a.name, t0)

    def _zx(self, img: np.ndarray, *, rotate: bool, invert: bool, binarizer: str) -> list[RawRead]:
        if binarizer == "local":
            return self.zxing.read(img, rotate=rotate, invert=invert, downscale=False)
        if not isinstance(self.zxing, ZxingEngine):
            return []
        return self.zxing.read(img, rotate=rotate, invert=invert, downscale=False, binarizer=binarizer)

    def _crop(self, gray: np.ndarray, region: Region, margin: float = 0.25, upright: bool = True, target: int = 420) -> tuple[np.ndarray, np.ndarray]:
        target = target if "upscale" in self._ideas() else 0
        upright = upright and region.linear and "regions" in self._ideas()
        # A tiny region (a DataMatrix sticker at arm's length) is enlarged up to max_upscale times.
        return crop_region(gray, region, upright=upright, margin=margin, target_long=target, max_scale=self.config.max_upscale)

    def _step(self, w: _Frame, name: str, reads: Sequence[RawRead], back: np.ndarray | None = None, *, serial: int | None = None) -> None:
        w.steps.append(name)
        w.add(reads, name, back, serial=self._serial if serial is None else serial)

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
            codes.append(Code(r.text, r.format, engine, verdict.tag, r.polygon, engines, max(hit.frames)))
        return codes, rejections


__all__ = ["IDEAS", "LINEAR_FORMATS", "DecodeResult", "ScanConfig", "ScanPipeline", "clahe", "to_gray"]
