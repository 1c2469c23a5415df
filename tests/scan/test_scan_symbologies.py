"""Each enabled symbology decodes, in both modes, and each engine reports what it can read."""

from __future__ import annotations

import cv2
import pytest
from scan_frames import label_frame

from kiosk.scan import engines
from kiosk.scan.engines import ZxingEngine, make_zbar
from kiosk.scan.pipeline import ScanConfig, ScanPipeline

ROOM = "ROOM:123e4567-e89b-12d3-a456-426614174000"


@pytest.mark.parametrize(
    ("fmt", "text", "tag"),
    [
        ("Code128", "DS104233", "DS104233"),
        ("Code39", "DS104233", "DS104233"),
        ("QRCode", "https://assets.example.org/device?tag=DS104233", "DS104233"),
        ("QRCode", ROOM, None),
        ("DataMatrix", "DS104233", "DS104233"),
    ],
)
@pytest.mark.parametrize("mode", ["live", "thorough"])
def test_a_student_holds_up_each_kind_of_label(pipeline: ScanPipeline, fmt: str, text: str, tag: str | None, mode: str) -> None:
    frame = label_frame(text, fmt, module=3.0 if fmt.startswith("Code") else 5.0, angle=5)
    pipeline.reset()  # the shared pipeline saw other labels; live mode would try its last frames' regions again
    codes = pipeline.decode(frame, mode)  # type: ignore[arg-type]
    assert [(c.text, c.format, c.tag) for c in codes] == [(text, fmt, tag)]


@pytest.mark.parametrize("fmt", ["Code128", "Code39", "QRCode"])
def test_zbar_reads_the_formats_it_supports(fmt: str) -> None:
    zbar = make_zbar(["Code128", "Code39", "QRCode", "DataMatrix"])
    assert zbar is not None
    gray = cv2.cvtColor(label_frame("DS555123", fmt, module=4.0), cv2.COLOR_BGR2GRAY)
    assert [(r.text, r.format, r.engine) for r in zbar.read(gray)] == [("DS555123", fmt, "zbar")]


def test_engines_only_look_for_enabled_formats() -> None:
    gray = cv2.cvtColor(label_frame("DS555123", "QRCode", module=5.0), cv2.COLOR_BGR2GRAY)
    assert ZxingEngine(["Code128"]).read(gray) == []
    zbar = make_zbar(["Code128"])
    assert zbar is not None and zbar.read(gray) == []
    assert [r.text for r in ZxingEngine(["QRCode"]).read(gray)] == ["DS555123"]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        ZxingEngine(["Hieroglyph"])


def test_without_zbar_the_kiosk_still_scans_and_says_so_once(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def no_zbar(formats: object) -> None:
        raise ImportError("Unable to find zbar shared library")

    monkeypatch.setattr(engines, "ZbarEngine", no_zbar)
    monkeypatch.setattr(engines, "_zbar_warned", False)
    with caplog.at_level("WARNING", logger="kiosk.scan.engines"):
        first = ScanPipeline(ScanConfig())
        ScanPipeline(ScanConfig())
    assert first.zbar is None
    assert sum("zbar is not available" in r.message for r in caplog.records) == 1
    assert [c.text for c in first.decode(label_frame("DS104233", "DataMatrix", module=5.0), "thorough")] == ["DS104233"]
