"""Value types shared by the scanning pipeline: decoded codes, rejections and scan events."""

from __future__ import annotations

from dataclasses import dataclass, field

# Canonical symbology names used throughout the kiosk (and in `scan-image --json`).
CODE128 = "Code128"
CODE39 = "Code39"
QR_CODE = "QRCode"
DATA_MATRIX = "DataMatrix"
DEFAULT_FORMATS: tuple[str, ...] = (CODE128, CODE39, QR_CODE, DATA_MATRIX)
LINEAR_FORMATS: frozenset[str] = frozenset(
    {CODE128, CODE39, "Code93", "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar"}
)

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class RawRead:
    """One symbol as an engine reported it, in the coordinates of the frame that was decoded."""

    text: str
    format: str
    engine: str
    polygon: tuple[Point, ...] = ()


@dataclass(frozen=True, slots=True)
class Code:
    """A decoded symbol whose payload passed the tag rule.

    `tag` is the asset tag the payload carries (directly or inside a URL), or None for
    accepted non-tag payloads such as room labels (`ROOM:<uuid>`).
    `engines` lists every engine that produced the same text on this frame; a linear code
    read by a single engine is `needs_confirmation` until a second frame agrees.
    """

    text: str
    format: str
    engine: str
    tag: str | None = None
    polygon: tuple[Point, ...] = ()
    engines: frozenset[str] = field(default_factory=frozenset)
    frame: int = 0  # the live frame (serial) it was read from: a second frame's confirmation must come from another


    @property
    def is_linear(self) -> bool:
        return self.format in LINEAR_FORMATS

    @property
    def needs_confirmation(self) -> bool:
        return self.is_linear and len(self.engines) < 2

    @property
    def key(self) -> str:
        """Identity used by debounce and confirmation: the tag if any, else the payload."""
        return self.tag if self.tag is not None else self.text


@dataclass(frozen=True, slots=True)
class Rejection:
    """A payload the scanner refused, with a reason the UI can show."""

    text: str
    format: str
    engine: str
    reason: str


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """A scan the rest of the kiosk acts on: fired once per presentation of a code."""

    text: str
    tag: str | None
    format: str
    source: str  # "camera", "wedge" or "file"
    engine: str
    timestamp: float
