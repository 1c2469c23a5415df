"""Debounce and confirmation with a fake clock: a held label fires once, a new one at once, a 1D read waits for a second frame."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.scan.clock import FakeClock
from kiosk.scan.debounce import Confirmer, Debouncer, RepeatFilter
from kiosk.scan.model import Code
from kiosk.scan.pipeline import DecodeResult, ScanPipeline
from kiosk.scan.session import LiveScanner
from kiosk.scan.wedge import WedgeInput, WedgeScan


def test_a_label_held_in_front_of_the_camera_fires_once(fake_clock: FakeClock) -> None:
    d = Debouncer(gap_s=1.5, clock=fake_clock)
    fired = []
    for _ in range(90):  # three seconds at 30 fps
        fired.append(d.accept("DS104233"))
        fake_clock.advance(1 / 30)
    assert fired.count(True) == 1 and fired[0]


def test_a_different_label_fires_at_once(fake_clock: FakeClock) -> None:
    d = Debouncer(gap_s=1.5, clock=fake_clock)
    assert d.accept("DS104233")
    fake_clock.advance(0.05)
    assert d.accept("DS104234")


def test_the_same_label_shown_again_after_the_gap_fires_again(fake_clock: FakeClock) -> None:
    d = Debouncer(gap_s=1.5, clock=fake_clock)
    assert d.accept("DS104233")
    fake_clock.advance(1.0)
    assert not d.accept("DS104233")  # still within the gap
    fake_clock.advance(1.6)
    assert d.accept("DS104233")


def test_gap_is_configurable_and_validated(fake_clock: FakeClock) -> None:
    d = Debouncer(gap_s=0.2, clock=fake_clock)
    assert d.accept("A1B2")
    fake_clock.advance(0.25)
    assert d.accept("A1B2")
    with pytest.raises(ValueError):
        Debouncer(gap_s=-1)


def code(text: str, fmt: str = "Code39", engines: frozenset[str] = frozenset({"zxing-cpp"})) -> Code:
    return Code(text, fmt, "zxing-cpp", text, (), engines)


def test_a_single_engine_1d_read_needs_a_second_frame(fake_clock: FakeClock) -> None:
    c = Confirmer(window_s=1.0, clock=fake_clock)
    assert c.feed([code("DS104233")]) == []
    fake_clock.advance(0.033)
    assert [x.text for x in c.feed([code("DS104233")])] == ["DS104233"]


def test_a_second_read_of_the_same_camera_frame_confirms_nothing(fake_clock: FakeClock) -> None:
    # Live mode may decode an earlier, sharper view of a label again; only another frame is a confirmation.
    c = Confirmer(window_s=1.0, clock=fake_clock)
    first = Code("DS104233", "Code128", "zxing-cpp", "DS104233", (), frozenset({"zxing-cpp"}), frame=7)
    assert c.feed([first]) == []
    fake_clock.advance(0.033)
    assert c.feed([first]) == []  # frame 7 again (read from the stored view)
    fake_clock.advance(0.033)
    later = Code("DS104233", "Code128", "zxing-cpp", "DS104233", (), frozenset({"zxing-cpp"}), frame=9)
    assert [x.frame for x in c.feed([later])] == [9]


def test_a_1d_read_both_engines_agree_on_fires_at_once(fake_clock: FakeClock) -> None:
    c = Confirmer(clock=fake_clock)
    assert [x.text for x in c.feed([code("DS104233", engines=frozenset({"zxing-cpp", "zbar"}))])] == ["DS104233"]


def test_2d_codes_fire_at_once_and_stale_1d_reads_expire(fake_clock: FakeClock) -> None:
    c = Confirmer(window_s=0.5, clock=fake_clock)
    assert [x.text for x in c.feed([code("DS1", "QRCode")])] == ["DS1"]
    assert c.feed([code("DS104233")]) == []
    fake_clock.advance(2.0)
    assert c.feed([code("DS104233")]) == []  # the first sighting expired; this one starts over


class _ScriptedPipeline(ScanPipeline):
    """A pipeline that returns pre-set codes, one list per frame."""

    def __init__(self, script: list[list[Code]]) -> None:
        super().__init__(zbar_auto=False)
        self.script = script

    def decode_detailed(self, frame: np.ndarray, mode: str = "live") -> DecodeResult:  # type: ignore[override]
        return DecodeResult(self.script.pop(0), [], 1.0, {}, ["full"])


def test_live_scanner_turns_a_held_1d_label_into_one_event(fake_clock: FakeClock) -> None:
    seen = [code("DS104233")]
    scanner = LiveScanner(_ScriptedPipeline([seen] * 30), clock=fake_clock)
    frame = np.zeros((10, 10), np.uint8)
    events = []
    for _ in range(30):
        events += scanner.process(frame)
        fake_clock.advance(1 / 30)
    assert [(e.tag, e.source) for e in events] == [("DS104233", "camera")]


def test_wedge_scans_go_through_the_rule_and_debounce(fake_clock: FakeClock) -> None:
    scanner = LiveScanner(ScanPipeline(zbar_auto=False), clock=fake_clock)
    first = scanner.wedge(WedgeScan("DS104233", 0.0, 0.1))
    assert first is not None and getattr(first, "tag", None) == "DS104233"
    assert scanner.wedge(WedgeScan("DS104233", 0.2, 0.3)) is None
    refused = scanner.wedge(WedgeScan("hello", 0.0, 0.1))
    assert refused is not None and "does not look like an asset tag" in getattr(refused, "reason", "")


# --- the repeat rule: per source, identical payload only ------------------------------------------------------


def test_an_audit_scanning_different_tags_50_ms_apart_loses_none(fake_clock: FakeClock) -> None:
    r = RepeatFilter(gap_s=1.5, clock=fake_clock)
    tags = [f"DS1042{n:02d}" for n in range(20)]
    fired = []
    for tag in tags:
        fired.append(r.accept("wedge", tag))
        fake_clock.advance(0.05)
    assert fired == [True] * 20


def test_the_same_payload_from_the_same_source_within_the_window_is_a_repeat(fake_clock: FakeClock) -> None:
    r = RepeatFilter(gap_s=1.5, clock=fake_clock)
    assert r.accept("wedge", "DS104233")
    fake_clock.advance(0.05)
    assert not r.accept("wedge", "DS104233")  # a wedge burst sent twice
    assert not r.accept("wedge", " DS104233\n")  # the same payload, only its surrounding white space differs
    fake_clock.advance(1.6)
    assert r.accept("wedge", "DS104233")  # scanned again on purpose, after the window


def test_the_same_tag_from_another_source_or_another_payload_is_not_a_repeat(fake_clock: FakeClock) -> None:
    r = RepeatFilter(gap_s=1.5, clock=fake_clock)
    assert r.accept("camera", "DS104233")
    fake_clock.advance(0.05)
    assert r.accept("wedge", "DS104233")  # the camera just saw it: the technician's scan still counts
    assert r.accept("wedge", "ds104233")  # not the identical payload
    fake_clock.advance(0.05)
    assert not r.accept("camera", "DS104233")


def test_a_label_held_to_the_camera_stays_one_scan_while_it_is_seen(fake_clock: FakeClock) -> None:
    r = RepeatFilter(gap_s=1.5, clock=fake_clock)
    fired = []
    for _ in range(150):  # five seconds at 30 fps: always within the window of the frame before
        fired.append(r.accept("camera", "DS104233"))
        fake_clock.advance(1 / 30)
    assert fired.count(True) == 1


def test_the_screens_wedge_path_applies_the_tag_rule_then_the_repeat_rule(fake_clock: FakeClock) -> None:
    from kiosk.scan.model import Rejection, ScanEvent
    from kiosk.scan.tag_rule import TagRule

    w = WedgeInput(TagRule(), clock=fake_clock)
    events = []
    for text in ("DS104233", "DS104233", "DS104234", "hello", "DS104235"):
        events.append(w.feed(text))
        fake_clock.advance(0.05)
    first, again, other, refused, third = events
    assert isinstance(first, ScanEvent) and (first.tag, first.source) == ("DS104233", "wedge")
    assert again is None
    assert isinstance(other, ScanEvent) and other.tag == "DS104234"
    assert isinstance(refused, Rejection) and "does not look like an asset tag" in refused.reason
    assert isinstance(third, ScanEvent) and third.tag == "DS104235"


def test_the_live_scanner_and_the_screens_share_the_wedge_path(fake_clock: FakeClock) -> None:
    scanner = LiveScanner(ScanPipeline(zbar_auto=False), clock=fake_clock)
    assert scanner.wedge(WedgeScan("DS104233", 0.0, 0.1)) is not None
    fake_clock.advance(0.05)
    assert scanner.wedge(WedgeScan("DS104234", 0.1, 0.2)) is not None  # a different tag 50 ms later
    assert scanner.wedge_input.repeats is scanner.repeats  # the camera and the wedge: one rule, keyed by source


def test_a_label_the_camera_just_saw_can_still_be_scanned_with_the_usb_scanner(fake_clock: FakeClock) -> None:
    seen = [code("DS104233", "QRCode")]
    scanner = LiveScanner(_ScriptedPipeline([seen] * 3), clock=fake_clock)
    assert [e.source for e in scanner.process(np.zeros((10, 10), np.uint8))] == ["camera"]
    fake_clock.advance(0.1)
    event = scanner.wedge(WedgeScan("DS104233", 0.0, 0.05))
    assert event is not None and getattr(event, "source", None) == "wedge"
