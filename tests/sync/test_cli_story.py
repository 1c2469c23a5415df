"""The issue's story through the `kiosk` command: two kiosks enroll, file tickets while the server is stopped,
and converge after `kiosk sync` once it is back; a revoked kiosk gets a clear message."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.domain.db import Database
from kiosk.sync import config
from kiosk.sync.client import Syncer
from tests.sync.conftest import District
from tests.sync.harness import KioskNode, ServerProcess, differences


def kiosk(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, out)
    return code, out.getvalue()


def test_two_kiosks_enroll_file_tickets_offline_and_converge_with_kiosk_sync(
        district: District, server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    homes = {name: tmp_path / name for name in ("a", "b")}
    for name, home in homes.items():
        home.mkdir()
        rc, text = kiosk(["server", "enroll", "--campus", district.campus, "--db", district.url])
        assert rc == 0, text
        code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", text)
        assert code is not None, text
        monkeypatch.setenv("KIOSK_DATA_DIR", str(home))
        rc, text = kiosk(["enroll", "--server", server.url, "--name", f"kiosk-{name}", code.group(0)])
        assert rc == 0 and "enrolled as kiosk" in text
        rc, text = kiosk(["sync"])
        assert rc == 0 and "pulled" in text
    server.stop()
    for i, (name, home) in enumerate(homes.items()):
        monkeypatch.setenv("KIOSK_DATA_DIR", str(home))
        rc, text = kiosk(["ticket", "new", "--tag", district.tags[i], "--category", "screen",
                          "--description", f"Cracked screen seen at kiosk {name}", "--reporter", "S424242"])
        assert rc == 0, text
        rc, _ = kiosk(["sync"])
        assert rc == 2 and "cannot reach the server" in capsys.readouterr().err
    server.start()
    for name in ("a", "b", "a"):
        monkeypatch.setenv("KIOSK_DATA_DIR", str(homes[name]))
        rc, text = kiosk(["sync"])
        assert rc == 0 and text.startswith("pushed"), text
    for name, home in homes.items():
        db = Database(f"sqlite:///{home / 'kiosk.sqlite3'}")
        cfg = config.load(home / "sync.json")
        node = KioskNode(db, cfg, Syncer(db, cfg))
        try:
            assert differences(district.db, node) == [], name
        finally:
            node.close()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(homes["a"]))
    rc, text = kiosk(["ticket", "list", "--json"])
    assert rc == 0 and "seen at kiosk a" in text and "seen at kiosk b" in text  # each kiosk sees both tickets
    rc, text = kiosk(["server", "conflicts", "--db", district.url])
    assert rc == 0 and ("no conflicts" in text or "kept" in text)
    rc, text = kiosk(["server", "revoke", "kiosk-a", "--db", district.url])
    assert rc == 0 and "revoked" in text
    rc, _ = kiosk(["sync"])
    assert rc == 2 and "revoked" in capsys.readouterr().err


def test_kiosk_sync_exits_3_and_lists_refused_changes_every_time_until_discarded(
        district: District, server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    from sqlalchemy import insert

    from kiosk.domain.db import Actor
    from kiosk.domain.models import SyncOutbox
    from kiosk.protocol import hlc
    from kiosk.sync import local

    home = tmp_path / "k"
    home.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(home))
    rc, text = kiosk(["server", "enroll", "--campus", district.campus, "--db", district.url])
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", text)
    assert code is not None
    assert kiosk(["enroll", "--server", server.url, "--name", "front", code.group(0)])[0] == 0
    assert kiosk(["sync"])[0] == 0
    db = Database(f"sqlite:///{home / 'kiosk.sqlite3'}")
    node = local.state(db, "node_id")
    assert node is not None
    with db.engine.begin() as conn:  # an edit of a device the server no longer has (deleted there meanwhile)
        conn.execute(insert(SyncOutbox).values(
            op_id=uuid.uuid4(), table_name="devices", row_id=uuid.uuid4(), op="update",
            data={"set": {"notes": "was here"}, "old": {"notes": None}}, hlc=hlc.tick(None, node),
            created_at=db.clock.now()))
    for _ in range(2):  # listed on every run, not only the first
        rc, text = kiosk(["sync"])
        assert rc == 3, text
        assert "1 change(s) refused by the server" in text and "notes: (empty) → was here" in text
    refused = local.refused_changes(db)
    local.discard_refused(db, refused[0].seq, Actor(label="cli"))
    assert kiosk(["sync"])[0] == 0
    db.dispose()
