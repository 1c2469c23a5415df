"""USB keyboard-wedge scanners against people typing at the kiosk."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.scan.wedge import WedgeDetector, WedgeScan


def feed(detector: WedgeDetector, text: str, gaps: list[float], start: float = 10.0, enter_gap: float | None = None) -> list[WedgeScan]:
    t = start
    out = []
    for i, ch in enumerate(text):
        if i:
            t += gaps[(i - 1) % len(gaps)]
        if (scan := detector.feed(ch, t)) is not None:
            out.append(scan)
    t += enter_gap if enter_gap is not None else gaps[0]
    if (scan := detector.feed("Enter", t)) is not None:
        out.append(scan)
    return out


def test_a_scanner_burst_ending_in_enter_is_a_scan() -> None:
    scans = feed(WedgeDetector(), "DS104233", [0.004])
    assert [s.text for s in scans] == ["DS104233"]
    assert scans[0].duration < 0.05


def test_a_jittery_bluetooth_scanner_still_counts() -> None:
    assert [s.text for s in feed(WedgeDetector(), "DS104233", [0.003, 0.012, 0.006, 0.035])] == ["DS104233"]


def test_a_person_typing_a_tag_and_pressing_enter_is_not_a_scan() -> None:
    assert feed(WedgeDetector(), "DS104233", [0.14, 0.11, 0.18, 0.09]) == []


def test_a_fast_typist_with_a_few_rolled_keys_is_not_a_scan() -> None:
    assert feed(WedgeDetector(), "thethe", [0.02, 0.09, 0.015, 0.1, 0.03]) == []


def test_a_pause_inside_the_burst_breaks_it() -> None:
    # Only the two keys after the pause form a burst, too short to be a scan.
    assert feed(WedgeDetector(), "DS104233", [0.004] * 5 + [0.5, 0.004]) == []


def test_enter_long_after_the_burst_is_not_a_scan() -> None:
    assert feed(WedgeDetector(), "DS104233", [0.004], enter_gap=0.8) == []


def test_too_short_bursts_and_editing_keys_are_ignored() -> None:
    d = WedgeDetector()
    assert feed(d, "ab", [0.003]) == []
    d.feed("D", 1.0)
    d.feed("S", 1.004)
    assert d.pending == "DS"
    d.feed("Backspace", 1.008)
    assert d.pending == ""


def test_two_scans_in_a_row_are_both_recognised() -> None:
    d = WedgeDetector()
    first = feed(d, "DS000001", [0.004], start=1.0)
    second = feed(d, "DS000002", [0.004], start=1.2)
    assert [s.text for s in first + second] == ["DS000001", "DS000002"]


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=40),
    st.lists(st.floats(0.001, 0.02), min_size=1, max_size=10),
)
def test_any_scanner_speed_burst_is_recognised(text: str, gaps: list[float]) -> None:
    assert [s.text for s in feed(WedgeDetector(), text, gaps)] == [text]


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=3, max_size=40),
    st.lists(st.floats(0.06, 0.4), min_size=1, max_size=10),
)
def test_human_speed_typing_is_never_a_scan(text: str, gaps: list[float]) -> None:
    assert feed(WedgeDetector(), text, gaps) == []
