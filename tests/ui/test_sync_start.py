"""The sync worker starts after Home appears, off the GUI thread; 'Sync now' is there on an enrolled kiosk."""

from __future__ import annotations

import threading

import pytest

from kiosk.sync import client

from .conftest import Kiosk
from .test_signin_enrolled import _enroll_here


def test_the_syncer_is_built_on_a_worker_and_sync_now_wakes_the_worker(
        kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk
    _enroll_here(k)
    built_on: list[str] = []
    real_init = client.Syncer.__init__

    def recording_init(self: client.Syncer, *args: object, **kwargs: object) -> None:
        built_on.append(threading.current_thread().name)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client.Syncer, "__init__", recording_init)
    k.flow.start_sync()
    k.flow.go_home()  # a Start over meanwhile does not lose the sync worker
    k.qtbot.waitUntil(lambda: k.flow.sync_indicator is not None, timeout=10_000)
    indicator = k.flow.sync_indicator
    assert indicator is not None
    try:
        assert built_on and built_on[0] != threading.main_thread().name
        k.qtbot.waitUntil(lambda: indicator.worker.last_status is not None, timeout=10_000)
        assert indicator.worker.last_status is not None and indicator.worker.last_status.state == "offline"
        assert k.flow.tech.home.sync_button.isVisibleTo(k.flow.tech.home)  # on the technician's menu
        rounds = len(built_on)
        woken = threading.Event()
        indicator.worker.listeners.append(lambda _s: woken.set())
        k.flow.tech.home.sync_button.click()
        assert woken.wait(10)  # a round ran at once, not after the backoff
        assert len(built_on) == rounds
    finally:
        indicator.worker.stop()
        indicator.syncer.close()
