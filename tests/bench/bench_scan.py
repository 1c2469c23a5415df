"""Scanning benchmark (run by hand): read rate, misreads, false positives and ms/frame per decoder.

    .venv/bin/python tests/bench/bench_scan.py [--set project|wide|samples] [--per-condition 24] [--ablate] [--keep DIR]
    .venv/bin/python tests/bench/bench_scan.py --set samples --samples PATH/TO/zxing-cpp   # real photos

Generates a labelled set of camera-like frames in a temporary directory (nothing is
written to the repository): `project` is the first set (`scan_synth.py`), `wide` the wider one
(`scan_wide.py`: curved lids, laminate glare, fingers, arm's length at 1080p, defocus, 30 fps
motion blur, low light, any rotation, Code128-only and QR + Code128 labels, DataMatrix stickers).
Every frame is decoded with zxing-cpp alone, pyzbar alone and the kiosk pipeline in live and
thorough mode, pinned to one CPU core. Times are CPU time of the decoding thread
(`time.thread_time`) and wall time; on a shared machine the wall time includes waiting for the core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import scan_samples  # noqa: E402
import scan_synth  # noqa: E402
import scan_wide  # noqa: E402

from kiosk.scan.engines import ZbarEngine, ZxingEngine  # noqa: E402
from kiosk.scan.model import DEFAULT_FORMATS  # noqa: E402
from kiosk.scan.pipeline import EXTRA_IDEAS, IDEAS, ScanConfig, ScanPipeline, to_gray  # noqa: E402
from kiosk.scan.tag_rule import TagRule  # noqa: E402

# Ideas the live cycle uses; the others only change thorough mode, so only it is ablated for them.
LIVE_IDEAS = ("regions", "upscale", "clahe", "invert", "zbar")

Decoder = Callable[[np.ndarray], list[str]]


class Tally:
    def __init__(self) -> None:
        self.read = 0
        self.present = 0
        self.misreads: list[str] = []
        self.false_pos = 0
        self.ms: list[float] = []
        self.ms_720: list[float] = []
        self.wall_720: list[float] = []
        self.by_condition: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.load = (0.0, 0.0, 0.0)  # the load average when this decoder's pass over the set ended

    def add(self, name: str, condition: str, truth: list[str], got: list[str], ms: float, wall: float = 0.0,
            kinds: list[str] | None = None) -> None:
        hits = len(set(got) & set(truth))
        self.read += hits
        self.present += len(truth)
        self.by_condition[condition][0] += hits
        self.by_condition[condition][1] += len(truth)
        self.misreads += [f"{name}: {t!r}" for t in set(got) - set(truth)]
        if not truth and got:
            self.false_pos += 1
        self.ms.append(ms)
        if "_1280x720" in name:
            self.ms_720.append(ms)
            self.wall_720.append(wall)
        for text, kind in zip(truth, kinds or [], strict=False):
            self.by_kind[kind][0] += text in got
            self.by_kind[kind][1] += 1

    @property
    def rate(self) -> float:
        return self.read / max(self.present, 1)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


Frame = tuple[str, str, list[str], np.ndarray, list[str]]  # name, condition, texts, image, label kinds


def run(frames: list[Frame], decoders: dict[str, tuple[Decoder, int]]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for label, (decode, repeats) in decoders.items():
        tally = Tally()
        for name, condition, truth, image, kinds in frames:
            got: set[str] = set()
            times, walls = [], []
            for _ in range(repeats):  # a label held in front of the camera for `repeats` frames
                t0, c0 = time.perf_counter(), time.thread_time()
                got |= set(decode(image))
                times.append((time.thread_time() - c0) * 1000.0)
                walls.append((time.perf_counter() - t0) * 1000.0)
            tally.add(name, condition, truth, sorted(got), statistics.mean(times), statistics.mean(walls), kinds)
        tally.load = os.getloadavg()
        tallies[label] = tally
    return tallies


def report(tallies: dict[str, Tally], baseline: str) -> None:
    base = tallies[baseline].rate or 1e-9
    print("ms: CPU ms per frame (all sizes, then 1280x720 only), then wall ms at 1280x720")
    print(f"{'decoder':34} {'read':>10} {'rate':>6} {'x zxing':>7} {'misread':>7} {'FP':>3} {'ms med':>7} {'ms p95':>7} "
          f"{'720p med':>8} {'720p p95':>8} {'wall med':>8} {'wall p95':>8}  load after")
    for label, t in tallies.items():
        print(
            f"{label:34} {t.read:>4}/{t.present:<5} {t.rate:6.1%} {t.rate / base:7.2f} {len(t.misreads):>7} {t.false_pos:>3} "
            f"{med(t.ms):7.1f} {pct(t.ms, 95):7.1f} {med(t.ms_720):8.1f} {pct(t.ms_720, 95):8.1f} "
            f"{med(t.wall_720):8.1f} {pct(t.wall_720, 95):8.1f}  {t.load[0]:.2f}"
        )
        for m in t.misreads[:10]:
            print(f"    misread {m}")


def report_conditions(tallies: dict[str, Tally], by: str = "condition") -> None:
    labels = list(tallies)
    table = (lambda t: t.by_condition) if by == "condition" else (lambda t: t.by_kind)
    conds = list(table(tallies[labels[0]]))
    if not conds:
        return
    print(f"\n{by:11} " + " ".join(f"{lab[:18]:>18}" for lab in labels))
    for c in conds:
        cells = []
        for lab in labels:
            r, n = table(tallies[lab])[c]
            cells.append(f"{r:>3}/{n:<3} ({r / n:4.0%})" if n else f"{'-':>13}")
        print(f"{c:11} " + " ".join(f"{cell:>18}" for cell in cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=("project", "wide", "samples"), default="wide", help="which set (default wide)")
    ap.add_argument("--samples", type=Path, help="zxing-cpp's source tree or its test/samples folder (--set samples)")
    ap.add_argument("--per-condition", type=int, default=24, help="frames per condition")
    ap.add_argument("--seed", type=int, help="the set's seed (project 7, wide 11)")
    ap.add_argument("--keep", type=Path, help="write the set here instead of a temporary directory")
    ap.add_argument("--ablate", action="store_true", help="also run the pipeline with each idea switched off")
    ap.add_argument("--live-frames", type=int, default=3, help="frames a label is held up for in the live 'held' run")
    args = ap.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)

    rule: TagRule | None = None
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        t0 = time.perf_counter()
        frames: list[Frame] = []
        if args.set == "samples":
            root = scan_samples.find_root(args.samples)
            if root is None:
                print(f"set samples: skipped, no zxing-cpp test/samples folder (give --samples PATH or ${scan_samples.ENV})")
                return 0
            frames, skipped = scan_samples.load(root)
            where = f"{root} ({skipped} images left out: no expected text, control characters, unreadable file)"
            rule = TagRule(passthrough_prefixes=("",), max_payload_length=100_000)  # any printable payload
        else:
            folder = args.keep or Path(tmp)
            gen = scan_wide if args.set == "wide" else scan_synth
            gen.write_set(folder, args.per_condition, args.seed if args.seed is not None else (11 if args.set == "wide" else 7))
            labels = json.loads((folder / "labels.json").read_text())
            for fname, meta in labels.items():
                image = cv2.imread(str(folder / fname), cv2.IMREAD_COLOR)
                kinds = [lab.get("kind", lab.get("format", "")) for lab in meta["labels"]]
                frames.append((fname, meta["condition"], meta["texts"], image, kinds))
            where = f"generated in {time.perf_counter() - t0:.1f} s in {folder}"
        n_codes = sum(len(f[2]) for f in frames)
        print(f"set {args.set}: {len(frames)} frames, {n_codes} codes, {sum(1 for f in frames if not f[2])} code-free; {where}")
        print(f"formats: {', '.join(DEFAULT_FORMATS)}; one core; OpenCV {cv2.__version__}")
        print("load average at start: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))

        zx = ZxingEngine(DEFAULT_FORMATS)
        zb = ZbarEngine(DEFAULT_FORMATS)

        def zxing_alone(img: np.ndarray) -> list[str]:
            return [r.text for r in zx.read(to_gray(img), rotate=True, invert=True, downscale=True)]

        def zbar_alone(img: np.ndarray) -> list[str]:
            return [r.text for r in zb.read(to_gray(img))]

        def pipeline(mode: str, config: ScanConfig | None = None, held: int = 1) -> tuple[Decoder, int]:
            p = ScanPipeline(config, rule)
            calls = {"n": 0}

            def decode(img: np.ndarray) -> list[str]:
                if mode == "live" and calls["n"] % held == 0:
                    p.reset()  # a new label comes into view
                calls["n"] += 1
                return [c.text for c in p.decode(img, mode)]  # type: ignore[arg-type]

            return decode, held

        decoders: dict[str, tuple[Decoder, int]] = {
            "zxing-cpp alone": (zxing_alone, 1),
            "pyzbar alone": (zbar_alone, 1),
            "pipeline live (1 frame)": pipeline("live"),
            f"pipeline live (held {args.live_frames} frames)": pipeline("live", held=args.live_frames),
            "pipeline thorough": pipeline("thorough"),
        }
        tallies = run(frames, decoders)
        report(tallies, "zxing-cpp alone")
        report_conditions(tallies)
        report_conditions(tallies, "label kind")
        print("\nload average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

        if args.ablate:
            print("\nablation: pipeline thorough / live (held) with one idea switched off (or a dropped one on)")
            abl: dict[str, tuple[Decoder, int]] = {}
            for idea in IDEAS:
                cfg = ScanConfig(ideas=frozenset(IDEAS) - {idea})
                abl[f"thorough without {idea}"] = pipeline("thorough", cfg)
                if idea in LIVE_IDEAS:
                    abl[f"live held without {idea}"] = pipeline("live", cfg, held=args.live_frames)
            for idea in EXTRA_IDEAS:
                abl[f"thorough with {idea}"] = pipeline("thorough", ScanConfig(ideas=frozenset(IDEAS) | {idea}))
            report({"zxing-cpp alone": tallies["zxing-cpp alone"], **run(frames, abl)}, "zxing-cpp alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
