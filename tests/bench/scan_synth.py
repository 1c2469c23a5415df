"""Synthetic camera-like frames of asset-tag labels, labelled with the texts they carry (bench and tests)."""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

FORMATS = ("Code128", "Code39", "QRCode", "DataMatrix")
RESOLUTIONS = ((640, 480), (1280, 720), (1920, 1080))
CONDITIONS = (
    "clean", "rotation", "tilt", "small", "blur", "motion", "noise",
    "lowlight", "uneven", "glare", "jpeg", "inverted", "two", "none",
)
_ZX = {"Code128": zxingcpp.Code128, "Code39": zxingcpp.Code39, "QRCode": zxingcpp.QRCode, "DataMatrix": zxingcpp.DataMatrix}


@dataclass
class LabelSpec:
    text: str
    format: str
    module_px: float  # size of one module (narrow bar / QR cell) in the scene, before perspective
    angle_deg: float = 0.0
    tilt: float = 0.0  # 0..1 strength of perspective distortion
    inverted: bool = False


@dataclass
class FrameSpec:
    name: str
    width: int
    height: int
    condition: str
    labels: list[LabelSpec] = field(default_factory=list)
    seed: int = 0

    @property
    def texts(self) -> list[str]:
        return [lab.text for lab in self.labels]


def tag_text(rng: np.random.Generator) -> str:
    return f"DS{int(rng.integers(100000, 999999))}"


def payload_for(fmt: str, rng: np.random.Generator) -> str:
    """A realistic payload: DS tags on every symbology; QR codes may be room labels or asset URLs."""
    tag = tag_text(rng)
    if fmt == "QRCode":
        kind = int(rng.integers(0, 3))
        if kind == 1:
            return f"ROOM:{uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | int(rng.integers(0, 2**62)))}"
        if kind == 2:
            return f"https://assets.example.org/device?tag={tag}"
    return tag


def render_symbol(text: str, fmt: str) -> np.ndarray:
    """The symbol at one pixel per module (linear codes 50 px tall), with quiet zones, black on white."""
    bc = zxingcpp.create_barcode(text, _ZX[fmt])
    return np.array(zxingcpp.write_barcode_to_image(bc, scale=1), dtype=np.uint8)


def label_image(spec: LabelSpec) -> np.ndarray:
    """A printed sticker: the symbol scaled to `module_px`, on a white label with a thin border."""
    sym = render_symbol(spec.text, spec.format)
    h, w = sym.shape
    if spec.format in ("Code128", "Code39"):
        out_w = max(8, round(w * spec.module_px))
        out_h = max(8, round(out_w * 0.28))
    else:
        out_w = out_h = max(8, round(w * spec.module_px))
    big = cv2.resize(sym, (out_w, out_h), interpolation=cv2.INTER_AREA if spec.module_px < 1 else cv2.INTER_LINEAR)
    pad = max(4, out_h // 10)
    lab = cv2.copyMakeBorder(big, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    cv2.rectangle(lab, (0, 0), (lab.shape[1] - 1, lab.shape[0] - 1), 200, 1)
    if spec.inverted:
        lab = 255 - lab
    return lab


def _background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk-like scene: shaded base, random boxes, lines and printed text (none of it a barcode)."""
    base = float(rng.integers(90, 200))
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    img = base + 30 * float(rng.uniform(-1, 1)) * gx + 30 * float(rng.uniform(-1, 1)) * gy
    img = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(4, 12))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        bw, bh = int(rng.integers(w // 20, w // 3)), int(rng.integers(h // 20, h // 3))
        cv2.rectangle(img, (x, y), (x + bw, y + bh), int(rng.integers(0, 256)), -1)
    for _ in range(int(rng.integers(2, 8))):
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p2 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.line(img, p1, p2, int(rng.integers(0, 256)), int(rng.integers(1, 4)))
    for _ in range(int(rng.integers(1, 5))):
        words = "".join(chr(int(c)) for c in rng.integers(65, 91, size=int(rng.integers(4, 14))))
        org = (int(rng.integers(0, w - 50)), int(rng.integers(20, h)))
        cv2.putText(img, words, org, cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.4, 1.2)) * w / 1280 * 1.5, int(rng.integers(0, 80)), 2)
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    return img


def _place(scene: np.ndarray, label: np.ndarray, spec: LabelSpec, center: tuple[float, float], rng: np.random.Generator) -> None:
    h, w = label.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    pts = src - np.float32([w / 2, h / 2])
    if spec.tilt > 0:  # perspective: shrink one side as if the label were turned away from the camera
        k = spec.tilt * float(rng.uniform(0.5, 1.0))
        if rng.uniform() < 0.5:
            pts[[1, 2], 1] *= 1 - k  # right edge shorter
            pts[[0, 3], 1] *= 1 + k * 0.3
        else:
            pts[[0, 1], 0] *= 1 - k  # top edge shorter
            pts[[2, 3], 0] *= 1 + k * 0.3
    a = math.radians(spec.angle_deg)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = pts @ rot.T + np.float32(center)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    sh, sw = scene.shape
    warped = cv2.warpPerspective(label, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(label, 255), m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = mask.astype(np.float32) / 255.0
    scene[:] = (scene * (1 - alpha) + warped * alpha).astype(np.uint8)


def _degrade(img: np.ndarray, cond: str, rng: np.random.Generator) -> np.ndarray:
    f = img.astype(np.float32)
    h, w = img.shape
    if cond == "blur":
        f = cv2.GaussianBlur(f, (0, 0), float(rng.uniform(1.2, 2.5)) * w / 1280)
    elif cond == "motion":
        n = max(3, int(rng.uniform(4, 10) * w / 1280)) | 1
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1.0
        ang = float(rng.uniform(0, 180))
        k = cv2.warpAffine(k, cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), ang, 1.0), (n, n))
        f = cv2.filter2D(f, -1, k / max(float(k.sum()), 1e-6))
    elif cond == "lowlight":
        f = f * float(rng.uniform(0.12, 0.25)) + 4
    elif cond == "uneven":
        cx, cy = float(rng.uniform(0, w)), float(rng.uniform(0, h))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / max(w, h)
        f = f * np.clip(1.1 - 1.6 * d, 0.12, 1.0)
    elif cond == "glare":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        return f  # glare is applied over the label in make_frame (needs its position)
    sigma = 3.0 if cond != "noise" else float(rng.uniform(10, 18))
    if cond == "lowlight":
        sigma = 2.0
    f = f + rng.normal(0, sigma, f.shape).astype(np.float32)
    return np.clip(f, 0, 255).astype(np.uint8)


def _glare(img: np.ndarray, center: tuple[float, float], radius: float, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx = center[0] + float(rng.uniform(-0.4, 0.4)) * radius
    cy = center[1] + float(rng.uniform(-0.4, 0.4)) * radius
    r = radius * float(rng.uniform(0.35, 0.6))
    blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)) * float(rng.uniform(150, 230))
    return np.clip(img.astype(np.float32) + blob, 0, 255).astype(np.uint8)


def plan_frames(n_per_condition: int, seed: int = 7) -> list[FrameSpec]:
    """The benchmark's frame plan: every condition at every resolution, formats in rotation."""
    rng = np.random.default_rng(seed)
    specs: list[FrameSpec] = []
    i = 0
    for cond in CONDITIONS:
        for k in range(n_per_condition):
            w, h = RESOLUTIONS[k % len(RESOLUTIONS)]
            fs = FrameSpec(f"{i:04d}_{cond}_{w}x{h}", w, h, cond, seed=int(rng.integers(0, 2**31)))
            n_labels = 0 if cond == "none" else 2 if cond == "two" else 1
            for j in range(n_labels):
                fmt = FORMATS[(k + j + i // n_per_condition) % len(FORMATS)]
                scale = w / 1280
                linear = fmt in ("Code128", "Code39")
                module = float(rng.uniform(2.2, 4.0) if linear else rng.uniform(3.5, 6.0)) * scale
                if cond == "small":
                    module = float(rng.uniform(0.9, 1.5) if linear else rng.uniform(1.3, 2.2)) * max(scale, 0.75)
                angle = float(rng.uniform(-8, 8))
                if cond == "rotation":
                    angle = float(rng.choice([-1, 1]) * rng.uniform(15, 45))
                elif cond in ("two", "clean"):
                    angle = float(rng.uniform(-12, 12))
                spec = LabelSpec(
                    payload_for(fmt, rng), fmt, module, angle,
                    tilt=float(rng.uniform(0.35, 0.6)) if cond == "tilt" else 0.0,
                    inverted=cond == "inverted",
                )
                fs.labels.append(spec)
            specs.append(fs)
            i += 1
    return specs


def make_frame(spec: FrameSpec) -> np.ndarray:
    """Render a frame as a BGR image (JPEG-compressed for the "jpeg" condition)."""
    rng = np.random.default_rng(spec.seed)
    scene = _background(rng, spec.width, spec.height)
    placed: list[tuple[tuple[float, float], float]] = []
    for idx, lab_spec in enumerate(spec.labels):
        lab = label_image(lab_spec)
        lh, lw = lab.shape
        radius = 0.5 * math.hypot(lh, lw)
        if len(spec.labels) == 2:
            cx = spec.width * (0.27 if idx == 0 else 0.73)
        else:
            cx = float(rng.uniform(radius + 5, max(radius + 6, spec.width - radius - 5)))
        cy = float(rng.uniform(radius + 5, max(radius + 6, spec.height - radius - 5)))
        _place(scene, lab, lab_spec, (cx, cy), rng)
        placed.append(((cx, cy), radius))
    out = _degrade(scene, spec.condition, rng)
    if spec.condition == "glare":
        for center, radius in placed:
            out = _glare(out, center, radius, rng)
        out = np.clip(out.astype(np.float32) + rng.normal(0, 3.0, out.shape), 0, 255).astype(np.uint8)
    bgr = cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
    if spec.condition == "jpeg":
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(8, 20))])
        bgr = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return bgr


def write_set(folder: Path, n_per_condition: int, seed: int = 7) -> list[FrameSpec]:
    """Render the frame plan into `folder` as PNGs plus labels.json (file name -> texts)."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = plan_frames(n_per_condition, seed)
    labels = {}
    for spec in specs:
        cv2.imwrite(str(folder / f"{spec.name}.png"), make_frame(spec))
        labels[f"{spec.name}.png"] = {"texts": spec.texts, "condition": spec.condition, "labels": [asdict(lab) for lab in spec.labels]}
    (folder / "labels.json").write_text(json.dumps(labels, indent=1))
    return specs
