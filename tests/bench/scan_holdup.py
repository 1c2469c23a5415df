"""A person holding a label up to a 30 fps webcam for 3 s, frame by frame (bench and tests).

Each `HoldUp` is one presentation: a product-like label (`scan_wide.render_label`) moving over a static
tech-room scene at 1280x720. The pose follows the condition's trajectory (a slow approach, a swing into view
that settles, a still hold) plus physiological hand tremor (8-12 Hz, a few pixels) and slow drift; every
frame is blurred along the label's own motion during the exposure, defocused by the autofocus state, and
finished like a webcam frame (noise, MJPEG). Frames are rendered on demand and are deterministic from the
seed, so every decoder sees the same frames.

Conditions: `steady` (held still at reading distance), `tremor` (a shaky hand: larger, faster tremor),
`approach` (brought from arm's length to reading distance over ~2 s), `swing` (moved into view quickly,
then held), `focus` (autofocus hunting for the first ~1.5 s), `dim` (low light: longer exposure, more
blur, noise and stronger compression). Kinds: see `scan_wide.KINDS`, plus `blank` (a sticker with print but
no code: the false-positive check).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import scan_synth
import scan_wide

FPS = 30.0
SECONDS = 3.0
CONDITIONS = ("steady", "tremor", "approach", "swing", "focus", "dim")
HOLD_KINDS = ("both", "code128", "qr", "datamatrix")


@dataclass(frozen=True)
class HoldSpec:
    name: str
    condition: str
    kind: str
    tag: str
    seed: int
    width: int = 1280
    height: int = 720

    @property
    def n_frames(self) -> int:
        return int(FPS * SECONDS)


def plan(n_per_cell: int, seed: int = 23, kinds: tuple[str, ...] = HOLD_KINDS, blanks: int = 1) -> list[HoldSpec]:
    """n presentations of every kind in every condition, plus `blanks` code-free ones per condition."""
    rng = np.random.default_rng(seed)
    out: list[HoldSpec] = []
    for cond in CONDITIONS:
        for kind in kinds:
            for k in range(n_per_cell):
                s = int(rng.integers(0, 2**31))
                out.append(HoldSpec(f"{cond}-{kind}-{k}", cond, kind, scan_synth.tag_text(np.random.default_rng(s)), s))
        for k in range(blanks):
            s = int(rng.integers(0, 2**31))
            out.append(HoldSpec(f"{cond}-blank-{k}", cond, "blank", "", s))
    return out


def _blank_label(unit: int = 4) -> np.ndarray:
    lab = np.full((100 * unit, 262 * unit), 255, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(lab, "PROPERTY OF DEMO ISD", (10 * unit, 40 * unit), font, unit * 0.25, 20, max(1, unit // 2))
    cv2.putText(lab, "IF FOUND CALL 555 0100", (10 * unit, 75 * unit), font, unit * 0.22, 40, max(1, unit // 2))
    return lab


class HoldUp:
    """The frames of one presentation: `frame(i)` (BGR), `module_px(i)`, `blur(i)` for inspection."""

    def __init__(self, spec: HoldSpec) -> None:
        self.spec = spec
        rng = np.random.default_rng(spec.seed)
        self.rng_seed = int(rng.integers(0, 2**31))
        w, h = spec.width, spec.height
        self.scene = scan_wide.background(rng, w, h)
        unit = 4
        self.label = _blank_label(unit) if spec.kind == "blank" else scan_wide.render_label(spec.kind, spec.tag, unit)
        self.unit = unit
        # A pyramid of the label so each frame is warped with a ratio in (0.8, 1]: no aliasing.
        self.levels: list[tuple[float, np.ndarray]] = []
        m = float(unit)
        img = self.label
        while m > 0.3:
            self.levels.append((m, img))
            m *= 0.8
            img = cv2.resize(self.label, (max(4, round(self.label.shape[1] * m / unit)), max(4, round(self.label.shape[0] * m / unit))),
                             interpolation=cv2.INTER_AREA)
        c = spec.condition
        # A 720p webcam (about 70 degrees across) sees a 10-mil Code128 module as about 1.5 px at 15 cm and
        # 1 px at 22 cm; a product label's QR module is 3.1 times that; a sticker's DataMatrix module is 0.5 mm.
        self.m_end = float(rng.uniform(1.1, 2.0)) * (2.0 if spec.kind == "datamatrix" else 1.0)
        self.m_start = self.m_end * (float(rng.uniform(0.3, 0.45)) if c == "approach" else 1.0)
        self.center = np.array([w / 2 + float(rng.uniform(-0.15, 0.15)) * w, h / 2 + float(rng.uniform(-0.15, 0.15)) * h])
        self.angle0 = float(rng.uniform(-30, 30))
        amp = float(rng.uniform(4.0, 9.0) if c in ("tremor", "dim") else rng.uniform(1.0, 3.0))
        self.tremor = [(amp * float(rng.uniform(0.5, 1.0)), float(rng.uniform(7.5, 12.0)), float(rng.uniform(0, 2 * math.pi)), float(rng.uniform(0, 2 * math.pi)))
                       for _ in range(2)]
        self.rot_tremor = (float(rng.uniform(0.3, 1.5) if c in ("tremor", "dim") else rng.uniform(0.1, 0.6)), float(rng.uniform(4, 9)), float(rng.uniform(0, 6.28)))
        self.drift = (float(rng.uniform(10, 35)), float(rng.uniform(0.2, 0.6)), float(rng.uniform(0, 6.28)))
        self.swing_from = np.array([float(rng.choice([-1, 1])) * float(rng.uniform(250, 450)), float(rng.uniform(-150, 150))]) if c == "swing" else np.zeros(2)
        self.swing_tau = float(rng.uniform(0.25, 0.5))
        self.exposure = 1 / 15 if c == "dim" else 1 / 30
        self.gain = float(rng.uniform(0.1, 0.2)) if c == "dim" else 1.0
        self.focus = (float(rng.uniform(3.0, 6.0)), float(rng.uniform(0.9, 1.6)), float(rng.uniform(1.0, 1.8))) if c == "focus" else None
        self.tilt_dir = float(rng.uniform(0, 2 * math.pi))

    # -- the trajectory -------------------------------------------------------------------------------

    def module_px(self, t: float) -> float:
        if self.spec.condition != "approach":
            return self.m_end
        s = min(1.0, t / 2.2)
        s = 1 - (1 - s) ** 2  # slowing as it nears
        return self.m_start + (self.m_end - self.m_start) * s

    def pose(self, t: float) -> tuple[np.ndarray, float, float]:
        """Centre (px), angle (degrees) and Code128 module (px) at time t."""
        c = self.center.copy()
        a, f, ph = self.drift
        c += np.array([a * math.sin(2 * math.pi * f * t + ph), 0.6 * a * math.cos(2 * math.pi * f * t + ph)])
        for amp, freq, px, py in self.tremor:
            c += np.array([amp * math.sin(2 * math.pi * freq * t + px), amp * math.sin(2 * math.pi * freq * 1.13 * t + py)])
        if self.spec.condition == "swing":
            c += self.swing_from * math.exp(-t / self.swing_tau)
        ra, rf, rp = self.rot_tremor
        angle = self.angle0 + ra * math.sin(2 * math.pi * rf * t + rp)
        return c, angle, self.module_px(t)

    def defocus(self, t: float) -> float:
        """Defocus blur radius (px): autofocus hunting sweeps through focus and overshoots before it locks."""
        if self.focus is None:
            return 0.0
        r0, lock, freq = self.focus
        if t >= lock:
            return 0.4
        return 0.4 + r0 * abs(math.cos(math.pi * freq * t)) * (1 - t / lock) + 0.8 * (1 - t / lock)

    # -- rendering ------------------------------------------------------------------------------------

    def frame(self, i: int) -> np.ndarray:
        t = i / FPS
        rng = np.random.default_rng(self.rng_seed + i)
        centre, angle, m = self.pose(t)
        # Motion during the exposure: the label's displacement over [t - exposure, t].
        c0, a0, m0 = self.pose(t - self.exposure)
        blur_vec = centre - c0
        level_m, img = next(((lm, im) for lm, im in reversed(self.levels) if lm >= m), self.levels[0])
        s = m / level_m
        h, w = img.shape
        tilt = 0.08 * math.sin(2 * math.pi * 0.4 * t + self.tilt_dir)
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        pts = (src - np.float32([w / 2, h / 2])) * s
        pts[[1, 2], 1] *= 1 - tilt
        pts[[0, 3], 1] *= 1 + tilt
        ar = math.radians(angle)
        rot = np.float32([[math.cos(ar), -math.sin(ar)], [math.sin(ar), math.cos(ar)]])
        dst = (pts @ rot.T + np.float32(centre)).astype(np.float32)
        blur_len = float(np.hypot(*blur_vec))
        pad = int(blur_len) + 8
        x0, y0 = np.floor(dst.min(axis=0)).astype(int) - pad
        x1, y1 = np.ceil(dst.max(axis=0)).astype(int) + pad
        H, W = self.scene.shape
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
        r = self.defocus(t)
        x0, y0, x1, y1 = max(0, x0 - int(r) - 2), max(0, y0 - int(r) - 2), min(W, x1 + int(r) + 2), min(H, y1 + int(r) + 2)
        out = self.scene.astype(np.float32)
        if x1 > x0 + 4 and y1 > y0 + 4:
            mtx = cv2.getPerspectiveTransform(src, dst - np.float32([x0, y0]))
            size = (x1 - x0, y1 - y0)
            layer = cv2.warpPerspective(img, mtx, size, flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32)
            alpha = cv2.warpPerspective(np.full_like(img, 255), mtx, size, flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32) / 255.0
            if blur_len > 0.7:
                k = scan_wide.line_kernel(blur_len, math.degrees(math.atan2(blur_vec[1], blur_vec[0])))
                layer = cv2.filter2D(layer * alpha, -1, k)
                alpha = cv2.filter2D(alpha, -1, k)
            else:
                layer = layer * alpha
            roi = out[y0:y1, x0:x1]
            roi = roi * (1 - alpha) + layer
            if r > 0.6:  # the autofocus is set for the label's distance; only the label area is worth blurring
                roi = cv2.filter2D(roi, -1, scan_wide.disk_kernel(r))
            out[y0:y1, x0:x1] = roi
        if self.gain < 1.0:
            dark = out * self.gain
            dark = dark + rng.normal(0, 1.0, dark.shape).astype(np.float32) * np.sqrt(dark + 1.5)
            out = dark * (0.55 / self.gain)
            return scan_wide.webcam(np.clip(out, 0, 255).astype(np.uint8), rng, noise=1.0, quality=(40, 60), blur=0.5)
        return scan_wide.webcam(np.clip(out, 0, 255).astype(np.uint8), rng)
