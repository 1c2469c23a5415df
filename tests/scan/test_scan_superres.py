"""Sub-pixel projection of linear codes (kiosk/scan/superres.py): a Code128 at about one pixel per module that
zxing-cpp alone and the rest of thorough mode miss is read from the averaged profile, and nothing is invented."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
import scan_wide

from kiosk.scan import superres
from kiosk.scan.engines import ZxingEngine
from kiosk.scan.pipeline import IDEAS, ScanConfig, ScanPipeline, to_gray

ALONE = ZxingEngine(["Code128", "Code39", "QRCode", "DataMatrix"])
WITHOUT = ScanPipeline(ScanConfig(ideas=frozenset(IDEAS) - {"superres"}))


def small_label(tag: str, module: float, angle: float, tilt: float, condition: str, params: dict[str, float], seed: int) -> np.ndarray:
    """A product label (Code128 alone) at `module` px per module in a 640x480 webcam frame (tests/bench/scan_wide.py)."""
    spec = scan_wide.WideFrame("t", 640, 480, condition, [scan_wide.WideLabel(tag, "code128", module, angle, tilt)], seed=seed, params=params)
    return scan_wide.make_frame(spec)


# Labels of the wider set's kind at 1.0-1.1 px per module, a few degrees off the pixel grid, slightly tilted, with the
# wider set's extra blur ("code128"); and one at 1.9 px per module smeared over 4 px across its bars ("motion30").
CASES = [
    pytest.param("DS377737", 1.047, -1.84, 0.21, "code128", {"blur": 0.50}, 1839565112, id="1.05px-2deg-tilted"),
    pytest.param("DS775232", 1.065, 7.59, 0.135, "code128", {"blur": 0.553}, 503606823, id="1.07px-8deg"),
    pytest.param("DS425366", 1.01, 2.87, 0.131, "code128", {"blur": 0.368}, 1889036510, id="1.01px-3deg"),
    pytest.param("DS590003", 1.923, -7.7, 0.106, "motion30", {"length": 4.005, "dir": -7.569}, 1922960451, id="motion-4px-across"),
]


@pytest.mark.parametrize(("tag", "module", "angle", "tilt", "condition", "params", "seed"), CASES)
def test_a_code128_at_one_pixel_per_module_is_read_from_its_projected_profile(
    pipeline: ScanPipeline, tag: str, module: float, angle: float, tilt: float, condition: str, params: dict[str, float], seed: int
) -> None:
    frame = small_label(tag, module, angle, tilt, condition, params, seed)
    assert [r.text for r in ALONE.read(to_gray(frame), rotate=True, invert=True, downscale=True)] == []
    assert WITHOUT.decode(frame, "thorough") == []  # every other thorough treatment misses it
    result = pipeline.decode_detailed(frame, "thorough")
    assert [c.tag for c in result.codes] == [tag]
    assert result.found_by[tag].startswith("superres")


def test_the_projection_finds_the_bar_direction_to_a_tenth_of_a_degree() -> None:
    # Bars 1.1 px wide at 3.3 degrees off vertical, blurred like a webcam: the search starts 2.5 degrees off.
    h, w = 60, 200
    yy, xx = np.mgrid[0:h * 8, 0:w * 8].astype(np.float32) / 8.0
    a = math.radians(3.3)
    u = (xx - w / 2) * math.cos(a) + (yy - h / 2) * math.sin(a)
    fine = np.where((np.floor(u / 1.1).astype(int) % 3) == 0, 30.0, 220.0).astype(np.float32)
    img = cv2.GaussianBlur(cv2.resize(fine, (w, h), interpolation=cv2.INTER_AREA), (0, 0), 0.6).astype(np.uint8)
    prof = superres.project(img, (w / 2, h / 2), 0.8, 160.0, 40.0)
    assert prof is not None
    found = math.degrees(math.atan2(prof.axis[1], prof.axis[0]))
    assert abs(found - 3.3) <= 0.15
    # The profile resolves the 3.3-px period that no single row samples finer than a pixel.
    spectrum = np.abs(np.fft.rfft(prof.values - prof.values.mean()))
    freq = np.fft.rfftfreq(prof.values.size, d=prof.step)
    assert abs(freq[int(np.argmax(spectrum[1:])) + 1] - 1 / 3.3) < 0.02


def test_a_rendered_profile_maps_back_onto_the_frame() -> None:
    prof = superres.Profile(np.zeros(81, np.float32), -5.0, 0.125, (100.0, 50.0), (0.0, 1.0), 20.0)
    back = superres.back_map(prof, rows=40, quiet=80)
    left_middle = back @ np.array([80.0, 20.0, 1.0])  # the profile's first bin, half-way down the image
    assert np.allclose(left_middle, [100.0, 45.0])
