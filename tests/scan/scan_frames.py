"""Synthetic label frames for the scanning tests, built with tests/bench/scan_synth.py."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import scan_synth  # noqa: E402


def label_frame(
    text: str = "DS104233",
    fmt: str = "Code128",
    *,
    angle: float = 0.0,
    tilt: float = 0.0,
    module: float = 3.0,
    inverted: bool = False,
    size: tuple[int, int] = (800, 600),
    condition: str = "clean",
    seed: int = 3,
) -> np.ndarray:
    """A BGR camera-like frame with one label on a cluttered desk."""
    spec = scan_synth.FrameSpec("t", size[0], size[1], condition, [scan_synth.LabelSpec(text, fmt, module, angle, tilt, inverted)], seed=seed)
    return scan_synth.make_frame(spec)


def empty_frame(size: tuple[int, int] = (800, 600), seed: int = 5) -> np.ndarray:
    return scan_synth.make_frame(scan_synth.FrameSpec("e", size[0], size[1], "none", [], seed=seed))
