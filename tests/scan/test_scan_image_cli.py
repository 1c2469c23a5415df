"""`kiosk scan-image` on good, code-free and unreadable files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cv2
from scan_frames import empty_frame, label_frame

from kiosk.scan.pipeline import ScanPipeline
from kiosk.scan.scan_image import run_scan_image


def run(paths: list[str], pipeline: ScanPipeline, *, as_json: bool = True, live: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_scan_image(paths, as_json=as_json, live=live, out=out, err=err, pipeline=pipeline)
    return code, out.getvalue(), err.getvalue()


def test_a_technician_checks_a_folder_of_label_photos(tmp_path: Path, pipeline: ScanPipeline) -> None:
    good = tmp_path / "laptop.png"
    cv2.imwrite(str(good), label_frame("https://assets.example.org/d/DS104233", "QRCode", module=4.0))
    blank = tmp_path / "desk.jpg"
    cv2.imwrite(str(blank), empty_frame())
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    missing = tmp_path / "missing.png"

    status, out, err = run([str(good), str(broken), str(blank), str(missing)], pipeline)

    assert status == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(broken), str(blank), str(missing)]
    assert lines[0]["codes"] == [
        {"text": "https://assets.example.org/d/DS104233", "format": "QRCode", "tag": "DS104233", "engine": "zxing-cpp"}
    ]
    assert isinstance(lines[0]["ms"], float)
    assert "error" in lines[1] and "not a readable image" in lines[1]["error"]
    assert lines[2]["codes"] == []
    assert "error" in lines[3]
    assert str(broken) in err and str(missing) in err


def test_all_readable_files_exit_zero_and_live_mode_works(tmp_path: Path, pipeline: ScanPipeline) -> None:
    good = tmp_path / "tag.png"
    cv2.imwrite(str(good), label_frame("DS777001", "DataMatrix", module=5.0))
    status, out, _ = run([str(good)], pipeline, live=True)
    assert status == 0
    assert [c["tag"] for c in json.loads(out)["codes"]] == ["DS777001"]


def test_plain_text_output_and_rejected_payloads(tmp_path: Path, pipeline: ScanPipeline) -> None:
    good = tmp_path / "tag.png"
    cv2.imwrite(str(good), label_frame("DS777001", "Code128"))
    odd = tmp_path / "odd.png"
    cv2.imwrite(str(odd), label_frame("free wifi here", "QRCode", module=4.0))
    status, out, _ = run([str(good), str(odd)], pipeline, as_json=False)
    assert status == 0
    assert f"{good}: DS777001 [Code128, zxing-cpp] tag=DS777001" in out
    assert f"{odd}: no code found" in out
    assert f"{odd}: rejected [QRCode]: 'free wifi here' does not look like an asset tag" in out
