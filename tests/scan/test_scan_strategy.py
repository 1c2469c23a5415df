"""The strategy reads what zxing-cpp alone misses (tilted, skewed, small, inverted labels) and invents nothing."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scan_frames import empty_frame, label_frame

from kiosk.scan.engines import ZxingEngine
from kiosk.scan.pipeline import ScanPipeline
from kiosk.scan.regions import propose_regions

ALONE = ZxingEngine(["Code128", "Code39", "QRCode", "DataMatrix"])


def zxing_alone(frame: np.ndarray) -> list[str]:
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [r.text for r in ALONE.read(gray, rotate=True, invert=True, downscale=True)]


@pytest.mark.parametrize("fmt", ["Code128", "Code39"])
@pytest.mark.parametrize(("angle", "tilt"), [(30.0, 0.0), (-40.0, 0.0), (45.0, 0.0), (35.0, 0.5)])
def test_a_tilted_laptop_tag_that_zxing_alone_misses_is_read(pipeline: ScanPipeline, fmt: str, angle: float, tilt: float) -> None:
    frame = label_frame("DS104233", fmt, angle=angle, tilt=tilt)
    assert zxing_alone(frame) == []  # the case is hard for the engine on its own
    assert [c.tag for c in pipeline.decode(frame, "thorough")] == ["DS104233"]


@pytest.mark.parametrize(("fmt", "module"), [("Code128", 1.2), ("Code39", 1.5), ("DataMatrix", 1.6)])
def test_a_small_far_away_tag_is_upscaled_and_read(pipeline: ScanPipeline, fmt: str, module: float) -> None:
    frame = label_frame("DS104233", fmt, module=module, angle=4, size=(1280, 720), seed=11)
    assert zxing_alone(frame) == []
    assert [c.tag for c in pipeline.decode(frame, "thorough")] == ["DS104233"]


def test_a_white_on_black_tag_is_read(pipeline: ScanPipeline) -> None:
    frame = label_frame("DS220001", "Code39", inverted=True, angle=3, seed=12)
    assert zxing_alone(frame) == []
    assert [c.tag for c in pipeline.decode(frame, "thorough")] == ["DS220001"]


def test_the_region_finder_reports_a_bar_codes_orientation() -> None:
    gray = cv2.cvtColor(label_frame("DS104233", "Code128", angle=30.0), cv2.COLOR_BGR2GRAY)
    best = propose_regions(gray)[0]
    assert best.linear
    assert abs(abs(best.angle_deg) - 30.0) < 6.0 or abs(abs(best.angle_deg) - 150.0) < 6.0


def test_two_labels_on_one_frame_are_both_read(pipeline: ScanPipeline) -> None:
    import scan_synth

    spec = scan_synth.FrameSpec(
        "two", 1280, 720, "two",
        [scan_synth.LabelSpec("DS100001", "Code128", 2.5, 10), scan_synth.LabelSpec("DS100002", "QRCode", 4.0, -20)],
        seed=21,
    )
    assert sorted(c.tag or "" for c in pipeline.decode(scan_synth.make_frame(spec), "thorough")) == ["DS100001", "DS100002"]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("mode", ["live", "thorough"])
def test_a_desk_with_no_label_gives_nothing(pipeline: ScanPipeline, seed: int, mode: str) -> None:
    assert pipeline.decode(empty_frame(seed=seed), mode) == []  # type: ignore[arg-type]


def test_live_mode_keeps_to_its_budget_and_spreads_work_over_frames() -> None:
    pipe = ScanPipeline()
    frame = label_frame("DS104233", "Code39", angle=35.0, size=(1280, 720))
    results = [pipe.decode_detailed(frame, "live") for _ in range(6)]
    second_steps = {tuple(s for s in r.steps_run if s != "full") for r in results}
    assert len(second_steps) > 1  # a different idea was tried on consecutive frames
    assert any(c.tag == "DS104233" for r in results for c in r.codes)


def test_payloads_that_fail_the_rule_come_back_as_rejections(pipeline: ScanPipeline) -> None:
    result = pipeline.decode_detailed(label_frame("hello world", "QRCode", module=5.0), "thorough")
    assert result.codes == []
    assert [r.text for r in result.rejections] == ["hello world"]
    assert "does not look like an asset tag" in result.rejections[0].reason
