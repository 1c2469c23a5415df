"""The wider scanning set: product-like labels in the damage a tech-room webcam really gives (bench and tests).

Labels are laid out like the ones `kiosk labels` prints (`kiosk/domain/labels.py`): a "both" label is a QR
code (about 3x the Code128 module) beside a 10-mil Code128 symbol carrying the same tag, with the readable
tag and the district's name; "code128" is the same label without the QR; "qr" the QR alone; "code39" an
older district's Code39 tag; "datamatrix" a small asset sticker (DataMatrix, a few mm square).

Every frame then goes through a webcam's finish (slight optical blur, sensor noise, MJPEG at quality 70-90)
on top of its condition. Nothing is written to the repository: `write_set(folder, ...)` renders PNGs into
a folder the caller owns (the benchmark uses a temporary directory).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
import scan_synth
import zxingcpp

KINDS = ("both", "code128", "qr", "code39", "datamatrix")
CONDITIONS = (
    "curved", "laminate", "finger", "arm1080", "defocus", "motion30", "lowlight", "rotation360",
    "code128", "both", "datamatrix", "none",
)
_ZX = {"Code128": zxingcpp.Code128, "Code39": zxingcpp.Code39, "QRCode": zxingcpp.QRCode, "DataMatrix": zxingcpp.DataMatrix}
QR_TO_BAR = 3.1  # a product label's QR module is about 3.1 Code128 modules (avery5160, 600 dpi)


@dataclass
class WideLabel:
    tag: str  # what a correct read returns (the QR and the Code128 of a "both" label carry the same tag)
    kind: str
    module_px: float  # one Code128 (or Code39 / DataMatrix) module in the scene, before perspective
    angle_deg: float = 0.0
    tilt: float = 0.0


@dataclass
class WideFrame:
    name: str
    width: int
    height: int
    condition: str
    labels: list[WideLabel] = field(default_factory=list)
    seed: int = 0
    params: dict[str, float] = field(default_factory=dict)

    @property
    def texts(self) -> list[str]:
        return [lab.tag for lab in self.labels]


def _symbol(text: str, fmt: str) -> np.ndarray:
    bc = zxingcpp.create_barcode(text, _ZX[fmt])
    img = np.array(zxingcpp.write_barcode_to_image(bc, scale=1, add_quiet_zones=False), dtype=np.uint8)
    return img[:1] if fmt in ("Code128", "Code39") else img


def _put(canvas: np.ndarray, sym: np.ndarray, x: int, y: int, w: int, h: int) -> None:
    canvas[y:y + h, x:x + w] = cv2.resize(sym, (w, h), interpolation=cv2.INTER_NEAREST)


def render_label(kind: str, tag: str, unit: int = 4) -> np.ndarray:
    """A label at `unit` pixels per Code128 module (grayscale, white paper), laid out like the printed ones."""
    u = unit
    font = cv2.FONT_HERSHEY_SIMPLEX
    if kind == "datamatrix":
        sym = _symbol(tag, "DataMatrix")
        n = sym.shape[0]
        side = n * u
        w, h = side + 2 * 2 * u + 14 * u, side + 4 * u
        lab = np.full((h, w), 255, np.uint8)
        _put(lab, sym, 2 * u, 2 * u, side, side)
        cv2.putText(lab, tag[:4], (side + 3 * u, h // 2 - u), font, u * 0.09, 30, max(1, u // 3))
        cv2.putText(lab, tag[4:], (side + 3 * u, h // 2 + 4 * u), font, u * 0.09, 30, max(1, u // 3))
        return lab
    if kind == "code39":
        sym = _symbol(tag, "Code39")
        bw = sym.shape[1] * u
        w, h = bw + 24 * u, 70 * u
        lab = np.full((h, w), 255, np.uint8)
        _put(lab, sym, 12 * u, 8 * u, bw, 44 * u)
        cv2.putText(lab, tag, (w // 2 - 14 * u, 64 * u), font, u * 0.22, 20, max(1, u // 2))
        return lab
    # The product's labels: 2 5/8" x 1" at 10 mil = 262 x 100 modules.
    w, h = 262 * u, 100 * u
    lab = np.full((h, w), 255, np.uint8)
    x0 = 8 * u
    if kind in ("both", "qr"):
        q = _symbol(tag, "QRCode")
        qm = QR_TO_BAR * (1.0 if kind == "both" else 1.25)
        side = round(q.shape[0] * qm * u)
        qy = (h - side) // 2
        _put(lab, q, x0 + round(4 * qm * u), qy, side, side)
        x0 += side + round(8 * qm * u)
    if kind == "qr":
        cv2.putText(lab, tag, (x0, h // 2 + 6 * u), font, u * 0.3, 20, max(1, u // 2))
        cv2.putText(lab, "DEMO ISD", (x0, h // 2 - 18 * u), font, u * 0.16, 40, max(1, u // 3))
        return lab
    b = _symbol(tag, "Code128")
    bw = b.shape[1] * u
    cx = (x0 + w) // 2
    _put(lab, b, cx - bw // 2, 18 * u, bw, 50 * u)
    cv2.putText(lab, "DEMO ISD", (cx - 14 * u, 13 * u), font, u * 0.16, 40, max(1, u // 3))
    cv2.putText(lab, tag, (cx - 20 * u, 84 * u), font, u * 0.3, 20, max(1, u // 2))
    cv2.putText(lab, "LE01 Library", (cx - 17 * u, 95 * u), font, u * 0.15, 40, max(1, u // 3))
    return lab


def _at_scale(lab: np.ndarray, unit: int, module_px: float) -> np.ndarray:
    s = module_px / unit
    out = (max(4, round(lab.shape[1] * s)), max(4, round(lab.shape[0] * s)))
    return cv2.resize(lab, out, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)


def curve(lab: np.ndarray, bend: float) -> tuple[np.ndarray, np.ndarray]:
    """The label wrapped round a cylinder (axis vertical) seen from the front: `bend` is the arc it covers (radians).

    Returns the image and its alpha (the projected label is narrower; the edges are foreshortened and darker).
    """
    h, w = lab.shape
    r = w / bend
    half = r * math.sin(bend / 2)
    out_w = max(4, round(2 * half))
    xs = np.arange(out_w, dtype=np.float32) - out_w / 2
    theta = np.arcsin(np.clip(xs / r, -1, 1))
    src_x = (theta * r + w / 2).astype(np.float32)
    map_x = np.repeat(src_x[None, :], h, axis=0)
    map_y = np.repeat(np.arange(h, dtype=np.float32)[:, None], out_w, axis=1)
    img = cv2.remap(lab, map_x, map_y, cv2.INTER_LINEAR, borderValue=255)
    shade = (0.55 + 0.45 * np.cos(theta)).astype(np.float32)
    img = (img.astype(np.float32) * shade[None, :]).astype(np.uint8)
    return img, np.full_like(img, 255)


def place(scene: np.ndarray, lab: np.ndarray, alpha: np.ndarray | None, center: tuple[float, float], angle_deg: float,
          tilt: float, rng: np.random.Generator) -> np.ndarray:
    """Composite `lab` into `scene` (in place); returns the label's quadrilateral in the scene."""
    h, w = lab.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    pts = src - np.float32([w / 2, h / 2])
    if tilt > 0:
        if rng.uniform() < 0.5:
            pts[[1, 2], 1] *= 1 - tilt
            pts[[0, 3], 1] *= 1 + tilt * 0.3
        else:
            pts[[0, 1], 0] *= 1 - tilt
            pts[[2, 3], 0] *= 1 + tilt * 0.3
    a = math.radians(angle_deg)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (pts @ rot.T + np.float32(center)).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    sh, sw = scene.shape
    warped = cv2.warpPerspective(lab, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
    a_img = alpha if alpha is not None else np.full_like(lab, 255)
    mask = cv2.warpPerspective(a_img, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32) / 255.0
    scene[:] = (scene * (1 - mask) + warped * mask).astype(np.uint8)
    return dst


def background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A tech-room scene: the desk clutter of scan_synth plus vent grilles and keyboard-like key grids."""
    img = scan_synth._background(rng, w, h)
    for _ in range(int(rng.integers(0, 3))):  # a vent grille: parallel bars, the classic false-positive bait
        x, y = int(rng.integers(0, w - w // 6)), int(rng.integers(0, h - h // 8))
        gw, gh = int(rng.integers(w // 14, w // 6)), int(rng.integers(h // 20, h // 8))
        pitch = int(rng.integers(3, 9)) * max(1, w // 1280)
        shade = int(rng.integers(0, 90))
        for gx in range(x, x + gw, 2 * pitch):
            cv2.rectangle(img, (gx, y), (gx + pitch - 1, y + gh), shade, -1)
    if rng.uniform() < 0.5:  # a keyboard corner: a grid of keys with letters
        x, y = int(rng.integers(0, w // 2)), int(rng.integers(h // 2, h - h // 6))
        k = max(10, w // 40)
        for r in range(3):
            for c in range(int(rng.integers(4, 10))):
                p = (x + c * (k + 4), y + r * (k + 4))
                cv2.rectangle(img, p, (p[0] + k, p[1] + k), 40, -1)
                cv2.putText(img, chr(65 + (r * 7 + c) % 26), (p[0] + k // 4, p[1] + 3 * k // 4), cv2.FONT_HERSHEY_SIMPLEX, k / 40, 200, 1)
    return img


def disk_kernel(radius: float) -> np.ndarray:
    """A defocus (pillbox) kernel of `radius` pixels."""
    n = max(1, int(math.ceil(radius)))
    yy, xx = np.mgrid[-n:n + 1, -n:n + 1].astype(np.float32)
    k = np.clip(radius + 0.5 - np.sqrt(xx * xx + yy * yy), 0, 1)
    return (k / k.sum()).astype(np.float32)


def line_kernel(length: float, angle_deg: float) -> np.ndarray:
    """A straight motion-blur kernel of `length` pixels."""
    n = max(3, int(math.ceil(length)) | 1)
    k = np.zeros((n, n), np.float32)
    c = (n - 1) / 2
    a = math.radians(angle_deg)
    for s in np.linspace(-length / 2, length / 2, max(2, int(length * 3))):
        x, y = c + s * math.cos(a), c + s * math.sin(a)
        xi, yi = int(round(x)), int(round(y))
        if 0 <= xi < n and 0 <= yi < n:
            k[yi, xi] += 1
    return k / k.sum()


def finger(img: np.ndarray, quad: np.ndarray, cover: float, module_px: float, rng: np.random.Generator) -> None:
    """A fingertip (about 16 mm wide: 64 modules of 10 mil) over one edge of the label, reaching `cover` of the way in (in place)."""
    c = quad.mean(axis=0)
    edges = [(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    p, q = edges[int(rng.integers(0, 4))]
    mid = (p + q) / 2
    inward = c - mid
    depth = float(np.linalg.norm(inward))
    inward /= max(depth, 1e-6)
    along = (q - p) / max(float(np.linalg.norm(q - p)), 1e-6)
    width = 64 * module_px
    t = float(rng.uniform(-0.3, 0.3)) * float(np.linalg.norm(q - p))
    tip = mid + along * t + inward * (cover * 2 * depth)
    base = tip - inward * 6 * width
    mask = np.zeros(img.shape, np.uint8)
    cv2.line(mask, tuple(int(v) for v in base), tuple(int(v) for v in tip), 255, max(3, int(width * 0.55)))
    cv2.circle(mask, tuple(int(v) for v in tip), max(2, int(width * 0.275)), 255, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5).astype(np.float32) / 255.0
    skin = float(rng.uniform(110, 190))
    yy, xx = np.mgrid[0:img.shape[0], 0:img.shape[1]].astype(np.float32)
    shade = skin * (0.8 + 0.2 * np.sin((xx * along[0] + yy * along[1]) / max(width, 1) * 3))
    img[:] = np.clip(img * (1 - mask) + shade * mask, 0, 255).astype(np.uint8)


def specular(img: np.ndarray, quad: np.ndarray, rng: np.random.Generator) -> None:
    """Glossy laminate: a veil over the label plus a saturated highlight streak (in place)."""
    h, w = img.shape
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    veil = float(rng.uniform(30, 90))
    f = img.astype(np.float32)
    m = mask.astype(np.float32) / 255.0
    f = f * (1 - m) + (f * (1 - veil / 255) + veil) * m
    c = quad.mean(axis=0) + rng.uniform(-0.25, 0.25, 2) * (quad.max(axis=0) - quad.min(axis=0))
    size = float(np.linalg.norm(quad[2] - quad[0]))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = float(rng.uniform(0, math.pi))
    u = (xx - c[0]) * math.cos(a) + (yy - c[1]) * math.sin(a)
    v = -(xx - c[0]) * math.sin(a) + (yy - c[1]) * math.cos(a)
    long_s, short_s = size * float(rng.uniform(0.2, 0.45)), size * float(rng.uniform(0.03, 0.09))
    streak = np.exp(-(u * u) / (2 * long_s ** 2) - (v * v) / (2 * short_s ** 2)) * float(rng.uniform(180, 320))
    f = f + streak * m
    img[:] = np.clip(f, 0, 255).astype(np.uint8)


def webcam(img: np.ndarray, rng: np.random.Generator, *, noise: float = 2.5, quality: tuple[int, int] = (70, 90), blur: float = 0.6) -> np.ndarray:
    """A webcam's finish: optics, sensor noise and MJPEG compression; returns BGR."""
    f = cv2.GaussianBlur(img.astype(np.float32), (0, 0), blur)
    f = f + rng.normal(0, noise, f.shape).astype(np.float32)
    bgr = cv2.cvtColor(np.clip(f, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(quality[0], quality[1] + 1))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def plan_frames(n_per_condition: int, seed: int = 11) -> list[WideFrame]:
    """Every condition, n frames each; kinds in turn where the condition does not fix one."""
    rng = np.random.default_rng(seed)
    specs: list[WideFrame] = []
    i = 0
    for cond in CONDITIONS:
        for k in range(n_per_condition):
            res = ((1280, 720), (1920, 1080), (640, 480))[k % 3]
            if cond == "arm1080":
                res = (1920, 1080)
            w, h = res
            # Paired sets: "code128" and "both" frames share their seeds, so they differ only by the QR.
            fseed = int(rng.integers(0, 2**31)) if cond != "both" else specs[i - n_per_condition].seed
            frame = WideFrame(f"{i:04d}_{cond}_{w}x{h}", w, h, cond, seed=fseed)
            r = np.random.default_rng(fseed)
            kind = {"code128": "code128", "both": "both", "datamatrix": "datamatrix"}.get(cond, KINDS[(k + i) % len(KINDS)])
            scale = w / 1280
            module = float(r.uniform(1.8, 3.0)) * scale
            if kind in ("qr", "datamatrix"):
                module = float(r.uniform(2.0, 3.2)) * scale
            angle = float(r.uniform(-25, 25))
            tilt = float(r.uniform(0, 0.25))
            p: dict[str, float] = {}
            if cond == "curved":
                p["bend"] = float(r.uniform(1.2, 2.4))
            elif cond == "laminate":
                pass
            elif cond == "finger":
                p["cover"] = float(r.uniform(0.12, 0.3))
            elif cond == "arm1080":
                module = float(r.uniform(1.0, 1.7)) if kind not in ("qr", "datamatrix") else float(r.uniform(1.3, 2.2))
            elif cond == "defocus":
                p["radius"] = float(r.uniform(1.2, 3.0)) * scale
            elif cond == "motion30":
                p["length"] = float(r.uniform(5, 16)) * scale
                p["dir"] = float(r.uniform(0, 180))
            elif cond == "lowlight":
                p["gain"] = float(r.uniform(0.08, 0.2))
            elif cond == "rotation360":
                angle = float(r.uniform(0, 360))
            elif cond in ("code128", "both"):
                module = float(r.uniform(1.2, 2.6)) * scale
                angle = float(r.uniform(-40, 40))
                p["blur"] = float(r.uniform(0.3, 1.4)) * scale
            elif cond == "datamatrix":
                module = float(r.uniform(1.4, 3.0)) * scale
                angle = float(r.uniform(0, 360))
                p["blur"] = float(r.uniform(0.3, 1.0)) * scale
            if cond != "none":
                tag = scan_synth.tag_text(r)
                frame.labels.append(WideLabel(tag, kind, module, angle, tilt))
            frame.params = p
            specs.append(frame)
            i += 1
    return specs


def make_frame(spec: WideFrame) -> np.ndarray:
    """Render one frame of the plan as BGR (deterministic from its seed)."""
    rng = np.random.default_rng(spec.seed + 1)
    scene = background(rng, spec.width, spec.height)
    p = spec.params
    quads = []
    for lab_spec in spec.labels:
        lab = _at_scale(render_label(lab_spec.kind, lab_spec.tag), 4, lab_spec.module_px)
        alpha = None
        if spec.condition == "curved":
            lab, alpha = curve(lab, p["bend"])
        lh, lw = lab.shape
        radius = 0.5 * math.hypot(lh, lw)
        cx = float(rng.uniform(radius + 5, max(radius + 6, spec.width - radius - 5)))
        cy = float(rng.uniform(radius + 5, max(radius + 6, spec.height - radius - 5)))
        if spec.condition == "motion30":
            layer = scene.copy()
            quad = place(layer, lab, alpha, (cx, cy), lab_spec.angle_deg, lab_spec.tilt, rng)
            inside = np.zeros(scene.shape, np.float32)
            cv2.fillConvexPoly(inside, quad.astype(np.int32), 1.0)
            k = line_kernel(p["length"], p["dir"])
            moved = cv2.filter2D(layer.astype(np.float32) * inside, -1, k)
            m = cv2.filter2D(inside, -1, k)
            scene[:] = np.clip(scene * (1 - m) + moved, 0, 255).astype(np.uint8)
        else:
            quad = place(scene, lab, alpha, (cx, cy), lab_spec.angle_deg, lab_spec.tilt, rng)
        quads.append(quad)
    for quad, lab_spec in zip(quads, spec.labels, strict=True):
        if spec.condition == "laminate":
            specular(scene, quad, rng)
        elif spec.condition == "finger":
            finger(scene, quad, p["cover"], lab_spec.module_px, rng)
    if spec.condition == "defocus":
        scene = cv2.filter2D(scene, -1, disk_kernel(p["radius"]))
    if "blur" in p:
        scene = cv2.GaussianBlur(scene, (0, 0), p["blur"])
    if spec.condition == "lowlight":
        dark = scene.astype(np.float32) * p["gain"]
        # Shot noise grows with the signal, read noise does not; the camera's auto gain then lifts both.
        dark = dark + rng.normal(0, 1.0, dark.shape).astype(np.float32) * np.sqrt(dark + 1.5)
        lifted = np.clip(dark * (0.55 / p["gain"]), 0, 255).astype(np.uint8)
        return webcam(lifted, rng, noise=1.0, quality=(35, 60), blur=0.5)
    return webcam(scene, rng)


def write_set(folder: Path, n_per_condition: int, seed: int = 11) -> list[WideFrame]:
    """Render the plan into `folder` as PNGs plus labels.json (file name -> texts, condition, labels)."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = plan_frames(n_per_condition, seed)
    labels = {}
    for spec in specs:
        cv2.imwrite(str(folder / f"{spec.name}.png"), make_frame(spec))
        labels[f"{spec.name}.png"] = {"texts": spec.texts, "condition": spec.condition,
                                      "labels": [asdict(lab) for lab in spec.labels], "params": spec.params}
    (folder / "labels.json").write_text(json.dumps(labels, indent=1))
    return specs
