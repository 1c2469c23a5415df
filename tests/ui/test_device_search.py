"""'Find a device' on the technician home: tag, serial, model, room or assignee, results as you type."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain import device_search
from kiosk.domain.db import Actor
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Device, Room

from .conftest import Kiosk
from .test_technician import sign_in


def _type(k: Kiosk, text: str) -> None:
    home = k.flow.tech.home
    home.search.clear()
    for ch in text:  # a person typing, one key at a time
        home.search.insert(ch)
    k.qtbot.waitUntil(lambda: not home.typing.isActive(), timeout=3000)
    k.idle_workers()


def test_a_technician_finds_a_device_by_tag_serial_model_or_room_as_they_type(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        s = ctx.session
        d = s.scalars(select(Device).where(Device.campus_id == k.flow.campus_id, Device.serial.is_not(None),
                                           Device.room_id.is_not(None))).first()
        assert d is not None
        tag, serial, model = d.asset_tag, d.serial or "", d.model or ""
        room = s.get(Room, d.room_id).name  # type: ignore[union-attr]
    sign_in(k, "mlopez")
    home = k.flow.tech.home
    home.find_device.emit()
    assert home.search.hasFocus() or home.search.isVisible()
    assert not home.results_view.isVisible()
    _type(k, tag.lower()[:2] + " " + tag[2:])  # typed with a space, in lower case
    assert home.results.items[:1] == [tag]
    _type(k, serial[-6:])
    assert tag in home.results.items
    _type(k, f"{room} {model.split()[-1]}")  # two words: both must match (room and model)
    assert tag in home.results.items
    assert all(room.lower() in " ".join(map(str, r)).lower() for r in home.results.rows)
    _type(k, "zz-no-such-thing")
    assert home.results.items == [] and "No device matches" in home.results_note.text()
    _type(k, tag)
    home.results_view.clicked.emit(home.results.index(0, 0))
    k.wait_for(k.flow.tech.device)
    assert tag in k.flow.tech.device.header.text()
    k.flow.tech.show_home()
    home.search.clear()
    assert not home.results_view.isVisible() and home.menu.isVisible()


def test_a_stale_result_is_not_shown_over_newer_typing(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    home = k.flow.tech.home
    with k.db.unit(Actor(staff_id=k.flow.staff_id)) as ctx:
        old = device_search.search(ctx, "DS1", campus_id=k.flow.campus_id)
    home.search.setText("library")
    home.show_results(old)  # the answer to an earlier keystroke arrives late
    assert home.results.rowCount() == 0


def test_search_needs_a_signed_in_technician(kiosk: Kiosk) -> None:
    import pytest

    with kiosk.db.unit() as ctx, pytest.raises(PermissionDenied):
        device_search.search(ctx, "DS1")
