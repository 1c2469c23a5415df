"""The service's rules over real HTTP: enrollment, tokens, revocation, versions, idempotency, campus scope."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from kiosk.domain import schema, tickets
from kiosk.domain.db import Actor
from kiosk.domain.models import Kiosk, TicketEvent
from kiosk.protocol import hlc
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth
from kiosk.sync import local
from kiosk.sync.client import Backoff, SyncRefused, SyncWorker
from tests.sync.conftest import District
from tests.sync.harness import ServerProcess, make_kiosk


def _body(**kw: object) -> dict[str, object]:
    return {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), **kw}


def test_an_enrollment_code_works_once_and_the_token_is_kept_private(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    code, campus, _ = auth.create_enrollment_code(district.db, district.campus)
    assert campus == district.campus
    first = httpx.post(server.url + "/v1/enroll", json=_body(code=code.lower(), name="front desk"))
    assert first.status_code == 200
    token = first.json()["token"]
    again = httpx.post(server.url + "/v1/enroll", json=_body(code=code, name="thief"))
    assert again.status_code == 401 and "used or expired" in again.json()["detail"]
    with district.db.engine.connect() as conn:
        stored = conn.execute(select(Kiosk.token_hash).where(Kiosk.name == "front desk")).scalar_one()
        dump = " ".join(str(v) for v in conn.execute(text("SELECT * FROM kiosks")).all())
        codes = " ".join(str(v) for v in conn.execute(text("SELECT * FROM sync_enrollment_codes")).all())
    assert stored == auth.digest(token) and token not in dump and auth.normalize_code(code) not in codes
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "k")
    try:
        mode = stat.S_IMODE((tmp_path / "k.json").stat().st_mode)
        assert mode == 0o600
    finally:
        node.close()


def test_missing_bad_and_revoked_tokens_are_refused_and_the_worker_stops_retrying(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    pull = _body(cursor=None, limit=10)
    assert httpx.post(server.url + "/v1/pull", json=pull).status_code == 401
    bad = httpx.post(server.url + "/v1/pull", json=pull, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and "unknown kiosk token" in bad.json()["detail"]
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "k")
    try:
        node.syncer.sync_once()
        auth.revoke(district.db, "k")
        with pytest.raises(SyncRefused, match="revoked"):
            node.syncer.sync_once()
        worker = SyncWorker(node.syncer, interval=1, backoff=Backoff(base=0.01))
        assert worker.run_round() == worker.refused_retry  # no fast retry loop: minutes, or 'Sync now'
        assert worker.last_status is not None and worker.last_status.state == "error"
        assert "revoked" in worker.last_status.message
    finally:
        node.close()


def test_an_incompatible_kiosk_gets_a_clear_refusal(district: District, server: ServerProcess) -> None:
    resp = httpx.post(server.url + "/v1/enroll", json={"protocol": 99, "schema_rev": "0001", "code": "ABCD-EFGH",
                                                      "name": "old"})
    assert resp.status_code == 426
    assert f"protocol {PROTOCOL_VERSION}" in resp.json()["detail"] and "install the matching kiosk version" in resp.json()["detail"]


def test_a_batch_pushed_twice_takes_effect_once(district: District, server: ServerProcess, tmp_path: Path) -> None:
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "k")
    try:
        node.syncer.sync_once()
        with node.db.unit(Actor(kiosk_id=node.config.kiosk_id)) as ctx:
            number = tickets.create_ticket(ctx, category="screen", description="Cracked", reporter="S777",
                                           tag=district.tags[0]).number
        ops = local.next_ops(node.db, 100)
        wire = [{k: v for k, v in op.items() if k != "seq"} for op in ops]
        headers = {"Authorization": f"Bearer {node.config.token}"}
        first = httpx.post(server.url + "/v1/push", json=_body(ops=wire), headers=headers).json()
        second = httpx.post(server.url + "/v1/push", json=_body(ops=wire), headers=headers).json()
        assert first["applied"] == len(ops) and first["duplicates"] == 0
        assert second["applied"] == 0 and second["duplicates"] == len(ops)
        with district.db.unit() as ctx:
            ticket_id = tickets.get_ticket(ctx.session, number).id
            events = ctx.session.scalar(select(func.count()).select_from(TicketEvent)
                                        .where(TicketEvent.ticket_id == ticket_id))
        assert events == 1
    finally:
        node.close()


def test_a_change_outside_the_kiosks_campus_is_refused_with_a_reason(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "k")
    try:
        node.syncer.sync_once()
        with district.db.engine.connect() as conn:
            other = conn.execute(text("SELECT d.id FROM devices d JOIN campuses c ON c.id = d.campus_id "
                                      "WHERE c.code = :c LIMIT 1"), {"c": district.other_campus}).scalar_one()
        op = {"op_id": str(uuid.uuid4()), "table": "devices", "row_id": str(other), "kind": "update",
              "set": {"notes": "not mine"}, "old": {}, "hlc": hlc.tick(None, node.config.kiosk_id.hex)}
        resp = httpx.post(server.url + "/v1/push", json=_body(ops=[op]),
                          headers={"Authorization": f"Bearer {node.config.token}"})
        assert resp.status_code == 403
        assert resp.json()["problems"][0]["op_id"] == op["op_id"]
        assert "outside campus" in resp.json()["problems"][0]["reason"]
        reference = {**op, "op_id": str(uuid.uuid4()), "table": "staff_users"}
        resp = httpx.post(server.url + "/v1/push", json=_body(ops=[reference]),
                          headers={"Authorization": f"Bearer {node.config.token}"})
        assert resp.status_code == 422 and "cannot change 'staff_users'" in resp.json()["problems"][0]["reason"]
        entry = uuid.uuid4()
        impostor = {"op_id": str(uuid.uuid4()), "table": "audit_log", "row_id": str(entry), "kind": "insert",
                    "hlc": op["hlc"], "set": {"id": str(entry), "at": "2026-09-14T15:00:00+00:00",
                                              "kiosk_id": str(uuid.uuid4()), "action": "device.update",
                                              "created_at": "2026-09-14T15:00:00+00:00",
                                              "updated_at": "2026-09-14T15:00:00+00:00"}}
        resp = httpx.post(server.url + "/v1/push", json=_body(ops=[impostor]),
                          headers={"Authorization": f"Bearer {node.config.token}"})
        assert resp.status_code == 422 and "own kiosk id" in resp.json()["problems"][0]["reason"]
        # the one-request round refuses the same batch the same way, and pulls nothing with it
        resp = httpx.post(server.url + "/v1/sync", json=_body(ops=[{**op, "op_id": str(uuid.uuid4())}]),
                          headers={"Authorization": f"Bearer {node.config.token}"})
        assert resp.status_code == 403 and "outside campus" in resp.json()["problems"][0]["reason"]
        assert "rows" not in resp.json()
        with district.db.engine.connect() as conn:
            assert conn.execute(text("SELECT notes FROM devices WHERE id = :i"), {"i": other}).scalar() != "not mine"
            assert conn.execute(text("SELECT count(*) FROM audit_log WHERE id = :i"), {"i": entry}).scalar() == 0
    finally:
        node.close()


def test_the_service_publishes_its_openapi_schema(server: ServerProcess) -> None:
    spec = httpx.get(server.url + "/openapi.json").json()
    assert {"/v1/enroll", "/v1/push", "/v1/pull", "/v1/sync", "/v1/info"} <= set(spec["paths"])


def test_a_one_campus_trial_runs_the_service_on_a_sqlite_file(tmp_path: Path) -> None:
    from tests.sync.conftest import seeded
    from tests.sync.harness import differences

    trial = seeded(f"sqlite:///{tmp_path / 'district.sqlite3'}", devices=40, tickets=10)
    server = ServerProcess(trial.url, log=tmp_path / "server.log").start()
    node = make_kiosk(trial.db, server.url, trial.campus, tmp_path / "k.sqlite3", "k")
    try:
        node.syncer.sync_once()
        with node.db.unit(Actor(kiosk_id=node.config.kiosk_id)) as ctx:
            tickets.create_ticket(ctx, category="power", description="Will not charge", reporter="S1000",
                                  tag=trial.tags[0])
        assert node.syncer.sync_once().pushed > 0
        assert differences(trial.db, node) == []
    finally:
        node.close()
        server.stop()
        trial.db.dispose()
