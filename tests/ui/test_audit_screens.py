"""Room audit on screen, as a technician does it: scan a room, review, confirm by name, apply, print."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select, update

from kiosk.domain.models import Device, DeviceMove, DeviceStatus, Room

from .conftest import Kiosk
from .test_technician import sign_in


def test_a_technician_audits_the_library_and_the_missing_devices_end_up_missing(kiosk: Kiosk,
                                                                                tmp_path: Path) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        s = ctx.session
        room = s.scalars(select(Room).where(Room.campus_id == k.flow.campus_id, Room.name == "Library")).one()
        s.execute(update(Device).where(Device.room_id == room.id).values(status="in_service"))
        here = list(s.scalars(select(Device).where(Device.room_id == room.id).order_by(Device.asset_tag)))
        while len(here) < 4:
            d = s.scalars(select(Device).where(Device.campus_id == k.flow.campus_id, Device.room_id != room.id,
                                               Device.status == "in_service")).first()
            assert d is not None
            d.room_id = room.id
            here.append(d)
        here[0].status = DeviceStatus.RETIRED  # a retired laptop still sits on the shelf
        s.flush()
        retired, found, missing = here[0].asset_tag, [d.asset_tag for d in here[1:-2]], \
            [d.asset_tag for d in here[-2:]]
        same = s.scalars(select(Device.asset_tag).where(
            Device.campus_id == k.flow.campus_id, Device.room_id != room.id, Device.status == "in_service")).first()
        other = s.scalars(select(Device.asset_tag).where(
            Device.campus_id != k.flow.campus_id, Device.status == "in_service")).first()
        room_id = room.id
        expected = len(here) - 1
    sign_in(k, "mlopez")
    k.flow.tech.home.room_audit.emit()
    k.wait_for(k.flow.tech.audit)
    a = k.flow.tech.audit
    a.pick_room.emit(uuid.UUID(str(room_id)))
    k.qtbot.waitUntil(lambda: a.entry.isVisible())
    assert a.counter.text() == f"expected {expected} / scanned 0"
    k.flow.on_wedge(retired)
    k.idle_workers()
    assert "retired" in a.last.text() and "belongs here" not in a.last.text()
    for tag in [*found, same, other]:
        k.flow.on_wedge(tag)
        k.idle_workers()
    assert "another campus" in a.last.text()
    assert a.counter.text() == f"expected {expected} / scanned {len(found) + 3}"
    a.finish.emit()
    k.qtbot.waitUntil(lambda: a.result_view.isVisible())
    ticks = {a.move_list.item(i).data(256)[1]: a.move_list.item(i).checkState().value
             for i in range(a.move_list.count())}
    assert ticks == {same: 2, other: 0}  # another campus's device is never moved without a deliberate tick
    decisions = {r[1]: r[4] for r in a.result.rows}
    assert decisions[retired] == "retired" and decisions[other] == "other campus"
    a.apply_button.click()
    text = a.confirm_text.text()
    assert f"Move into Library: {same}" in text and all(t in text for t in missing) and other in text
    with k.db.unit() as ctx:  # nothing has changed before the confirmation
        assert ctx.session.scalars(select(Device.status).where(Device.asset_tag == missing[0])).one() \
            is DeviceStatus.IN_SERVICE
    a.confirm_button.click()
    k.qtbot.waitUntil(lambda: a.changes_view.isVisible())
    changes = {(r[0], r[1]) for r in a.changes.rows}
    assert {("marked missing", t) for t in missing} <= changes and ("moved here", same) in changes
    assert ("needs a decision", retired) in changes and ("left elsewhere", other) in changes
    with k.db.unit() as ctx:
        s = ctx.session
        for tag in missing:
            d = s.scalars(select(Device).where(Device.asset_tag == tag)).one()
            assert d.status is DeviceStatus.MISSING and d.room_id == room_id
            reason = s.scalars(select(DeviceMove.reason).where(DeviceMove.device_id == d.id,
                                                               DeviceMove.new_value == "missing")).one()
            assert "room audit of Library" in (reason or "")
        assert s.scalars(select(Device.status).where(Device.asset_tag == retired)).one() is DeviceStatus.RETIRED
        assert s.scalars(select(Device.room_id).where(Device.asset_tag == same)).one() == room_id
        assert s.scalars(select(Device.room_id).where(Device.asset_tag == other)).one() != room_id
    k.flow.tech.printing.to_file = tmp_path / "missing.pdf"
    a.print_button.click()
    assert (tmp_path / "missing.pdf").read_bytes().startswith(b"%PDF")
    assert not a.error_label.isVisible() and "missing list sent to" in a.summary.text()
    a.done.emit()
    k.qtbot.waitUntil(lambda: a.rooms.isVisible())


def test_in_kiosk_mode_printing_never_opens_a_dialog_and_says_when_there_is_no_printer(qtbot: object) -> None:
    from PySide6.QtPrintSupport import QPrinterInfo

    from kiosk.ui.printing import PrintError, Printing

    if not QPrinterInfo.defaultPrinter().isNull():
        import pytest

        pytest.skip("this machine has a default printer")
    try:
        Printing(kiosk_mode=True).print_html("<p>x</p>")
    except PrintError as exc:
        assert "no printer is set up" in str(exc)
    else:
        raise AssertionError("printed without a printer")
