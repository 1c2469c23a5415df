"""Barcode-like region proposals: dense, high-contrast texture found with the gradient structure tensor."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate code area in full-frame pixel coordinates.

    `angle_deg` is the direction of the intensity gradient (across the bars of a linear code);
    `coherence` near 1 means parallel bars (linear code), lower values a 2D code or text.
    """

    center: tuple[float, float]
    size: tuple[float, float]  # (extent along the gradient, extent across it)
    angle_deg: float
    coherence: float
    score: float

    @property
    def linear(self) -> bool:
        return self.coherence >= 0.55


def shrink_to(gray: np.ndarray, width: int, height: int) -> np.ndarray:
    """`gray` resized down to `width` x `height`: area-averaged by the largest whole factor, then linear.

    OpenCV's area interpolation is fast for a whole factor (1280 -> 640: 0.07 ms) and slow otherwise
    (1280 -> 480: 1.6 ms, 1280 -> 800: 2.4 ms on this machine); the linear step after it is short.
    """
    h, w = gray.shape[:2]
    k = min(w // width, h // height)
    if k >= 2:
        gray = cv2.resize(gray, (w // k, h // k), interpolation=cv2.INTER_AREA)
    if gray.shape[1] == width and gray.shape[0] == height:
        return gray
    return cv2.resize(gray, (width, height), interpolation=cv2.INTER_LINEAR if k >= 2 else cv2.INTER_AREA)


def propose_regions(gray: np.ndarray, *, work_width: int = 640, max_regions: int = 6, threshold: float = 1.2) -> list[Region]:
    """Find up to `max_regions` textured areas (best first) in a grayscale frame."""
    h, w = gray.shape[:2]
    scale = min(1.0, work_width / w)
    small = shrink_to(gray, round(w * scale), round(h * scale)) if scale < 1 else gray
    f = small.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    k = (9, 9)
    # Alternation: total gradient minus net gradient in a window. A single edge (a box, a
    # cable) has net == total; bars, QR modules (and print) alternate, so net << total.
    texture = (
        cv2.boxFilter(np.abs(gx), -1, k) - np.abs(cv2.boxFilter(gx, -1, k))
        + cv2.boxFilter(np.abs(gy), -1, k) - np.abs(cv2.boxFilter(gy, -1, k))
    )
    local_mean = cv2.boxFilter(f, -1, (15, 15))
    strength = texture / (local_mean + 12.0)
    # Sensor noise raises the floor everywhere; keep the threshold above it.
    floor = float(np.median(strength[::4, ::4]))
    raw = (strength > max(threshold, 3.0 * floor)).astype(np.uint8) * 255
    closed = cv2.morphologyEx(raw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    blob = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    jxx, jyy, jxy = gx * gx, gy * gy, gx * gy
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions: list[Region] = []
    min_area = 120.0  # in work-image pixels
    for c in contours:
        area = cv2.contourArea(c)
        if area < min_area:
            continue
        x, y, bw, bh = cv2.boundingRect(c)
        roi = (slice(y, y + bh), slice(x, x + bw))
        cmask = np.zeros((bh, bw), np.uint8)
        cv2.drawContours(cmask, [c - np.array([x, y])], -1, 1, -1)
        sxx = float((jxx[roi] * cmask).sum())
        syy = float((jyy[roi] * cmask).sum())
        sxy = float((jxy[roi] * cmask).sum())
        total = sxx + syy + 1e-6
        coherence = math.sqrt((sxx - syy) ** 2 + 4 * sxy * sxy) / total
        theta = 0.5 * math.degrees(math.atan2(2 * sxy, sxx - syy))
        (cx, cy), (rw, rh), ra = cv2.minAreaRect(c)
        # Express the rectangle's extents along (theta) and across the gradient direction.
        t = math.radians(theta)
        pts = cv2.boxPoints(((cx, cy), (rw, rh), ra))
        u = pts @ np.array([math.cos(t), math.sin(t)])
        v = pts @ np.array([-math.sin(t), math.cos(t)])
        along, across = float(u.max() - u.min()), float(v.max() - v.min())
        if along < 12 or (coherence >= 0.55 and along < 0.5 * across):
            continue  # a thin line or a cable edge, not a code
        inv = 1.0 / scale
        regions.append(
            Region(
                center=(cx * inv, cy * inv),
                size=(along * inv, across * inv),
                angle_deg=theta,
                coherence=coherence,
                score=area * float(strength[roi][cmask > 0].mean()),
            )
        )
    regions.sort(key=lambda r: r.score, reverse=True)
    return regions[:max_regions]


def crop_region(gray: np.ndarray, region: Region, *, upright: bool, margin: float = 0.25, target_long: int = 420, max_scale: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Cut `region` out of the frame, rotated so linear bars stand vertical when `upright`.

    Small regions are upscaled so the long side is about `target_long` pixels. Returns the
    crop and the 2x3 affine matrix mapping crop coordinates back to frame coordinates.
    """
    along, across = region.size
    angle = region.angle_deg if upright else 0.0
    if not upright:
        side = max(along, across)
        along = across = side
    out_w = along * (1 + 2 * margin) + 16
    out_h = across * (1 + 2 * margin) + 16
    scale = min(max_scale, max(1.0, target_long / max(out_w, out_h)))
    out_w, out_h = int(out_w * scale), int(out_h * scale)
    t = math.radians(angle)
    cos, sin = math.cos(t) * scale, math.sin(t) * scale
    cx, cy = region.center
    # Forward map frame -> crop: rotate by -angle around the centre, scale, move to crop centre.
    fwd = np.array(
        [[cos, sin, out_w / 2 - (cos * cx + sin * cy)], [-sin, cos, out_h / 2 - (-sin * cx + cos * cy)]],
        dtype=np.float64,
    )
    crop = cv2.warpAffine(gray, fwd, (max(out_w, 8), max(out_h, 8)), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    back = cv2.invertAffineTransform(fwd)
    return crop, back


def _axes(r: Region) -> tuple[np.ndarray, np.ndarray]:
    t = math.radians(r.angle_deg)
    return np.array([math.cos(t), math.sin(t)]), np.array([-math.sin(t), math.cos(t)])


def _angle_gap(a: float, b: float) -> float:
    d = abs(a - b) % 180.0
    return min(d, 180.0 - d)


def merge_fragments(regions: list[Region], *, max_angle: float = 12.0) -> list[Region]:
    """Linear regions that continue one another along their bar direction, joined into one.

    Blur and motion wash out the wide bars of a large code, and its texture blob breaks into
    pieces along the code; each piece alone lacks the start or stop pattern. Returns only the
    new, merged regions (the fragments stay available to the caller).
    """
    pieces = [r for r in regions if r.linear]
    merged: list[Region] = []
    changed = True
    while changed:
        changed = False
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces)):
                a, b = pieces[i], pieces[j]
                if _angle_gap(a.angle_deg, b.angle_deg) > max_angle:
                    continue
                u, v = _axes(a)
                ca, cb = np.array(a.center), np.array(b.center)
                across = max(a.size[1], b.size[1])
                d = cb - ca
                if abs(float(d @ v)) > 0.5 * across or abs(float(d @ u)) > 0.5 * (a.size[0] + b.size[0]) + across:
                    continue
                lo = min(float(ca @ u) - a.size[0] / 2, float(cb @ u) - b.size[0] / 2)
                hi = max(float(ca @ u) + a.size[0] / 2, float(cb @ u) + b.size[0] / 2)
                perp = 0.5 * (float(ca @ v) + float(cb @ v))
                centre = u * (lo + hi) / 2 + v * perp
                joined = Region(
                    center=(float(centre[0]), float(centre[1])),
                    size=(hi - lo, across),
                    angle_deg=a.angle_deg if a.score >= b.score else b.angle_deg,
                    coherence=max(a.coherence, b.coherence),
                    score=a.score + b.score,
                )
                pieces = [p for k, p in enumerate(pieces) if k not in (i, j)] + [joined]
                merged = [m for m in merged if m is not a and m is not b] + [joined]
                changed = True
                break
            if changed:
                break
    return merged
