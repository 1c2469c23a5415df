"""Property: whatever a kiosk's own services write, the service accepts; one server-owned column set is refused.

Hypothesis draws sequences of technician and walk-up work done through the domain services on an enrolled
kiosk (in-process service on SQLite, the ``pair`` fixture); every batch the outbox then holds is pushed and
must be accepted in full. Then the same kind of batch with one server-owned column added to one of its
operations must be refused, naming that operation.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.domain import devices, repairs, schema, surveys, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import DomainError
from kiosk.domain.models import Campus, Device, Room, StaffRole, StaffUser, Survey, Ticket, TicketStatus
from kiosk.protocol.tables import PROTOCOL_VERSION, SERVER_OWNED
from kiosk.sync import local
from kiosk.sync.client import Syncer

Pair = tuple[Database, Database, Syncer, TestClient]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=3, max_size=60)
ACTION = st.one_of(
    st.tuples(st.just("ticket"), TEXT, st.sampled_from(["S1234567", "ana@example.org", "T7654321"])),
    st.tuples(st.just("note"), TEXT, st.booleans()),
    st.tuples(st.just("status"), st.sampled_from(["assigned", "in_progress", "on_hold", "resolved", "closed",
                                                  "new"])),
    st.tuples(st.just("assign"), st.booleans()),
    st.tuples(st.just("reopen"), st.booleans()),  # a technician reopens, or the reporter answers "not solved"
    st.tuples(st.just("answer"), st.booleans(), st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("sync"),),
    st.tuples(st.just("repair"), TEXT, st.integers(min_value=0, max_value=600)),
    st.tuples(st.just("device"), TEXT),
    st.tuples(st.just("register"), st.integers(min_value=0, max_value=10**6)),
)


def _do(kiosk: Database, kiosk_id: uuid.UUID, action: tuple[Any, ...], syncer: Syncer | None = None) -> None:
    if action[0] == "sync":
        if syncer is not None:
            syncer.sync_once()
        return
    with kiosk.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role != StaffRole.ADMIN)
                                   .order_by(StaffUser.username)).first()
        campus = ctx.session.scalars(select(Campus.code)).first()
        room = ctx.session.scalars(select(Room.name).order_by(Room.name)).first()
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
        number = ctx.session.scalars(select(Ticket.number).where(Ticket.status != TicketStatus.CLOSED)
                                     .order_by(Ticket.created_at.desc())).first()
        done = ctx.session.scalars(select(Ticket.number).where(Ticket.status.in_(
            [TicketStatus.CLOSED, TicketStatus.RESOLVED])).order_by(Ticket.updated_at.desc())).first()
        pending = ctx.session.scalars(select(Survey.id).where(Survey.submitted_at.is_(None))
                                      .order_by(Survey.created_at.desc())).first()
    kind = action[0]
    staff = Actor(staff_id=tech, kiosk_id=kiosk_id, label="kiosk")
    try:
        walk_up = kind in ("ticket", "answer") or (kind == "reopen" and not action[1])  # no technician
        with kiosk.unit(Actor(kiosk_id=kiosk_id) if walk_up else staff) as ctx:
            if kind == "ticket":
                tickets.create_ticket(ctx, category="screen", description=action[1], reporter=action[2], tag=tag)
            elif kind == "note" and number:
                tickets.add_note(ctx, number, action[1], public=action[2])
            elif kind == "status" and number:
                tickets.change_status(ctx, number, action[1], resolution="Fixed it" if action[1] in (
                    "resolved", "closed") else None)
            elif kind == "assign" and number:
                tickets.assign(ctx, number, tech if action[1] else None)
            elif kind == "reopen" and done:
                tickets.change_status(ctx, done, TicketStatus.REOPENED, note="Still broken")
            elif kind == "answer" and pending:
                surveys.submit_pending(ctx, pending, surveys.Answers(
                    solved=action[1], timeliness=action[2], courtesy=action[2], communication=action[2],
                    quality=action[2], overall=action[2]))
            elif kind == "repair" and number:
                repairs.log_repair(ctx, number, action=action[1], minutes=action[2])
            elif kind == "device" and tag:
                devices.set_fields(ctx, tag, {"notes": action[1]})
            elif kind == "register":
                devices.register(ctx, f"PT{action[1]:06d}", category="laptop", campus=campus, room=room)
    except DomainError:
        pass  # the service itself said no (e.g. a transition the workflow does not allow): nothing was written


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(actions=st.lists(ACTION, min_size=1, max_size=12))
def test_any_batch_a_kiosks_services_produce_is_accepted(pair: Pair, actions: list[tuple[Any, ...]]) -> None:
    _server, kiosk, syncer, _ = pair
    for action in actions:
        _do(kiosk, syncer.config.kiosk_id, action, syncer)
        refused = local.refused_changes(kiosk)
        assert not refused, [(r.record, r.change, r.reason) for r in refused]
    report = syncer.sync_once()
    refused = local.refused_changes(kiosk)
    assert report.rejected == 0 and not refused, [(r.record, r.change, r.reason) for r in refused]
    assert local.pending_count(kiosk) == 0


OWNED = [(table, col) for table, cols in SERVER_OWNED.items() for col in sorted(cols)]


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(owned=st.sampled_from(OWNED), value=st.sampled_from(["2099-01-01T00:00:00+00:00", "abc", None]))
def test_a_batch_with_one_server_owned_column_set_is_refused(pair: Pair, owned: tuple[str, str],
                                                             value: str | None) -> None:
    _server, kiosk, syncer, client = pair
    table, column = owned
    _do(kiosk, syncer.config.kiosk_id, ("ticket", "Cracked screen", "S1234567"))
    _do(kiosk, syncer.config.kiosk_id, ("status", "closed"))
    ops = [{k: v for k, v in op.items() if k != "seq"} for op in local.next_ops(kiosk, 500)]
    target = next((op for op in ops if op["table"] == table), None)
    if target is None:  # e.g. no survey in this batch: set it on an update of a row the service has
        with kiosk.unit() as ctx:
            row = ctx.session.scalars(select(Ticket.id)).first() if table == "tickets" else None
        if row is None:
            return
        target = {"op_id": str(uuid.uuid4()), "table": table, "row_id": str(row), "kind": "update", "set": {},
                  "old": {}, "hlc": ops[-1]["hlc"] if ops else None}
        ops.append(target)
    target["set"] = {**target["set"], column: value}
    resp = client.post("/v1/push", headers={"Authorization": f"Bearer {syncer.config.token}"},
                       json={"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "ops": ops})
    assert 400 <= resp.status_code < 500, resp.text
    assert target["op_id"] in {p["op_id"] for p in resp.json()["problems"]}
    assert column in " ".join(p["reason"] for p in resp.json()["problems"])
    syncer.sync_once()  # the kiosk's own, unaltered batch still goes through
    assert local.rejected_count(kiosk) == 0


def test_a_ticket_closed_reopened_and_closed_again_syncs_with_its_surveys(pair: Pair) -> None:
    """Each closing makes (or renews) the ticket's survey on the kiosk; every one reaches the service, between
    syncs or all in one batch, and so does the reporter's answer at the kiosk."""
    _server, kiosk, syncer, _ = pair
    kid = syncer.config.kiosk_id
    for sync_between in (True, False):
        _do(kiosk, kid, ("ticket", "Cracked screen", "S1234567"))
        for step in [("status", "closed"), ("reopen", True), ("status", "resolved"), ("status", "closed"),
                     ("answer", False, 2), ("status", "resolved"), ("status", "closed")]:
            _do(kiosk, kid, step, syncer)
            if sync_between:
                syncer.sync_once()
        syncer.sync_once()
        refused = local.refused_changes(kiosk)
        assert not refused, [(r.record, r.change, r.reason) for r in refused]
    with _server.unit() as ctx:
        mine = select(Ticket.id).where(Ticket.description == "Cracked screen")
        answered = ctx.session.scalars(select(Survey).where(Survey.submitted_at.is_not(None),
                                                            Survey.ticket_id.in_(mine))).all()
        assert len(answered) == 2 and all(s.overall == 2 and s.solved is False for s in answered)
        assert ctx.session.scalar(select(func.count()).select_from(Survey).where(Survey.ticket_id.in_(mine))) == 4
