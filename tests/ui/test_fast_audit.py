"""A technician scanning labels quickly in a room audit: every scan is recorded, none shows an error."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select

from kiosk.domain.models import AuditScan, Device
from kiosk.sync import local

from .conftest import Kiosk
from .test_technician import room_with_devices, sign_in  # noqa: F401 - the fixture is used by name


def test_scans_50_ms_apart_while_the_sync_worker_writes_are_all_recorded(
    kiosk: Kiosk, room_with_devices: tuple[str, list[str], str]  # noqa: F811
) -> None:
    k = kiosk
    room_id, tags, elsewhere = room_with_devices
    sign_in(k, "mlopez")
    k.flow.tech.home.room_audit.emit()
    k.wait_for(k.flow.tech.audit)
    a = k.flow.tech.audit
    a.pick_room.emit(uuid.UUID(room_id))
    k.qtbot.waitUntil(lambda: a.entry.isVisible())
    audit_id = k.flow.tech.audit_id
    stop = threading.Event()
    sync_errors: list[BaseException] = []

    def sync_worker() -> None:  # what the sync worker writes every round: the cursor and the round's success
        n = 0
        while not stop.is_set():
            try:
                local.apply_page(k.db, [], f"c{n}", None)
                local.record_success(k.db)
            except BaseException as exc:  # noqa: BLE001 - shown by the test
                sync_errors.append(exc)
            n += 1

    worker = threading.Thread(target=sync_worker)
    worker.start()
    with k.db.read() as ctx:  # more devices registered elsewhere: each scan a different tag (the wedge's
        others = list(ctx.session.scalars(  # debounce rightly drops the same tag scanned again at once)
            select(Device.asset_tag).where(Device.asset_tag.not_in([*tags, elsewhere]))
            .order_by(Device.asset_tag).limit(8)))
    scans = [*tags, elsewhere, "ZZ0099", *others]
    try:
        for tag in scans:
            k.flow.on_wedge(tag)  # the next scan does not wait for the job of the one before
            k.qtbot.wait(50)
        k.idle_workers()
    finally:
        stop.set()
        worker.join(10)
    assert sync_errors == []
    assert a.error_label.text() == ""
    with k.db.read() as ctx:
        recorded = list(ctx.session.scalars(select(AuditScan.tag).where(AuditScan.session_id == audit_id)))
    assert sorted(recorded) == sorted(scans)
    assert a.counter.text().endswith(str(len(set(scans))))  # "expected N / scanned M"
