"""The wider generated sets (tests/bench/scan_wide.py, scan_holdup.py): deterministic, and never a wrong text.

The benchmarks (tests/bench/bench_scan.py --set wide, bench_holdup.py) run them in full by hand; these are
small samples that keep CI quick.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import scan_holdup
import scan_wide

from kiosk.scan.clock import FakeClock
from kiosk.scan.pipeline import ScanPipeline, to_gray
from kiosk.scan.session import LiveScanner


def test_the_wide_set_is_the_same_every_time() -> None:
    a, b = scan_wide.plan_frames(1, 11), scan_wide.plan_frames(1, 11)
    assert [s.texts for s in a] == [s.texts for s in b]
    assert {s.condition for s in a} == set(scan_wide.CONDITIONS)
    assert np.array_equal(scan_wide.make_frame(a[0]), scan_wide.make_frame(b[0]))


def test_code128_and_both_frames_are_paired() -> None:
    plan = scan_wide.plan_frames(3, 11)
    c128 = [s for s in plan if s.condition == "code128"]
    both = [s for s in plan if s.condition == "both"]
    assert [s.seed for s in c128] == [s.seed for s in both]
    assert [s.texts for s in c128] == [s.texts for s in both]
    assert {lab.kind for s in both for lab in s.labels} == {"both"}


def test_a_curved_label_is_narrower_and_shaded_at_the_edges() -> None:
    lab = scan_wide.render_label("code128", "DS104233")
    bent, _ = scan_wide.curve(lab, 2.0)
    assert bent.shape[0] == lab.shape[0] and bent.shape[1] < lab.shape[1]
    assert bent[:, :5].mean() < bent[:, bent.shape[1] // 2 - 2: bent.shape[1] // 2 + 3].mean()


@pytest.fixture(scope="module")
def sample() -> list[tuple[scan_wide.WideFrame, np.ndarray]]:
    return [(s, scan_wide.make_frame(s)) for s in scan_wide.plan_frames(1, 11)]


def test_no_decoder_mode_returns_a_text_that_is_not_on_the_frame(sample: list[tuple[scan_wide.WideFrame, np.ndarray]]) -> None:
    for spec, frame in sample:
        pipe = ScanPipeline()
        got = set()
        for _ in range(3):
            got |= {c.text for c in pipe.decode(frame, "live")}
        if spec.condition in ("none", "code128", "laminate", "finger"):
            got |= {c.text for c in pipe.decode(frame, "thorough")}
        assert got <= set(spec.texts), spec.name


def test_a_label_held_up_steadily_is_read_within_a_few_frames() -> None:
    spec = next(s for s in scan_holdup.plan(1, 23) if s.condition == "steady" and s.kind == "both")
    hold = scan_holdup.HoldUp(spec)
    clock = FakeClock()
    scanner = LiveScanner(ScanPipeline(), clock=clock)
    events = []
    for i in range(6):
        clock.advance(1 / 30)
        events += scanner.process(hold.frame(i))
    assert [e.tag for e in events] == [spec.tag]


def test_a_blank_sticker_waved_at_the_camera_gives_nothing() -> None:
    spec = next(s for s in scan_holdup.plan(1, 23) if s.condition == "swing" and s.kind == "blank")
    hold = scan_holdup.HoldUp(spec)
    pipe = ScanPipeline()
    for i in range(0, 40, 3):
        assert pipe.decode(hold.frame(i), "live") == []


def test_hold_up_frames_move_and_blur_like_a_hand() -> None:
    spec = next(s for s in scan_holdup.plan(1, 23) if s.condition == "swing" and s.kind == "code128")
    hold = scan_holdup.HoldUp(spec)
    (c0, _, _), (c1, _, _) = hold.pose(0.0), hold.pose(1 / 30)
    assert np.hypot(*(c1 - c0)) > 20  # swung in fast at first
    (c2, _, _), (c3, _, _) = hold.pose(2.5), hold.pose(2.5 + 1 / 30)
    assert np.hypot(*(c3 - c2)) < 10  # then held
    early, late = to_gray(hold.frame(1)), to_gray(hold.frame(80))
    assert cv2.Laplacian(early, cv2.CV_32F).var() < cv2.Laplacian(late, cv2.CV_32F).var()


def test_zxing_cpp_sample_folders_are_read_with_their_expected_text(tmp_path: Path) -> None:
    # The real-photo set (tests/bench/scan_samples.py) reads a zxing-cpp checkout's test/samples; here a tiny
    # stand-in with one readable QR image, one whose text has a control character, and a code-free image.
    import scan_samples
    import zxingcpp

    samples = tmp_path / "test" / "samples"
    (samples / "qrcode-1").mkdir(parents=True)
    (samples / "falsepositives-1").mkdir()
    (samples / "pdf417-1").mkdir()  # not a format the kiosk reads: ignored
    qr = np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("https://example.org/d/DS104233", zxingcpp.QRCode), scale=6))
    cv2.imwrite(str(samples / "qrcode-1" / "1.png"), qr)
    (samples / "qrcode-1" / "1.txt").write_text("https://example.org/d/DS104233")
    cv2.imwrite(str(samples / "qrcode-1" / "2.png"), qr)
    (samples / "qrcode-1" / "2.txt").write_text("line\x1dwith a group separator")
    cv2.imwrite(str(samples / "falsepositives-1" / "1.png"), np.full((40, 40), 200, np.uint8))
    cv2.imwrite(str(samples / "pdf417-1" / "1.png"), qr)
    assert scan_samples.find_root(tmp_path / "nowhere") is None
    root = scan_samples.find_root(tmp_path)
    assert root == samples
    frames, skipped = scan_samples.load(root)
    assert [(f[0], f[1], f[2]) for f in frames] == [
        ("falsepositives-1/1.png", "falsepositives-1", []),
        ("qrcode-1/1.png", "qrcode-1", ["https://example.org/d/DS104233"]),
    ]
    assert skipped == 1
