"""Real photographs for the scanning benchmark: zxing-cpp's own test images (Apache-2.0), read from a local copy.

zxing-cpp keeps camera photos and scans of barcodes in its source repository (`test/samples/<format>-<n>/`,
each image beside a `.txt` with the text it carries). No package on PyPI or Debian ships them, so the
benchmark reads them from a folder the user provides (a checkout of zxing-cpp, or only its `test/samples`)
and nothing is copied into this repository. Without that folder the set is skipped with a message.

Only the folders of the formats the kiosk reads are used (Code128, Code39, DataMatrix, QR Code), plus
zxing-cpp's `falsepositives-*` folders as code-free images. An image whose expected text has control
characters is left out: the kiosk refuses such payloads by rule, so it would count as a miss of the rule,
not of the decoder.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import cv2
import numpy as np

FOLDER_FORMATS = {"code128": "Code128", "code39": "Code39", "datamatrix": "DataMatrix", "qrcode": "QRCode", "falsepositives": ""}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")
ENV = "ZXING_CPP_SAMPLES"


def find_root(given: Path | None) -> Path | None:
    """The `test/samples` folder under `given` (or $ZXING_CPP_SAMPLES), or None when there is none."""
    for base in (given, Path(os.environ[ENV]) if os.environ.get(ENV) else None):
        if base is None:
            continue
        for cand in (base, base / "test" / "samples", base / "samples"):
            if cand.is_dir() and any((cand / f"{k}-1").is_dir() for k in FOLDER_FORMATS):
                return cand
    return None


def _printable(text: str) -> bool:
    return bool(text) and not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def load(root: Path) -> tuple[list[tuple[str, str, list[str], np.ndarray, list[str]]], int]:
    """(frames as the benchmark wants them, images left out); condition = the sample folder's name."""
    frames: list[tuple[str, str, list[str], np.ndarray, list[str]]] = []
    skipped = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        kind = folder.name.rsplit("-", 1)[0]
        if kind not in FOLDER_FORMATS:
            continue
        fmt = FOLDER_FORMATS[kind]
        for img_path in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            texts: list[str] = []
            if fmt:
                txt = img_path.with_suffix(".txt")
                if not txt.is_file():
                    skipped += 1
                    continue
                text = txt.read_text(encoding="utf-8", errors="replace")
                if not _printable(text):
                    skipped += 1
                    continue
                texts = [text]
            image = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
            if image is None:
                skipped += 1
                continue
            frames.append((f"{folder.name}/{img_path.name}", folder.name, texts, image, [fmt] if fmt else []))
    return frames, skipped
