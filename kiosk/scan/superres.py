"""Sub-pixel profiles of linear codes by projection (the "slanted edge" principle).

Bars are never exactly aligned with the pixel grid, so the rows of a linear code sample its profile at
different sub-pixel phases. Projecting every pixel of the code onto the axis across the bars, at its exact
sub-pixel coordinate, and averaging into fine bins recovers a profile finer than one pixel, with the noise
of one pixel divided by the square root of the rows. The profile is then deconvolved (a Gaussian for the
pixel's box and the optics; a box for motion across the bars) and rendered as a barcode image for the decoder.
The pipeline runs it in thorough mode only (`ScanPipeline._superres_pass`); docs/scanning.md has what it reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class Profile:
    """A 1-D profile across the bars of a linear code: `values[i]` is the mean grey at `u0 + i * step` along `axis`."""

    values: np.ndarray  # float32
    u0: float
    step: float
    center: tuple[float, float]
    axis: tuple[float, float]  # unit vector across the bars (frame coordinates)
    across: float  # the extent along the bars that was averaged (frame pixels)


def _samples(gray: np.ndarray, center: tuple[float, float], angle_deg: float, half_u: float, half_v: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel offsets (dx, dy from `center`) and values inside the rectangle of half sizes `half_u` (across the bars) and `half_v`."""
    h, w = gray.shape[:2]
    t = math.radians(angle_deg)
    c, s = abs(math.cos(t)), abs(math.sin(t))
    ex, ey = half_u * c + half_v * s, half_u * s + half_v * c
    cx, cy = center
    x0, x1 = max(0, int(cx - ex)), min(w, int(cx + ex) + 2)
    y0, y1 = max(0, int(cy - ey)), min(h, int(cy + ey) + 2)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros(0, np.float32)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    dx = (xs - cx).astype(np.float32).ravel()
    dy = (ys - cy).astype(np.float32).ravel()
    val = gray[y0:y1, x0:x1].astype(np.float32).ravel()
    ct, st = math.cos(t), math.sin(t)
    u = dx * ct + dy * st
    v = -dx * st + dy * ct
    keep = (np.abs(u) <= half_u) & (np.abs(v) <= half_v)
    dx, dy, val, v = dx[keep], dy[keep], val[keep], v[keep]
    if val.size:
        # Each band of one pixel along the bars to zero mean and unit contrast: shading along the bars (a curved
        # lid, a glare veil) would otherwise bias the sub-pixel phases the band's pixels fall on.
        band = (v - v.min()).astype(np.int32)
        n = int(band.max()) + 1
        cnt = np.maximum(np.bincount(band, None, n), 1)
        mean = np.bincount(band, val, n) / cnt
        sq = np.bincount(band, val * val, n) / cnt
        std = np.sqrt(np.maximum(sq - mean * mean, 1.0))
        val = ((val - mean[band]) / std[band]).astype(np.float32)
    return dx, dy, val


def _binned(u: np.ndarray, val: np.ndarray, lo: float, step: float, n: int, smooth: float) -> np.ndarray:
    idx = np.clip(((u - lo) / step).astype(np.int32), 0, n - 1)
    num = np.bincount(idx, val, n).astype(np.float32)
    den = np.bincount(idx, None, n).astype(np.float32)
    if smooth > 0:
        num = cv2.GaussianBlur(num[None, :], (0, 0), smooth, borderType=cv2.BORDER_REPLICATE)[0]
        den = cv2.GaussianBlur(den[None, :], (0, 0), smooth, borderType=cv2.BORDER_REPLICATE)[0]
    return num / np.maximum(den, 1e-3)


def _coords(dx: np.ndarray, dy: np.ndarray, angle_deg: float, fan: float) -> np.ndarray:
    """Each pixel's position across the bars; `fan` is the relative change of scale per pixel along the bars (perspective)."""
    a = math.radians(angle_deg)
    u = dx * math.cos(a) + dy * math.sin(a)
    if fan:
        v = -dx * math.sin(a) + dy * math.cos(a)
        u = u * (1.0 + fan * v)
    return u


def _sharpness(u: np.ndarray, val: np.ndarray, half_u: float, step: float = 0.5) -> float:
    """How well one profile explains every pixel: the variance between bins of `step` px (the residual's complement).

    Not the profile's own contrast: at an angle where the rows fall on few sub-pixel phases (0 or 45 degrees),
    a binned profile gets a staircase that looks sharp; the share of variance explained does not.
    """
    n = int(2 * half_u / step) + 1
    idx = np.clip(((u + half_u) / step).astype(np.int32), 0, n - 1)
    s = np.bincount(idx, val, n)
    c = np.bincount(idx, None, n)
    return float((s * s / np.maximum(c, 1)).sum())


def best_fit(dx: np.ndarray, dy: np.ndarray, val: np.ndarray, angle_deg: float, half_u: float, half_v: float, *,
             span: float = 3.0, step_deg: float = 0.1, fan_span: float = 0.25, fan_steps: int = 10) -> tuple[float, float]:
    """The bar direction near `angle_deg` (as the angle across the bars) and the perspective fan that make the profile sharpest.

    Coordinate search: the angle (coarse, then fine), the fan (scale change up to `fan_span` over the bars' height),
    then the angle again near the best.
    """
    def search(angles: np.ndarray, fans: np.ndarray) -> tuple[float, float]:
        best = (float(angles[0]), float(fans[0]), -1.0)
        for a in angles:
            for f in fans:
                score = _sharpness(_coords(dx, dy, float(a), float(f)), val, half_u)
                if score > best[2]:
                    best = (float(a), float(f), score)
        return best[0], best[1]

    coarse = angle_deg + np.arange(-span, span + 1e-6, 4 * step_deg)
    angle, _ = search(coarse, np.zeros(1))
    angle, _ = search(angle + np.arange(-3, 4) * step_deg, np.zeros(1))
    fan = 0.0
    if fan_steps and half_v > 0:
        top = fan_span / (2 * half_v)
        angle, fan = search(np.array([angle]), np.linspace(-top, top, 2 * fan_steps + 1))
        angle, fan = search(angle + np.arange(-3, 4) * step_deg, np.array([fan]))
    return angle, fan


def project(gray: np.ndarray, center: tuple[float, float], angle_deg: float, along: float, across: float, *, step: float = 0.125,
            search: bool = True, span: float = 3.0, fan_steps: int = 10) -> Profile | None:
    """The profile across the bars of the code at `center` (gradient direction `angle_deg`, extents `along` x `across` pixels)."""
    half_u, half_v = 0.5 * along, 0.5 * across
    dx, dy, val = _samples(gray, center, angle_deg, half_u, half_v)
    if val.size < 64:
        return None
    angle, fan = best_fit(dx, dy, val, angle_deg, half_u, half_v, span=span, fan_steps=fan_steps) if search else (angle_deg, 0.0)
    a = math.radians(angle)
    u = _coords(dx, dy, angle, fan)
    n = int(2 * half_u / step) + 1
    prof = _binned(u, val, -half_u, step, n, 0.125 / step)  # smoothed over 1/8 px: bins that few pixels fell in
    return Profile(prof, -half_u, step, center, (math.cos(a), math.sin(a)), across)


def deconvolve(values: np.ndarray, step: float, sigma_px: float, snr: float = 100.0, box_px: float = 0.0) -> np.ndarray:
    """Wiener deconvolution of a profile (bins of `step` px) by a Gaussian of `sigma_px` pixels, and a box of `box_px` (motion across the bars)."""
    n = values.size
    pad = int((6 * sigma_px + box_px) / step) + 8
    f = np.pad(values.astype(np.float64), pad, mode="edge")
    freq = np.fft.rfftfreq(f.size, d=step)  # cycles per pixel
    h = np.exp(-2.0 * (math.pi * sigma_px * freq) ** 2)
    if box_px > 0:
        h = h * np.sinc(box_px * freq)
    out = np.fft.irfft(np.fft.rfft(f) * h / (h * h + 1.0 / snr), n=f.size)
    return out[pad:pad + n].astype(np.float32)


def render(values: np.ndarray, *, rows: int = 40, quiet: int = 80) -> np.ndarray:
    """The profile as a barcode image: contrast stretched to 0-255, repeated over `rows`, with a quiet zone either side."""
    v = values.astype(np.float32)
    lo, hi = np.percentile(v, 2), np.percentile(v, 98)
    v = (v - lo) / max(float(hi - lo), 1e-3) * 255.0
    line = np.clip(v, 0, 255).astype(np.uint8)
    line = np.concatenate([np.full(quiet, line[:8].max(), np.uint8), line, np.full(quiet, line[-8:].max(), np.uint8)])
    return np.repeat(line[None, :], rows, axis=0)


def back_map(profile: Profile, *, rows: int = 40, quiet: int = 80) -> np.ndarray:
    """The 2x3 affine matrix from a `render`ed profile's pixels back to frame coordinates (the fan ignored)."""
    ax, ay = profile.axis
    px, py = -ay, ax
    k = profile.across / rows
    s = profile.step
    u0 = profile.u0 - quiet * s
    cx, cy = profile.center
    return np.array(
        [[ax * s, px * k, cx + ax * u0 - px * k * rows / 2], [ay * s, py * k, cy + ay * u0 - py * k * rows / 2]], dtype=np.float64
    )


# Treatments of a projected profile tried in turn: (Gaussian sigma in px, Wiener SNR); sigma 0 is the profile as it is.
DECONVOLUTIONS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.7, 100.0), (0.9, 100.0), (1.1, 100.0), (0.7, 30.0), (1.4, 300.0))


def treatments(profile: Profile) -> Iterator[tuple[str, np.ndarray]]:
    """The profile plain and deconvolved, as named rendered images ready for the decoder (made as they are asked for)."""
    for sigma, snr in DECONVOLUTIONS:
        v = profile.values if sigma == 0 else deconvolve(profile.values, profile.step, sigma, snr)
        yield f"{sigma:g}/{snr:g}", render(v)


def _bimodality(values: np.ndarray) -> float:
    """How close a profile is to two levels: the mean distance from mid-grey of its values stretched to 0-1 (5th-95th percentile)."""
    lo, hi = np.percentile(values, (5, 95))
    x = (values - lo) / max(float(hi - lo), 1e-6)
    return float(np.mean(np.abs(np.clip(x, -0.5, 1.5) - 0.5)))


def _deconvolve_boxes(values: np.ndarray, step: float, sigma_px: float, snr: float, boxes: np.ndarray) -> np.ndarray:
    """`deconvolve` for many box lengths at once (one row each): one forward transform, one batched inverse."""
    n = values.size
    pad = int((6 * sigma_px + float(boxes.max())) / step) + 8
    f = np.pad(values.astype(np.float64), pad, mode="edge")
    freq = np.fft.rfftfreq(f.size, d=step)
    h = np.exp(-2.0 * (math.pi * sigma_px * freq) ** 2)[None, :] * np.sinc(boxes[:, None] * freq[None, :])
    out = np.fft.irfft(np.fft.rfft(f)[None, :] * h / (h * h + 1.0 / snr), n=f.size, axis=1)
    return out[:, pad:pad + n].astype(np.float32)


def _bimodality_rows(rows: np.ndarray) -> np.ndarray:
    """`_bimodality` of each row."""
    lo, hi = np.percentile(rows, (5, 95), axis=1)
    x = (rows - lo[:, None]) / np.maximum(hi - lo, 1e-6)[:, None]
    return np.mean(np.abs(np.clip(x, -0.5, 1.5) - 0.5), axis=1)


# Motion across the bars: smear lengths tried (px), the Wiener SNR, and how many of the most two-level results are decoded.
MOTION_LENGTHS: tuple[float, ...] = tuple(2.0 + 0.25 * k for k in range(97))  # 2 to 26 px
MOTION_SNR = 1000.0
MOTION_TRIES = 6


def motion_treatments(profile: Profile, sigma: float = 0.7) -> Iterator[tuple[str, np.ndarray]]:
    """The profile deconvolved by a box of each smear length across the bars; the `MOTION_TRIES` most two-level ones, rendered.

    A label moving during the exposure is smeared by a box along its motion; projected, only the part across the bars
    blurs the profile. Deconvolution needs the length to a quarter pixel, and the right length is the one that leaves a
    profile of two levels (a wrong one rings), so every length is deconvolved (cheap, 1-D) and only the best decoded.
    """
    # Scored on the profile at 1/4 px (and its result at 1/2 px): the lengths' ranking is the same, for a tenth of the time.
    pairs = profile.values[: profile.values.size // 2 * 2].reshape(-1, 2).mean(axis=1)
    score = _bimodality_rows(_deconvolve_boxes(pairs, 2 * profile.step, sigma, MOTION_SNR, np.array(MOTION_LENGTHS))[:, ::2])
    # The peaks of the score over the length (neighbouring lengths give nearly the same profile), best first.
    peaks = [i for i in range(len(score)) if score[i] >= score[max(i - 1, 0)] and score[i] >= score[min(i + 1, len(score) - 1)]]
    peaks.sort(key=lambda i: -score[i])
    for i in peaks[:MOTION_TRIES]:
        length = MOTION_LENGTHS[i]
        yield f"motion{length:g}", render(deconvolve(profile.values, profile.step, sigma, MOTION_SNR, length))
