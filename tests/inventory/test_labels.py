"""Labels: real stock geometry, printer-dot symbol sizes, and the round trip PDF -> image -> ScanPipeline."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pypdfium2 as pdfium
import pytest
from sqlalchemy import select

from kiosk.domain import devices
from kiosk.domain import labels as L
from kiosk.domain.db import Database
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import Campus, Device, Room
from kiosk.scan.model import CODE128, QR_CODE
from kiosk.scan.pipeline import ScanConfig, ScanPipeline
from kiosk.scan.tag_rule import TagRule

MM = L.PT_PER_MM
IN = L.PT_PER_IN


def _pdf(labels: list[L.Label], stock: str, code: L.CodeChoice, **kw: object) -> tuple[bytes, list[L.PlacedLabel]]:
    buf = io.BytesIO()
    placed = L.render_pdf(labels, stock, buf, code=code, district="Demo Springs ISD", **kw)  # type: ignore[arg-type]
    return buf.getvalue(), placed


def _decode_pages(pdf: bytes, dpi: int, blur: float = 0.0) -> list[Counter[tuple[str, str]]]:
    """Render every page at ``dpi`` (as a printer or a camera would see it) and decode it with the kiosk pipeline."""
    import cv2

    doc = pdfium.PdfDocument(pdf)
    # The kiosk's own strategy and engines; a tighter budget than the default 2 s only makes the test stricter
    # (good labels are read by the first, whole-frame pass) and keeps it fast.
    pipeline = ScanPipeline(ScanConfig(thorough_budget_ms=600), TagRule())
    found = []
    for page in doc:
        img = np.ascontiguousarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        if blur:
            img = cv2.GaussianBlur(img, (0, 0), blur)
        found.append(Counter((c.text, c.format) for c in pipeline.decode(img, "thorough")))
    return found


def _expected(label: L.Label, code: L.CodeChoice) -> list[tuple[str, str]]:
    if isinstance(label, L.RoomLabel):
        return [(label.payload, QR_CODE)]
    formats = {"code128": [CODE128], "qr": [QR_CODE], "both": [CODE128, QR_CODE]}[code]
    return sorted((label.tag, f) for f in formats)


def _assert_round_trip(placed: list[L.PlacedLabel], found: list[Counter[tuple[str, str]]],
                       code: L.CodeChoice) -> None:
    """Page by page, every payload comes back exactly once per symbol: none missing, none extra, none altered."""
    assert len(found) == max(p.page for p in placed) + 1
    for page, got in enumerate(found):
        want = Counter(x for p in placed if p.page == page for x in _expected(p.label, code))
        assert got == want, f"page {page + 1}: missing {want - got}, extra {got - want}"


# ---------------------------------------------------------------------------------------------
# The round trip
# ---------------------------------------------------------------------------------------------


def test_a_full_letter_sheet_of_asset_and_room_labels_scans_back_exactly(district: Database) -> None:
    """A technician prints 24 asset labels and 6 room labels on one Avery 5160 sheet, Code128 and QR."""
    with district.unit() as ctx:
        tags = list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag).limit(24)))
        items: list[L.Label] = list(L.device_labels(ctx.session, tags, line="room"))
        items += L.room_labels(ctx.session, "LE01")[:6]
        rooms = {r.id for r in ctx.session.scalars(select(Room).join(Campus).where(Campus.code == "LE01"))}
    assert all(isinstance(i, L.DeviceLabel) and i.line for i in items[:24])
    assert all(isinstance(i, L.RoomLabel) and i.room_id in rooms for i in items[24:])
    pdf, placed = _pdf(items, "avery5160", "both")
    assert {p.page for p in placed} == {0}
    _assert_round_trip(placed, _decode_pages(pdf, dpi=300), "both")


def test_a_thermal_roll_of_code128_labels_scans_back_at_203_dpi(district: Database) -> None:
    """Devices registered today print on a Brother 62 mm roll; rasterized at a thermal printer's 203 dpi."""
    with district.unit() as ctx:
        for tag, room in (("NEW-0001", "Library"), ("NEW-0002", "A101"), ("NEW-0003", "Lab 1")):
            devices.register(ctx, tag, category="chromebook", campus="LE01", room=room, manufacturer="Dell",
                             model="Chromebook 3120")
    with district.unit() as ctx:
        items: list[L.Label] = list(L.registered_on_labels(ctx.session, L.local_today(ctx.session, ctx.clock.now())))
        items += L.room_labels(ctx.session, "LE01", "Library")
    assert [i.payload for i in items[:3]] == ["NEW-0001", "NEW-0002", "NEW-0003"]
    pdf, placed = _pdf(items, "brother62", "code128")
    assert [p.page for p in placed] == [0, 1, 2, 3]  # a roll: one label per page
    _assert_round_trip(placed, _decode_pages(pdf, dpi=203), "code128")


def test_qr_only_a4_labels_survive_a_soft_webcam_like_image(district: Database) -> None:
    """L7160 QR labels, rendered coarse (150 dpi) and blurred, still decode: a webcam sees about that much."""
    with district.unit() as ctx:
        tags = list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag.desc()).limit(5)))
        items: list[L.Label] = list(L.device_labels(ctx.session, tags, line="model"))
    assert all(isinstance(i, L.DeviceLabel) and i.line for i in items)
    pdf, placed = _pdf(items, "l7160", "qr", skip=4)
    assert placed[0].box == L.SHEETS["l7160"].box(4)
    _assert_round_trip(placed, _decode_pages(pdf, dpi=150, blur=0.8), "qr")


def test_a_dymo_label_with_both_codes_scans_back_at_300_dpi() -> None:
    items: list[L.Label] = [L.DeviceLabel("DS100123", "Dell Latitude 3540"), L.DeviceLabel("HS-LIB-0042")]
    pdf, placed = _pdf(items, "dymo30252", "both")
    _assert_round_trip(placed, _decode_pages(pdf, dpi=300), "both")


# ---------------------------------------------------------------------------------------------
# Geometry and sizing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "page", "label", "count"),
    [
        ("avery5160", (8.5 * IN, 11 * IN), (2.625 * IN, 1 * IN), 30),
        ("l7160", (210 * MM, 297 * MM), (63.5 * MM, 38.1 * MM), 21),
        ("avery5163", (8.5 * IN, 11 * IN), (4 * IN, 2 * IN), 10),
        ("dymo30252", (3.5 * IN, 1.125 * IN), (3.5 * IN, 1.125 * IN), 1),
        ("brother62", (62 * MM, 32 * MM), (62 * MM, 32 * MM), 1),
    ],
)
def test_stock_dimensions_are_the_published_ones_and_labels_stay_on_the_page(
    key: str, page: tuple[float, float], label: tuple[float, float], count: int
) -> None:
    s = L.SHEETS[key]
    assert (s.page_w, s.page_h) == pytest.approx(page)
    assert (s.label_w, s.label_h) == pytest.approx(label)
    assert s.per_page == count
    boxes = [s.box(i) for i in range(s.per_page)]
    for x, y, w, h in boxes:
        assert x >= -1e-6 and y >= -1e-6 and x + w <= s.page_w + 1e-6 and y + h <= s.page_h + 1e-6
    for i, a in enumerate(boxes):  # no two labels overlap
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] + 1e-6 or b[0] + b[2] <= a[0] + 1e-6 or \
                a[1] + a[3] <= b[1] + 1e-6 or b[1] + b[3] <= a[1] + 1e-6
    if not s.roll:  # the label block is centred left-right, as on the real sheets
        right = s.page_w - (boxes[-1][0] + boxes[-1][2])
        assert right == pytest.approx(s.left, abs=0.2 * MM)


@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_bars_and_qr_modules_are_whole_printer_dots(dpi: int) -> None:
    x = L.code128_module_pt(101, 3 * IN, dpi)
    assert x is not None
    dots = x / IN * dpi
    assert dots == pytest.approx(round(dots)) and round(dots) >= L.MIN_DOTS
    assert 0.0095 <= x / IN <= 0.0105  # about 10 mil
    q = L.qr_module_pt(21, 0.9 * IN, dpi)
    assert q is not None and (q / IN * dpi) == pytest.approx(round(q / IN * dpi))
    assert q / IN >= L.QR_MIN_MODULE_IN


def test_a_tag_too_long_for_code128_on_a_small_label_is_refused_before_writing(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "labels.pdf"
    with pytest.raises(InvalidInput, match="too wide"):
        L.render_pdf([L.DeviceLabel("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")], "avery5160", out, code="code128")
    assert not out.exists()
    L.render_pdf([L.DeviceLabel("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")], "avery5160", out, code="qr")
    assert out.exists()


def test_unknown_stock_room_and_empty_selections_are_clear_errors(district: Database) -> None:
    with pytest.raises(InvalidInput, match="avery5160"):
        L.get_sheet("avery9999")
    with district.unit() as ctx:
        with pytest.raises(NotFound):
            L.room_labels(ctx.session, "LE01", "Broom Closet")
        with pytest.raises(NotFound, match="registered on"):
            L.registered_on_labels(ctx.session, L.local_today(ctx.session, ctx.clock.now()))
        with pytest.raises(InvalidInput):
            L.device_labels(ctx.session, ["not a tag!"])
        labels = L.device_labels(ctx.session, ["ds100001", "NOT-YET-1", "DS100001"])
    assert [(x.tag, x.registered) for x in labels] == [("DS100001", True), ("NOT-YET-1", False)]
    with pytest.raises(InvalidInput, match="out of range"):
        L.render_pdf([L.DeviceLabel("DS100001")], "avery5160", io.BytesIO(), dpi=0)
    with pytest.raises(InvalidInput, match="skip"):
        L.layout(L.SHEETS["avery5160"], 3, skip=30)


def test_a_two_page_job_on_avery_5163_scans_back_page_by_page() -> None:
    items: list[L.Label] = [L.DeviceLabel(f"MS-{i:04d}", "MS02 · Gym") for i in range(12)]
    pdf, placed = _pdf(items, "avery5163", "both")
    assert [p.page for p in placed] == [0] * 10 + [1] * 2
    _assert_round_trip(placed, _decode_pages(pdf, dpi=300), "both")
