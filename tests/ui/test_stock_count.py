"""A technician counts the campus's parts by scanning their shelf labels (pytest-qt, offscreen): expected against
counted per part, an unknown label refused without losing the count, undo, then Apply writes one adjustment per
part that differs to the append-only ledger, with the count in its note. The shelf labels carry PART:<code>."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtTest import QTest
from sqlalchemy import select

from kiosk.domain import label_work, labels, parts
from kiosk.domain.db import Actor
from kiosk.domain.models import PartMovement, StaffUser

from .conftest import Kiosk
from .shots import save_shot
from .test_technician import sign_in


def _rows(k: Kiosk) -> dict[str, tuple[int, int]]:
    m = k.flow.tech.desk.count_screen.lines
    return {str(m.data(m.index(r, 0))): (int(m.data(m.index(r, 2))), int(m.data(m.index(r, 3))))
            for r in range(m.rowCount())}


def test_a_technician_counts_the_shelf_by_scanning_part_labels_and_applies_it(kiosk: Kiosk, tmp_path: Path) -> None:
    k = kiosk
    campus = k.flow.campus_id
    with k.db.unit() as ctx:
        parts.add_part(ctx, code="KB-3110", name="Keyboard 3110", unit_cost_cents=3200, reorder_level=1)
        parts.add_part(ctx, code="LCD-116", name="LCD panel 11.6in", unit_cost_cents=4500, reorder_level=1)
        parts.add_part(ctx, code="BAT-3110", name="Battery 3110", unit_cost_cents=3900)
        parts.receive(ctx, "KB-3110", 5, campus=campus)
        parts.receive(ctx, "LCD-116", 2, campus=campus)
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    with k.db.unit(Actor(staff_id=tech)) as ctx:  # the shelf labels the count scans
        chosen = label_work.choose(ctx, campus, "parts", "KB-3110, LCD-116")
    assert [x.payload for x in chosen.items] == ["PART:KB-3110", "PART:LCD-116"]
    placed = labels.render_pdf(list(chosen.items), "avery5160", tmp_path / "parts.pdf", code="both",
                               district=chosen.district)
    assert len(placed) == 2 and (tmp_path / "parts.pdf").read_bytes().startswith(b"%PDF")

    sign_in(k, "mlopez")
    t = k.flow.tech
    t.home.repair_desk.emit()
    k.wait_for(t.desk.screen)
    t.desk.screen.count_button.click()
    c = t.desk.count_screen
    k.wait_for(c)
    k.qtbot.waitUntil(lambda: _rows(k) == {"KB-3110": (5, 0), "LCD-116": (2, 0)})
    for _ in range(3):
        k.flow.on_wedge("PART:KB-3110")  # the USB scanner on the shelf labels
        k.idle_workers()
    c.entry.setFocus()
    QTest.keyClicks(c.entry, "lcd-116")  # a label that will not scan: typed
    c.entry.returnPressed.emit()
    k.idle_workers()
    k.flow.on_wedge("PART:BAT-3110")  # in the catalogue, never stocked here: it is on the shelf now
    k.idle_workers()
    k.flow.on_wedge("PART:NOPE-9")  # not in the catalogue: refused, the count kept
    k.qtbot.waitUntil(lambda: c.error_label.isVisible())
    assert "No part NOPE-9 in the catalogue" in c.error_label.text()
    assert _rows(k) == {"BAT-3110": (0, 1), "KB-3110": (5, 3), "LCD-116": (2, 1)}
    k.flow.on_wedge("PART:KB-3110")
    k.idle_workers()
    c.undo_button.click()  # scanned one twice: undone
    k.idle_workers()
    assert _rows(k)["KB-3110"] == (5, 3) and "5 scans" in c.summary.text() and "3 differ" in c.summary.text()
    save_shot(k.window, "desk-09-count-stock")
    with k.db.read() as ctx:
        assert ctx.session.scalars(select(PartMovement).where(PartMovement.reason == "count")).all() == []
    c.apply_button.click()
    k.qtbot.waitUntil(lambda: "Count applied: 3 of 3 parts adjusted" in c.result.text())
    assert "KB-3110 5 → 3" in c.result.text()
    assert _rows(k) == {"BAT-3110": (1, 0), "KB-3110": (3, 0), "LCD-116": (1, 0)}  # the ledger now says so
    with k.db.read() as ctx:
        moves = {(m.delta, m.note, m.actor_id) for m in ctx.session.scalars(
            select(PartMovement).where(PartMovement.reason == "count"))}
        stock = {x.code: x.stock for x in parts.stock_lines(ctx.session, campus=campus) if x.stocked}
    assert moves == {(-2, "counted 3, the ledger had 5", tech), (-1, "counted 1, the ledger had 2", tech),
                     (1, "counted 1, the ledger had 0", tech)}
    assert stock == {"KB-3110": 3, "LCD-116": 1, "BAT-3110": 1}
    c.apply_button.click()  # Apply pressed again with nothing scanned: refused, the shelf is not emptied
    k.qtbot.waitUntil(lambda: c.error_label.isVisible())
    assert "Nothing was scanned" in c.error_label.text()
    with k.db.read() as ctx:
        assert {x.code: x.stock for x in parts.stock_lines(ctx.session, campus=campus) if x.stocked} == stock
