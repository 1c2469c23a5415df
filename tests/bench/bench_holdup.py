"""Hold-up benchmark (run by hand): how long a person must hold a label up to a 30 fps webcam before it reads.

    .venv/bin/python tests/bench/bench_holdup.py [--per-cell 6] [--seed 23]

Each presentation (`scan_holdup.py`) is 3 s of 1280x720 frames at 30 fps. A decoder is run the way the
kiosk runs it: it takes the newest frame that has arrived, works on it, and frames that arrive meanwhile
are dropped (`kiosk/ui/scan_adapter.py`). Time runs on a simulated clock: a frame arrives every 33.3 ms and
a decode takes the CPU time it measured (`time.thread_time`, the process pinned to one core), so a loaded
shared machine gives the same timeline as an idle one. Time to read is from the first frame of the
presentation to the end of the decode that first returned the right tag. Any other text is a misread; any
output on a blank (code-free) presentation is a false positive. A decoder stops at its first correct read.

Decoders: zxing-cpp alone on each frame (rotation, inversion, downscaling on), pyzbar alone, the live
pipeline (`ScanPipeline.decode(frame, "live")`, one pipeline per presentation, with its per-frame budget),
and the same pipeline through `LiveScanner` ("event": what the kiosk acts on, after the second-frame
confirmation of a linear code and the debounce).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import scan_holdup  # noqa: E402

from kiosk.scan.clock import FakeClock  # noqa: E402
from kiosk.scan.engines import ZbarEngine, ZxingEngine  # noqa: E402
from kiosk.scan.model import DEFAULT_FORMATS  # noqa: E402
from kiosk.scan.pipeline import ScanPipeline, to_gray  # noqa: E402
from kiosk.scan.session import LiveScanner  # noqa: E402

FRAME_S = 1.0 / scan_holdup.FPS
Decoder = Callable[[np.ndarray, float], set[str]]  # (frame, simulated time) -> texts


@dataclass
class Outcome:
    spec: scan_holdup.HoldSpec
    time_to_read: float | None  # seconds, None = not read within the presentation
    misreads: list[str] = field(default_factory=list)
    frames_decoded: int = 0
    cpu_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)


class Frames:
    """Frames of one presentation, rendered once and shared by every decoder."""

    def __init__(self, spec: scan_holdup.HoldSpec) -> None:
        self.hold = scan_holdup.HoldUp(spec)
        self.cache: dict[int, np.ndarray] = {}

    def __getitem__(self, i: int) -> np.ndarray:
        if i not in self.cache:
            self.cache[i] = self.hold.frame(i)
        return self.cache[i]


def present(frames: Frames, decoder: Decoder) -> Outcome:
    spec = frames.hold.spec
    out = Outcome(spec, None)
    t_free = 0.0
    nxt = 0
    while True:
        newest = int(t_free / FRAME_S + 1e-9)  # the newest frame that has arrived when the decoder is free
        i = max(nxt, newest)
        if i >= spec.n_frames:
            return out
        start = max(t_free, i * FRAME_S)
        img = frames[i]
        w0, c0 = time.perf_counter(), time.thread_time()
        got = decoder(img, start)
        cpu = time.thread_time() - c0
        out.wall_ms.append((time.perf_counter() - w0) * 1000.0)
        out.cpu_ms.append(cpu * 1000.0)
        out.frames_decoded += 1
        t_free = start + cpu
        nxt = i + 1
        wrong = sorted(got - {spec.tag})
        out.misreads += wrong
        if spec.tag and spec.tag in got:
            out.time_to_read = t_free
            return out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def summarize(label: str, outcomes: list[Outcome]) -> str:
    coded = [o for o in outcomes if o.spec.kind != "blank"]
    blanks = [o for o in outcomes if o.spec.kind == "blank"]
    # Never read counts as the full 3 s (and beyond) for the percentiles: a lower bound on the real wait.
    times = [o.time_to_read if o.time_to_read is not None else float("inf") for o in coded]
    never = sum(1 for o in coded if o.time_to_read is None)
    med = statistics.median(times) if times else float("nan")
    p90 = float(np.percentile([t if t != float("inf") else 99.0 for t in times], 90)) if times else float("nan")
    mis = sum(len(o.misreads) for o in coded)
    fp = sum(1 for o in blanks if o.misreads)
    cpu = [m for o in outcomes for m in o.cpu_ms]
    wall = [m for o in outcomes for m in o.wall_ms]

    def sec(v: float) -> str:
        return ">3 s" if v > scan_holdup.SECONDS else f"{v:.2f} s"

    return (f"{label:22} {len(coded) - never:>4}/{len(coded):<4} {sec(med):>7} {sec(p90):>7} {never / max(len(coded), 1):7.1%} "
            f"{mis:>7} {fp:>3} {statistics.median(cpu):7.1f} {pct(cpu, 95):7.1f} {statistics.median(wall):7.1f} {pct(wall, 95):7.1f}")


def _short(v: float) -> str:
    return " >3s" if v > scan_holdup.SECONDS else f"{v:4.2f}"


HEADER = (f"{'decoder':22} {'read':>9} {'median':>7} {'p90':>7} {'never':>7} {'misread':>7} {'FP':>3} "
          f"{'cpu med':>7} {'cpu p95':>7} {'wall md':>7} {'wall 95':>7}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-cell", type=int, default=6, help="presentations per condition and label kind")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--kinds", default=",".join(scan_holdup.HOLD_KINDS))
    ap.add_argument("--no-zbar", action="store_true", help="skip pyzbar alone (the slowest)")
    args = ap.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)
    specs = scan_holdup.plan(args.per_cell, args.seed, tuple(args.kinds.split(",")))
    print(f"hold-up: {len(specs)} presentations of {scan_holdup.SECONDS:g} s at {scan_holdup.FPS:g} fps, 1280x720 "
          f"({sum(1 for s in specs if s.kind == 'blank')} blank); one core; OpenCV {cv2.__version__}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    t0 = time.perf_counter()

    zx = ZxingEngine(DEFAULT_FORMATS)
    zb = ZbarEngine(DEFAULT_FORMATS)
    state: dict[str, object] = {}

    def zxing_alone(img: np.ndarray, t: float) -> set[str]:
        return {r.text for r in zx.read(to_gray(img), rotate=True, invert=True, downscale=True)}

    def zbar_alone(img: np.ndarray, t: float) -> set[str]:
        return {r.text for r in zb.read(to_gray(img))}

    def live(img: np.ndarray, t: float) -> set[str]:
        pipe = state["pipeline"]
        assert isinstance(pipe, ScanPipeline)
        return {c.text for c in pipe.decode(img, "live")}

    def event(img: np.ndarray, t: float) -> set[str]:
        scanner = state["scanner"]
        clock = state["clock"]
        assert isinstance(scanner, LiveScanner) and isinstance(clock, FakeClock)
        clock.now = 1000.0 + t
        return {e.text for e in scanner.process(img)}

    decoders: dict[str, Decoder] = {"zxing-cpp alone": zxing_alone}
    if not args.no_zbar:
        decoders["pyzbar alone"] = zbar_alone
    decoders["pipeline live"] = live
    decoders["pipeline live, event"] = event
    results: dict[str, list[Outcome]] = defaultdict(list)
    for n, spec in enumerate(specs):
        frames = Frames(spec)
        for label, dec in decoders.items():
            state["pipeline"] = ScanPipeline()
            clock = FakeClock()
            state["clock"] = clock
            state["scanner"] = LiveScanner(ScanPipeline(), clock=clock)
            results[label].append(present(frames, dec))
        if (n + 1) % 10 == 0:
            print(f"  {n + 1}/{len(specs)} presentations, {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    print("\nall presentations (time to read: from the first frame; never = not read in 3 s; ms are per decoded frame)")
    print(HEADER)
    for label, outs in results.items():
        print(summarize(label, outs))
        for o in outs:
            for m in o.misreads:
                print(f"    misread {o.spec.name}: {m!r}")
    for group, key in (("condition", lambda s: s.condition), ("label kind", lambda s: s.kind)):
        print(f"\nby {group}: read / median / p90 / never")
        keys = list(dict.fromkeys(key(s) for s in specs if s.kind != "blank"))
        print(f"{group:12} " + " ".join(f"{lab[:24]:>26}" for lab in results))
        for k in keys:
            cells = []
            for outs in results.values():
                sel = [o for o in outs if key(o.spec) == k and o.spec.kind != "blank"]
                times = sorted(o.time_to_read if o.time_to_read is not None else 99.0 for o in sel)
                never = sum(1 for o in sel if o.time_to_read is None)
                med = statistics.median(times)
                p90 = float(np.percentile(times, 90))
                cells.append(f"{len(sel) - never:>2}/{len(sel):<2} {_short(med)} {_short(p90)} {never / len(sel):4.0%}")
            print(f"{k:12} " + " ".join(f"{c:>26}" for c in cells))
    print(f"\n{time.perf_counter() - t0:.0f} s; load average at end: {{:.2f}} {{:.2f}} {{:.2f}}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
