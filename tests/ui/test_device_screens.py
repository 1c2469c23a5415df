"""The device record says what it means: retire asks first, the reason is the device's own and is shown."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain import tickets
from kiosk.domain.models import Device, DeviceStatus, Ticket, TicketEventKind

from .conftest import Kiosk
from .test_technician import sign_in


def _open(k: Kiosk, tag: str) -> None:
    k.flow.tech.open_device(tag)
    k.wait_for(k.flow.tech.device)
    k.qtbot.waitUntil(lambda: k.flow.tech.device.tag == tag)
    k.idle_workers()


def test_retiring_asks_first_names_the_open_tickets_and_the_reason_stays_with_its_device(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    d = k.flow.tech.device
    _open(k, k.quiet_tag)
    d.retire_reason.setText("Screen and board broken, not worth fixing")
    _open(k, k.tag_with_open_ticket)  # another device opened: the reason box is empty again
    assert d.retire_reason.text() == ""
    d.retire_reason.setText("Liquid damage, beyond repair")
    d.retire_button.click()
    k.idle_workers()
    assert d.retire_confirm.isVisible()
    with k.db.unit() as ctx:
        numbers = ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id).where(
            Device.asset_tag == k.tag_with_open_ticket, Ticket.status.in_(["new", "assigned", "in_progress",
                                                                          "on_hold", "reopened"]))).all()
        assert ctx.session.scalars(select(Device.status).where(Device.asset_tag == k.tag_with_open_ticket)).one() \
            is not DeviceStatus.RETIRED  # one tap retires nothing
    assert numbers and all(n in d.retire_text.text() for n in numbers)
    d.retire_yes.click()
    k.idle_workers()
    k.qtbot.waitUntil(lambda: "Retired" in d.error_label.text())
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(Device.status).where(Device.asset_tag == k.tag_with_open_ticket)).one() \
            is DeviceStatus.RETIRED
        for number in numbers:
            last = tickets.view(ctx.session, number).events[-1]
            assert last.kind is TicketEventKind.NOTE and "retired" in (last.body or "")
    moves = [r[2] for r in d.timeline.rows if r[1] == "move"]
    assert any("retired" in m and "Liquid damage, beyond repair" in m for m in moves)
    assert not d.retire_button.isEnabled()
    _open(k, k.quiet_tag)
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(Device.status).where(Device.asset_tag == k.quiet_tag)).one() \
            is not DeviceStatus.RETIRED


def test_in_kiosk_mode_an_export_goes_to_the_data_folder_without_a_file_dialog(kiosk: Kiosk) -> None:
    from kiosk.settings import data_dir
    from kiosk.ui.tech.flow import _kiosk_export_path

    path = _kiosk_export_path("Export", "/home/someone/weekly-2026-09-07.pdf", "PDF (*.pdf)")
    assert path == str(data_dir() / "exports" / "weekly-2026-09-07.pdf")
    assert kiosk.flow.tech.reports.choose_path != _kiosk_export_path  # the windowed test kiosk keeps its dialog


def test_room_labels_respect_the_room_typed_skip_used_positions_and_print(kiosk: Kiosk, tmp_path: object) -> None:
    from pathlib import Path

    k = kiosk
    sign_in(k, "mlopez")
    k.flow.tech.home.labels.emit()
    k.wait_for(k.flow.tech.labels)
    screen = k.flow.tech.labels
    screen.what.setCurrentIndex(screen.what.findData("rooms"))
    screen.sheet.setCurrentIndex(screen.sheet.findData("avery5160"))
    screen.detail.setText("Library")
    screen.skip.setValue(4)  # four labels of the sheet were used last time
    screen.go.click()
    k.qtbot.waitUntil(lambda: screen.result.text() != "" or screen.error_label.isVisible(), timeout=20_000)
    assert not screen.error_label.isVisible(), screen.error_label.text()
    assert screen.result.text().startswith("1 labels on 1 page(s)")  # the room typed, not all 31
    assert screen.skip.value() == 0
    target = Path(str(tmp_path)) / "printed.pdf"
    k.flow.tech.printing.to_file = target
    screen.detail.setText("")
    screen.print_button.click()
    k.qtbot.waitUntil(lambda: screen.result.text() != "" or screen.error_label.isVisible(), timeout=20_000)
    assert not screen.error_label.isVisible(), screen.error_label.text()
    assert "sent to" in screen.result.text() and target.read_bytes().startswith(b"%PDF")
    screen.sheet.setCurrentIndex(screen.sheet.findData("dymo30252"))
    assert not screen.skip.isEnabled()  # a roll has no used positions


def test_label_positions_skipped_on_a_partly_used_sheet() -> None:
    from kiosk.domain import labels

    sheet = labels.get_sheet("avery5160")
    first = labels.layout(sheet, 3, skip=4)
    fresh = labels.layout(sheet, 8)
    assert [box for _p, box in first] == [box for _p, box in fresh[4:7]]
