"""Decoder engines: zxing-cpp (primary) and pyzbar (optional second engine), restricted to enabled formats."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np
import zxingcpp

from kiosk.scan.model import CODE39, CODE128, DATA_MATRIX, QR_CODE, RawRead

log = logging.getLogger(__name__)

ZXING = "zxing-cpp"
ZBAR = "zbar"

# Canonical name -> zxing-cpp format name (see zxingcpp.barcode_format_from_str).
_ZXING_NAMES: dict[str, str] = {
    CODE128: "Code128",
    CODE39: "Code39",
    QR_CODE: "QRCode",
    DATA_MATRIX: "DataMatrix",
    "Code93": "Code93",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "ITF",
    "Codabar": "Codabar",
    "PDF417": "PDF417",
    "Aztec": "Aztec",
}
# Canonical name -> zbar symbol name; zbar cannot read DataMatrix, PDF417 (reliably) or Aztec.
_ZBAR_NAMES: dict[str, str] = {
    CODE128: "CODE128",
    CODE39: "CODE39",
    QR_CODE: "QRCODE",
    "Code93": "CODE93",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "I25",
    "Codabar": "CODABAR",
}
_FROM_ZBAR = {v: k for k, v in _ZBAR_NAMES.items()}
# zxing-cpp's binarizers: LocalAverage (default) suits uneven light; on a small, already cut-out
# and equalised crop, a fixed threshold or a global histogram keeps thin blurred bars that the
# local average erases.
BINARIZERS: tuple[str, ...] = ("local", "fixed", "histogram")
_BINARIZERS = {
    "local": zxingcpp.Binarizer.LocalAverage,
    "fixed": zxingcpp.Binarizer.FixedThreshold,
    "histogram": zxingcpp.Binarizer.GlobalHistogram,
}


class Engine(Protocol):
    """A barcode reader working on a grayscale uint8 image."""

    name: str

    def read(self, gray: np.ndarray, *, rotate: bool = True, invert: bool = False, downscale: bool = True) -> list[RawRead]:
        """Decode all symbols of the enabled formats in `gray`."""
        ...


def _canonical_zxing(fmt: Any) -> str:
    name = getattr(fmt, "name", str(fmt))
    for canonical, zx in _ZXING_NAMES.items():
        if zx == name:
            return canonical
    return str(name)


class ZxingEngine:
    """zxing-cpp, the primary engine: fast, and the only one that reads DataMatrix."""

    name = ZXING

    def __init__(self, formats: Iterable[str]) -> None:
        names = [_ZXING_NAMES[f] for f in formats if f in _ZXING_NAMES]
        unknown = [f for f in formats if f not in _ZXING_NAMES]
        if unknown:
            raise ValueError(f"zxing-cpp: unsupported formats {unknown}")
        self.formats = tuple(formats)
        self._formats = zxingcpp.barcode_formats_from_str(",".join(names))

    def read(
        self, gray: np.ndarray, *, rotate: bool = True, invert: bool = False, downscale: bool = True, binarizer: str = "local"
    ) -> list[RawRead]:
        """Decode with zxing-cpp; `binarizer` is "local" (zxing's default), "fixed" or "histogram"."""
        found = zxingcpp.read_barcodes(
            gray,
            formats=self._formats,
            try_rotate=rotate,
            try_invert=invert,
            try_downscale=downscale,
            binarizer=_BINARIZERS[binarizer],
        )
        reads: list[RawRead] = []
        for bc in found:
            if not bc.valid:
                continue
            pos = bc.position
            poly = tuple((float(p.x), float(p.y)) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            reads.append(RawRead(bc.text, _canonical_zxing(bc.format), ZXING, poly))
        return reads


class ZbarEngine:
    """pyzbar over libzbar: a second opinion with a different line-scanning decoder."""

    name = ZBAR

    def __init__(self, formats: Iterable[str]) -> None:
        from pyzbar import pyzbar  # raises ImportError when libzbar is missing

        self._pyzbar = pyzbar
        wanted = [f for f in formats if f in _ZBAR_NAMES]
        self.formats = tuple(wanted)
        self._symbols = [getattr(pyzbar.ZBarSymbol, _ZBAR_NAMES[f]) for f in wanted]

    def read(self, gray: np.ndarray, *, rotate: bool = True, invert: bool = False, downscale: bool = True) -> list[RawRead]:
        if not self._symbols:
            return []
        img = 255 - gray if invert else gray
        reads: list[RawRead] = []
        for d in self._pyzbar.decode(img, symbols=self._symbols):
            try:
                text = d.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            poly = tuple((float(p.x), float(p.y)) for p in d.polygon)
            reads.append(RawRead(text, _FROM_ZBAR.get(d.type, str(d.type)), ZBAR, poly))
        return reads


_zbar_warned = False


def make_zbar(formats: Sequence[str]) -> ZbarEngine | None:
    """The zbar engine, or None (logged once) when pyzbar or libzbar is not installed."""
    global _zbar_warned
    try:
        return ZbarEngine(formats)
    except (ImportError, OSError) as exc:
        if not _zbar_warned:
            log.warning("zbar is not available (%s); scanning with zxing-cpp only", exc)
            _zbar_warned = True
        return None
