"""A hostile kiosk: the real service over HTTP, attacked with nothing but a real kiosk's token (issue 13).

Every test pushes what an attacker who copied the kiosk's token file could push, and checks the service refuses
it (or takes the value it computes itself) and that the harm did not happen. The attacks are issue 13's. To run
the suite against another version of the service, set ``KIOSK_TEST_SERVER_ROOT`` to that checkout: the server
process then runs its code (its schema must be at the same head).

Negative control: every test runs twice, against the real service (``guarded``) and against the same service
with its push checks switched off (``unguarded``, ``tests/server/unguarded_server.py``: ``kiosk.server.validate``
replaced by stand-ins that accept everything, server-owned columns parsed like any other, rate limits off). Run
unguarded, an attack test asserts that the harm *does* happen, so the suite shows its attacks are real and that
the checks are what stops them. The few tests whose defence is not a push check (request hygiene, token
rotation, sign-in timing, a deadline the service computes in any case) run guarded only.

One district, one service process and one enrolled kiosk per mode (tests touch different rows); one
technician has signed in at that kiosk through the service, nobody else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.domain import auth, schema, seed, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import (
    AuditLogEntry,
    Campus,
    Device,
    EmailMessage,
    Loan,
    RepairLog,
    Reporter,
    StaffRole,
    StaffUser,
    Survey,
    SyncFieldClock,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from kiosk.protocol import hlc
from kiosk.protocol.tables import PROTOCOL_VERSION
from tests.conftest import PG_ADMIN_URL, RUN_ID, _pg_admin
from tests.sync.harness import ServerProcess, make_kiosk, signed_in_at


@dataclass
class Site:
    db: Database
    server: ServerProcess
    token: str
    kiosk_id: uuid.UUID
    node: str
    campus_id: uuid.UUID
    other_campus_id: uuid.UUID
    tech_id: uuid.UUID  # signed in at the kiosk
    admin_id: uuid.UUID  # never signed in there
    other_tech_id: uuid.UUID
    synced_at: datetime  # the kiosk's last round with its whole outbox
    guarded: bool  # False: the negative control, a service with its push checks off

    def refused(self, resp: httpx.Response, *words: str) -> None:
        """Guarded: refused with a 4xx naming ``words``. Unguarded: the attack went through."""
        if self.guarded:
            refused(resp, *words)
        else:
            assert resp.status_code == 200, (resp.status_code, resp.text[:500])

    def harmed(self, harm: bool, what: str = "") -> None:
        """The attack's harm happened exactly when the checks are off."""
        assert harm is not self.guarded, ("harm done despite the checks: " if self.guarded
                                          else "the attack did no harm even unguarded: ") + what

    def guarded_only(self) -> None:
        if not self.guarded:
            pytest.skip("this defence is not a push check: nothing for the unguarded service to show")

    def push(self, ops: list[dict[str, Any]]) -> httpx.Response:
        return httpx.post(self.server.url + "/v1/push", headers={"Authorization": f"Bearer {self.token}"},
                          json={"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "ops": ops},
                          timeout=30)

    def op(self, table: str, kind: str, row_id: uuid.UUID, values: dict[str, Any], *,
           stamp: str | None = None, old: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"op_id": str(uuid.uuid4()), "table": table, "row_id": str(row_id), "kind": kind,
                "set": ({"id": str(row_id)} if kind == "insert" else {}) | values, "old": old or {},
                "hlc": stamp or hlc.tick(None, self.node)}


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture(scope="module", params=["guarded", "unguarded"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    guarded = request.param == "guarded"
    admin = _pg_admin()
    name = f"kiosk_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    db = Database(url)
    folder = tmp_path_factory.mktemp("hostile")
    server = None
    try:
        schema.upgrade(db.engine)
        summary = seed.seed(db, seed.SeedOptions(devices=60, tickets=30, campuses=2, hash_passwords=False))
        server = ServerProcess(url, log=folder / "server.log",
                               module="kiosk" if guarded else "tests.server.unguarded_server").start()
        node = make_kiosk(db, server.url, summary.demo_campus, folder / "k.sqlite3", "front desk",
                          staff_signed_in=False)
        with db.unit() as ctx:
            s = ctx.session
            campus_id = node.config.campus_id
            other = s.scalars(select(Campus.id).where(Campus.id != campus_id)).first()
            techs = list(s.scalars(select(StaffUser.id).where(StaffUser.role != StaffRole.ADMIN)
                                   .order_by(StaffUser.username)))
            admin_id = s.scalars(select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN)).first()
        signed_in_at(db, node.config.kiosk_id, [techs[0]])
        node.syncer.sync_once()
        synced_at = _now()
        assert other is not None and admin_id is not None
        yield Site(db, server, node.config.token, node.config.kiosk_id, node.config.kiosk_id.hex, campus_id,
                   other, techs[0], admin_id, techs[1], synced_at, guarded)
        node.close()
    finally:
        if server is not None:
            server.stop()
        db.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


def refused(resp: httpx.Response, *words: str) -> str:
    """The push was refused with a 4xx and a reason containing ``words``; returns the reasons."""
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:500])
    body = resp.json()
    reasons = " | ".join(p["reason"] for p in body.get("problems", [])) or body.get("detail", "")
    for word in words:
        assert word in reasons, reasons
    return reasons


def a_ticket(site: Site, *, campus: uuid.UUID | None = None, status: TicketStatus | None = None) -> Ticket:
    with site.db.unit() as ctx:
        q = select(Ticket).where(Ticket.campus_id == (campus or site.campus_id)).order_by(Ticket.number)
        if status is not None:
            q = q.where(Ticket.status == status)
        found = ctx.session.scalars(q).first()
    if found is None and status is not None:
        # The seeder's tickets run up to "now", so which statuses a campus holds depends on the hour of the run
        # (seen: no ticket in progress at 14:55 UTC). Bring the oldest open ticket there through the domain.
        found = _walked_to(site, campus or site.campus_id, status)
    assert found is not None
    return found


def _walked_to(site: Site, campus_id: uuid.UUID, status: TicketStatus, *, number: str | None = None) -> Ticket | None:
    """The campus's first ticket (or ``number``), moved to ``status`` along the workflow's shortest path, by its
    technician."""
    with site.db.unit(Actor(staff_id=site.tech_id, label="test")) as ctx:
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.campus_id == campus_id)
                                     .where(Ticket.number == number if number else Ticket.id.is_not(None))
                                     .order_by(Ticket.number)).first()
        if ticket is None:
            return None
        paths: dict[TicketStatus, list[TicketStatus]] = {ticket.status: []}
        todo = [ticket.status]
        while todo and status not in paths:
            here = todo.pop(0)
            for there in TicketStatus:
                if there not in paths and tickets.may_move(here, there):
                    paths[there] = [*paths[here], there]
                    todo.append(there)
        for step in paths[status]:
            tickets.change_status(ctx, ticket.number, step, resolution="Fixed for the test")
        ctx.session.flush()
        ctx.session.expunge(ticket)
    return ticket


def status_of(site: Site, ticket_id: uuid.UUID) -> TicketStatus | None:
    with site.db.unit() as ctx:
        return ctx.session.scalars(select(Ticket.status).where(Ticket.id == ticket_id)).first()


def an_event(site: Site, ticket_id: uuid.UUID, **values: Any) -> tuple[uuid.UUID, dict[str, Any]]:
    now = _now().isoformat()
    row = {"ticket_id": str(ticket_id), "at": now, "kind": "note", "public": False, "actor_id": str(site.tech_id),
           "created_at": now, "updated_at": now} | values
    return uuid.uuid4(), row


# --- 1. the lockout ----------------------------------------------------------------------------------------


def test_pushed_sign_in_failures_do_not_lock_the_admin_out(site: Site) -> None:
    # dated 2099 (issue 13's attack) and dated now (the same attack by someone who read the lockout's code)
    ops = [site.op("audit_log", "insert", uuid.uuid4(), {
        "at": at, "action": auth.FAILED, "entity": "staff",
        "entity_id": str(site.admin_id), "kiosk_id": str(site.kiosk_id), "detail": {"username": "admin"},
        "created_at": _now().isoformat(), "updated_at": _now().isoformat()})
        for at in ["2099-01-01T00:00:00+00:00"] * 5 + [_now().isoformat()] * 5]
    site.push(ops)  # accepted or refused: either way the admin must not be locked
    with site.db.unit(Actor(label="kiosk via server")) as ctx:
        locked = auth._locked_until(ctx, user_id=site.admin_id) is not None
        stored = ctx.session.scalars(select(AuditLogEntry.at).where(AuditLogEntry.action == auth.FAILED,
                                                                    AuditLogEntry.entity_id == str(site.admin_id)))
        future = any(at > _now() + timedelta(minutes=1) for at in stored)  # not the service's receive time
    site.harmed(locked, "the admin is locked out")
    site.harmed(future, "the pushed failures keep their 2099 date")


def test_a_pushed_sign_in_does_not_reset_the_failure_count(site: Site) -> None:
    target = site.other_tech_id
    kiosk = Actor(kiosk_id=site.kiosk_id, label="kiosk via server")
    with site.db.unit(kiosk) as ctx:
        for _ in range(4):
            auth.sign_in_with_verifier(ctx, ctx.session.get(StaffUser, target), None, "guess")
    site.push([site.op("audit_log", "insert", uuid.uuid4(), {
        "at": _now().isoformat(), "action": auth.SUCCEEDED, "entity": "staff", "entity_id": str(target),
        "kiosk_id": str(site.kiosk_id), "created_at": _now().isoformat(), "updated_at": _now().isoformat()})])
    with site.db.unit(kiosk) as ctx:
        result = auth.sign_in_with_verifier(ctx, ctx.session.get(StaffUser, target), None, "guess")
    site.harmed(result.locked_until is None, "the forged sign-in reset the failure count")


# --- 2. reporters --------------------------------------------------------------------------------------------


def test_a_kiosk_cannot_change_another_campus_reporters_email(site: Site) -> None:
    other = a_ticket(site, campus=site.other_campus_id)
    with site.db.unit() as ctx:
        reporter = ctx.session.scalars(select(Reporter).join(Ticket, Ticket.reporter_id == Reporter.id)
                                       .where(Ticket.campus_id == site.other_campus_id)).first()
        assert reporter is not None
        before = reporter.email
    resp = site.push([site.op("reporters", "update", reporter.id, {"email": "attacker@evil.example"},
                              old={"email": before})])
    site.refused(resp, "reporter")
    with site.db.unit() as ctx:
        after = ctx.session.get(Reporter, reporter.id).email  # type: ignore[union-attr]
    site.harmed(after == "attacker@evil.example", "another campus's reporter has the attacker's email")
    del other


def test_a_new_reporter_with_an_existing_id_number_does_not_take_over_their_email(site: Site) -> None:
    with site.db.unit() as ctx:
        reporter = ctx.session.scalars(select(Reporter).where(Reporter.id_number.is_not(None))).first()
        assert reporter is not None
        ident, before = reporter.id_number, reporter.email
    site.push([site.op("reporters", "insert", uuid.uuid4(), {
        "kind": "student", "id_number": ident, "email": "attacker2@evil.example",
        "created_at": _now().isoformat(), "updated_at": _now().isoformat()})])
    with site.db.unit() as ctx:
        after = ctx.session.scalars(select(Reporter.email).where(Reporter.id_number == ident)).one()
    site.harmed(after == "attacker2@evil.example" and after != before, "the twin took over the email")


# --- 3. server-owned and rule-bound fields -------------------------------------------------------------------


def test_server_owned_ticket_fields_are_refused(site: Site) -> None:
    ticket = a_ticket(site)
    due = datetime(2099, 1, 1, tzinfo=UTC)
    for col, value in (("response_due_at", due.isoformat()), ("resolution_due_at", due.isoformat())):
        site.refused(site.push([site.op("tickets", "update", ticket.id, {col: value})]), col)
    with site.db.unit() as ctx:
        row = ctx.session.get(Ticket, ticket.id)
        assert row is not None
        site.harmed(row.response_due_at == due and row.resolution_due_at == due, "deadlines set to 2099")
    site.refused(site.push([site.op("tickets", "update", ticket.id, {"first_response_at": _now().isoformat()})]),
                 "first_response_at")
    site.refused(site.push([site.op("tickets", "update", ticket.id, {"number": "EVIL-1"})]), "number")
    site.refused(site.push([site.op("tickets", "update", ticket.id,
                                    {"opened_at": "2020-01-01T00:00:00+00:00"})]), "opened_at")
    with site.db.unit() as ctx:
        row = ctx.session.get(Ticket, ticket.id)
        assert row is not None
        site.harmed(row.number == "EVIL-1", "the ticket number was changed")
        site.harmed(row.opened_at.year == 2020, "opened_at was backdated")
        site.harmed(row.first_response_at != ticket.first_response_at, "first_response_at was set")


def test_a_ticket_filed_by_a_kiosk_gets_its_deadlines_from_the_service(site: Site) -> None:
    site.guarded_only()  # the service computes them whatever a push carries
    with site.db.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.campus_id == site.campus_id)).first()
        cat = ctx.session.scalars(select(Ticket.category_id)).first()
    assert device is not None
    tid, now = uuid.uuid4(), _now().isoformat()
    resp = site.push([site.op("tickets", "insert", tid, {
        "number": "C1-2345AB", "campus_id": str(site.campus_id), "device_id": str(device.id),
        "category_id": str(cat), "description": "Screen is cracked", "reporter_priority": "P3",
        "priority": "P3", "status": "new", "channel": "kiosk", "opened_at": now, "created_at": now,
        "updated_at": now})])
    assert resp.status_code == 200, resp.text
    with site.db.unit() as ctx:
        row = ctx.session.get(Ticket, tid)
        assert row is not None and row.resolution_due_at is not None
        assert row.resolution_due_at < _now() + timedelta(days=60)


def test_a_status_event_from_the_future_is_dated_by_the_service(site: Site) -> None:
    ticket = a_ticket(site)
    eid, row = an_event(site, ticket.id, kind="status", new_value="on_hold", old_value=ticket.status.value,
                        at="2099-01-01T00:00:00+00:00", public=True)
    site.push([site.op("ticket_events", "insert", eid, row)])
    with site.db.unit() as ctx:
        at = ctx.session.scalars(select(TicketEvent.at).where(TicketEvent.id == eid)).first()
    site.harmed(at is not None and at > _now() + timedelta(minutes=6), "a status event dated 2099")


def status_event(site: Site, ticket: Ticket, old: str | None, new: str, **values: Any) -> tuple[uuid.UUID, dict[str, Any]]:
    return an_event(site, ticket.id, kind="status", old_value=old, new_value=new, public=True, **values)


def test_a_closed_ticket_cannot_go_back_to_new_without_a_reopen(site: Site) -> None:
    ticket = a_ticket(site, status=TicketStatus.CLOSED)
    eid, row = status_event(site, ticket, "closed", "new")
    site.refused(site.push([site.op("ticket_events", "insert", eid, row)]), "cannot go from closed to new")
    site.harmed(status_of(site, ticket.id) is TicketStatus.NEW, "a closed ticket is new again")


def test_a_status_change_from_a_status_the_ticket_never_held_is_refused(site: Site) -> None:
    """on_hold -> in_progress is a move the workflow allows, but this ticket was never on hold: no kiosk saw it
    so."""
    with site.db.unit() as ctx:
        held = select(TicketEvent.ticket_id).where(TicketEvent.kind == "status", TicketEvent.new_value == "on_hold")
        ticket = ctx.session.scalars(select(Ticket).where(
            Ticket.campus_id == site.campus_id, Ticket.status != TicketStatus.ON_HOLD, Ticket.id.not_in(held))
            .order_by(Ticket.number.desc())).first()
    assert ticket is not None
    eid, row = status_event(site, ticket, "on_hold", "in_progress")
    site.refused(site.push([site.op("ticket_events", "insert", eid, row)]), "never on_hold")
    site.harmed(status_of(site, ticket.id) is TicketStatus.IN_PROGRESS, "moved on from a status it never held")


def test_a_status_change_without_a_technician_is_refused(site: Site) -> None:
    """Only a reopen (a "not solved" answer) needs no technician; a kiosk's walk-up screens cannot resolve."""
    ticket = a_ticket(site, status=TicketStatus.IN_PROGRESS)
    eid, row = status_event(site, ticket, "in_progress", "resolved", actor_id=None)
    site.refused(site.push([site.op("ticket_events", "insert", eid, row),
                            site.op("tickets", "update", ticket.id, {"resolution": "Fixed"})]),
                 "only a signed-in technician")
    site.harmed(status_of(site, ticket.id) is TicketStatus.RESOLVED, "resolved with no technician")


def test_a_ticket_pushed_already_closed_is_new_on_the_service(site: Site) -> None:
    """A new ticket's status is its events', never the status column a push carries."""
    with site.db.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.campus_id == site.campus_id)).first()
        cat = ctx.session.scalars(select(Ticket.category_id)).first()
    assert device is not None
    tid, now = uuid.uuid4(), _now().isoformat()
    resp = site.push([site.op("tickets", "insert", tid, {
        "number": "C1-2345CD", "campus_id": str(site.campus_id), "device_id": str(device.id),
        "category_id": str(cat), "description": "Screen is cracked", "reporter_priority": "P3",
        "priority": "P3", "status": "closed", "channel": "kiosk", "opened_at": now, "created_at": now,
        "updated_at": now})])
    assert resp.status_code == 200, resp.text
    site.harmed(status_of(site, tid) is TicketStatus.CLOSED, "a ticket born closed, with no closing")


def test_times_before_the_tickets_own_opening_do_not_break_the_push(site: Site) -> None:
    """A kiosk clock a minute behind (or a push made so): a public note and a resolved_at before the ticket's
    opened_at. The push is applied and the SLA clocks count from the opening (it failed with a 500 before:
    "stop event ... is before the ticket was created")."""
    with site.db.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.campus_id == site.campus_id)
                                     .order_by(Device.asset_tag.desc())).first()
        cat = ctx.session.scalars(select(Ticket.category_id)).first()
    assert device is not None
    tid, opened = uuid.uuid4(), _now()
    now, before = opened.isoformat(), (opened - timedelta(minutes=1)).isoformat()
    ticket = {"number": "C1-9876XY", "campus_id": str(site.campus_id), "device_id": str(device.id),
              "category_id": str(cat), "description": "Keyboard is dead", "reporter_priority": "P2",
              "priority": "P2", "status": "new", "channel": "kiosk", "opened_at": now, "created_at": now,
              "updated_at": now}
    eid, note = an_event(site, tid, public=True, body="Looking at it", actor_id=str(site.tech_id), at=before)
    resp = site.push([site.op("tickets", "insert", tid, ticket), site.op("ticket_events", "insert", eid, note)])
    assert resp.status_code == 200, resp.text
    resp = site.push([site.op("tickets", "update", tid, {"resolved_at": before})])
    assert resp.status_code in (200, 422), resp.text  # applied or refused, never a crash
    with site.db.unit() as ctx:
        row = ctx.session.get(Ticket, tid)
        assert row is not None and row.response_due_at is not None


def test_an_answered_survey_for_an_old_closed_ticket_is_refused(site: Site) -> None:
    """Only a closing makes a survey: a closed ticket of the past gets none from a push, answered or not."""
    with site.db.unit() as ctx:
        closings = select(TicketEvent.ticket_id, func.max(TicketEvent.at).label("at")).where(
            TicketEvent.kind == "status", TicketEvent.new_value == "closed").group_by(TicketEvent.ticket_id).subquery()
        found = ctx.session.execute(select(Ticket, closings.c.at).join(closings, closings.c.ticket_id == Ticket.id)
                                    .where(Ticket.campus_id == site.campus_id,
                                           Ticket.status == TicketStatus.CLOSED)).first()
        before = ctx.session.scalar(select(func.count()).select_from(Survey))
    assert found is not None
    ticket, closed_at = found
    for invited in (closed_at, _now()):  # at the old closing, or now
        at = invited.isoformat()
        resp = site.push([site.op("surveys", "insert", uuid.uuid4(), {
            "ticket_id": str(ticket.id), "reporter_id": str(ticket.reporter_id) if ticket.reporter_id else None,
            "invited_at": at, "submitted_at": at, "solved": True, "timeliness": 5, "courtesy": 5,
            "communication": 5, "quality": 5, "overall": 5, "created_at": at, "updated_at": at})])
        site.refused(resp, "survey")
    with site.db.unit() as ctx:
        site.harmed(ctx.session.scalar(select(func.count()).select_from(Survey)) == before + 2,
                    "answered surveys for an old closed ticket")


def test_a_survey_crediting_another_technician_than_the_assignee_is_refused(site: Site) -> None:
    """The closing is real and the survey made at it, but it names another technician than the ticket's
    assignee: its answer would count in their weekly report and accountability."""
    with site.db.unit() as ctx:
        ticket = ctx.session.scalars(select(Ticket).where(
            Ticket.campus_id == site.campus_id, Ticket.reporter_id.is_not(None)).order_by(Ticket.number.desc())).first()
        assert ticket is not None
        number, tid, reporter = ticket.number, ticket.id, ticket.reporter_id
    _walked_to(site, site.campus_id, TicketStatus.IN_PROGRESS, number=number)
    with site.db.unit(Actor(staff_id=site.tech_id, label="test")) as ctx:
        tickets.assign(ctx, number, site.tech_id)
    ticket = _walked_to(site, site.campus_id, TicketStatus.RESOLVED, number=number)
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    for credited, refused in ((site.other_tech_id, True), (site.tech_id, False)):
        eid, row = status_event(site, ticket, "resolved", "closed", actor_id=str(site.tech_id))
        sid, now = uuid.uuid4(), _now().isoformat()  # invited at the closing, just after it
        ops = [site.op("ticket_events", "insert", eid, row),
               site.op("surveys", "insert", sid, {
                   "ticket_id": str(tid), "reporter_id": str(reporter), "technician_id": str(credited),
                   "invited_at": now, "created_at": now, "updated_at": now})]
        if refused:
            site.refused(site.push(ops), "assignee")
            with site.db.unit() as ctx:
                site.harmed(ctx.session.get(Survey, sid) is not None, "a survey credited to another technician")
            if not site.guarded:
                return
        else:  # the same closing crediting the assignee goes through: the check is not a blanket refusal
            resp = site.push(ops)
            assert resp.status_code == 200, resp.text
            with site.db.unit() as ctx:
                made = ctx.session.get(Survey, sid)
                assert made is not None and made.technician_id == site.tech_id


def test_a_backdated_note_or_repair_is_dated_no_earlier_than_the_kiosks_last_full_sync(site: Site) -> None:
    """A public note dated last week would be a first response in time for an SLA it missed; a repair dated
    into a past week would change a weekly report already read. The kiosk synced its whole outbox at set-up."""
    ticket = a_ticket(site)
    old = (site.synced_at - timedelta(days=6)).isoformat()
    eid, row = an_event(site, ticket.id, public=True, body="We are on it", actor_id=str(site.tech_id), at=old)
    rid, now = uuid.uuid4(), _now().isoformat()
    repair = {"ticket_id": str(ticket.id), "device_id": str(ticket.device_id) if ticket.device_id else None,
              "technician_id": str(site.tech_id), "action": "Reseated the keyboard", "minutes": 15,
              "performed_at": old, "created_at": now, "updated_at": now}
    resp = site.push([site.op("ticket_events", "insert", eid, row), site.op("repair_logs", "insert", rid, repair)])
    assert resp.status_code == 200, resp.text
    with site.db.unit() as ctx:
        at = ctx.session.get(TicketEvent, eid).at  # type: ignore[union-attr]
        performed = ctx.session.get(RepairLog, rid).performed_at  # type: ignore[union-attr]
    floor = site.synced_at - timedelta(minutes=6)  # its last round, less the skew allowed
    site.harmed(at < floor, f"a note dated {at}")
    site.harmed(performed < floor, f"a repair dated {performed}")


def test_a_backdated_loan_is_dated_no_earlier_than_the_kiosks_last_full_sync(site: Site) -> None:
    """A loan's out_at orders the loaner's check-outs (the first stands): a loan dated in the past would void
    the real loans made since. The kiosk synced its whole outbox at set-up, so nothing it sends now is older."""
    with site.db.unit() as ctx:
        loaner = ctx.session.scalars(select(Device).where(Device.campus_id == site.campus_id)
                                     .order_by(Device.asset_tag.desc()).offset(3)).first()
        reporter = ctx.session.scalars(select(Reporter.id)).first()
    assert loaner is not None
    lid, now = uuid.uuid4(), _now()
    resp = site.push([site.op("loans", "insert", lid, {
        "campus_id": str(site.campus_id), "loaner_id": str(loaner.id), "reporter_id": str(reporter),
        "out_at": "2020-01-01T08:00:00+00:00", "due_on": (now + timedelta(days=5)).date().isoformat(),
        "out_by_id": str(site.tech_id), "kiosk_id": str(site.kiosk_id), "created_at": now.isoformat(),
        "updated_at": now.isoformat()})])
    assert resp.status_code == 200, resp.text
    with site.db.unit() as ctx:
        out_at = ctx.session.get(Loan, lid).out_at  # type: ignore[union-attr]
    # guarded: its last round, less the skew allowed
    site.harmed(out_at < site.synced_at - timedelta(minutes=6), f"a loan dated {out_at}")


def test_answered_surveys_cannot_be_pushed_for_tickets_that_are_not_closed(site: Site) -> None:
    with site.db.unit() as ctx:
        open_ids = list(ctx.session.scalars(select(Ticket.id).where(
            Ticket.campus_id == site.campus_id, Ticket.status.not_in([TicketStatus.CLOSED,
                                                                     TicketStatus.RESOLVED])).limit(5)))
        before = ctx.session.scalar(select(func.count()).select_from(Survey).where(Survey.submitted_at.is_not(None)))
    if not open_ids:  # the seeder's statuses depend on the hour (and earlier tests close tickets)
        walked = _walked_to(site, site.campus_id, TicketStatus.IN_PROGRESS)
        assert walked is not None
        open_ids = [walked.id]
    now = _now().isoformat()
    ops = [site.op("surveys", "insert", uuid.uuid4(), {
        "ticket_id": str(t), "invited_at": now, "submitted_at": now, "solved": True, "timeliness": 5,
        "courtesy": 5, "communication": 5, "quality": 5, "overall": 5, "created_at": now, "updated_at": now})
        for t in open_ids]
    site.refused(site.push(ops), "survey")
    with site.db.unit() as ctx:
        after = ctx.session.scalar(select(func.count()).select_from(Survey).where(Survey.submitted_at.is_not(None)))
    site.harmed(after == before + len(ops) > before, "5/5 surveys for open tickets")


def _an_answered_survey(site: Site) -> Survey:
    from kiosk.domain import surveys

    with site.db.unit() as ctx:  # a ticket with a reporter to invite, taken through a fresh closing
        number = ctx.session.scalars(select(Ticket.number).where(
            Ticket.campus_id == site.campus_id, Ticket.reporter_id.is_not(None)).order_by(Ticket.number)).first()
    assert number is not None
    _walked_to(site, site.campus_id, TicketStatus.IN_PROGRESS, number=number)
    ticket = _walked_to(site, site.campus_id, TicketStatus.CLOSED, number=number)
    assert ticket is not None
    with site.db.unit() as ctx:
        found = surveys.for_ticket(ctx.session, ticket.id)
        assert found is not None, "a closing invites a survey"
        if found.submitted_at is None:
            surveys.submit_pending(ctx, found.id, surveys.Answers(True, 4, 4, 4, 4, 4))
        ctx.session.flush()
        ctx.session.expunge(found)
    return found


def test_an_answered_survey_cannot_be_overwritten_moved_or_reopened(site: Site) -> None:
    with site.db.unit() as ctx:
        survey = ctx.session.scalars(select(Survey).join(Ticket, Ticket.id == Survey.ticket_id).where(
            Ticket.campus_id == site.campus_id, Survey.submitted_at.is_not(None))).first()
    if survey is None:  # the seeder's answers depend on the hour it ran: make one as the domain does
        survey = _an_answered_survey(site)
    with site.db.unit() as ctx:
        other = ctx.session.scalars(select(Ticket).where(Ticket.campus_id == site.campus_id,
                                                         Ticket.id != survey.ticket_id)).first()
    assert other is not None
    site.refused(site.push([site.op("surveys", "update", survey.id, {"overall": 1, "quality": 1})]), "answered")
    site.refused(site.push([site.op("surveys", "update", survey.id, {"ticket_id": str(other.id)})]), "ticket_id")
    site.refused(site.push([site.op("surveys", "update", survey.id,
                                    {"expires_at": "2099-01-01T00:00:00+00:00"})]), "expires_at")
    with site.db.unit() as ctx:
        again = ctx.session.get(Survey, survey.id)
        assert again is not None
        site.harmed(again.overall == 1 and survey.overall != 1, "an answered survey overwritten")
        site.harmed(again.ticket_id == other.id and other.id != survey.ticket_id, "a survey moved to another ticket")
        site.harmed(again.expires_at is not None and again.expires_at.year == 2099, "an expired link reopened")


def test_a_huge_repair_credited_to_a_technician_who_never_signed_in_here_is_refused(site: Site) -> None:
    ticket = a_ticket(site)
    rid, now = uuid.uuid4(), _now().isoformat()
    values = {"ticket_id": str(ticket.id), "device_id": str(ticket.device_id) if ticket.device_id else None,
              "technician_id": str(site.other_tech_id), "action": "Replaced everything", "minutes": 100_000,
              "performed_at": now, "created_at": now, "updated_at": now}
    site.refused(site.push([site.op("repair_logs", "insert", rid, values)]), "minutes")
    rid2 = uuid.uuid4()
    site.refused(site.push([site.op("repair_logs", "insert", rid2, values | {"minutes": 30})]),
                 "has not signed in at this kiosk")
    with site.db.unit() as ctx:
        site.harmed(ctx.session.get(RepairLog, rid) is not None, "100,000 minutes credited")
        site.harmed(ctx.session.get(RepairLog, rid2) is not None, "a repair credited to a technician not here")


def test_a_public_note_signed_by_the_admin_is_refused(site: Site) -> None:
    ticket = a_ticket(site)
    eid, row = an_event(site, ticket.id, public=True, body="Call me at 555-0100", actor_id=str(site.admin_id))
    site.refused(site.push([site.op("ticket_events", "insert", eid, row)]), "has not signed in at this kiosk")
    with site.db.unit() as ctx:
        site.harmed(ctx.session.get(TicketEvent, eid) is not None, "a public note signed by the admin")


def test_oversized_text_and_control_characters_are_refused(site: Site) -> None:
    ticket = a_ticket(site)
    site.refused(site.push([site.op("tickets", "update", ticket.id, {"description": "x" * (15 * 1024 * 1024)})]))
    eid, row = an_event(site, ticket.id, body="hello \x1b[2J\x1b[31mred")
    site.refused(site.push([site.op("ticket_events", "insert", eid, row)]), "control character")
    with site.db.unit() as ctx:
        length = ctx.session.scalar(select(func.length(Ticket.description)).where(Ticket.id == ticket.id))
        site.harmed(length == 15 * 1024 * 1024, "a 15 MiB description")
        site.harmed(ctx.session.get(TicketEvent, eid) is not None, "a note with terminal escapes")
    if not site.guarded:  # the other tests pick tickets too: give this one back its size
        with site.db.unit() as ctx:
            ctx.session.get(Ticket, ticket.id).description = ticket.description  # type: ignore[union-attr]


# --- 4. email ------------------------------------------------------------------------------------------------


def test_a_reporter_with_two_addresses_is_refused_and_gets_no_mail(site: Site) -> None:
    rid = uuid.uuid4()
    site.refused(site.push([site.op("reporters", "insert", rid, {
        "kind": "teacher", "email": "victim@outside.example, second@another.example",
        "created_at": _now().isoformat(), "updated_at": _now().isoformat()})]), "email")
    with site.db.unit() as ctx:
        site.harmed(ctx.session.get(Reporter, rid) is not None, "a reporter with two addresses")
        assert ctx.session.scalar(select(func.count()).select_from(EmailMessage).where(
            EmailMessage.to_address.like("%,%"))) == 0


# --- 5. clocks -----------------------------------------------------------------------------------------------


def test_a_stamp_from_the_far_future_is_clamped_and_another_kiosks_node_is_refused(site: Site) -> None:
    with site.db.unit() as ctx:
        device, second = ctx.session.scalars(select(Device).where(Device.campus_id == site.campus_id)
                                             .order_by(Device.asset_tag.desc()).limit(2)).all()
    future = f"9999999999999:99999:{site.node}"
    resp = site.push([site.op("devices", "update", device.id, {"notes": "mine forever"}, stamp=future)])
    assert resp.status_code == 200, resp.text  # clamped, not refused
    with site.db.unit() as ctx:
        stamp = ctx.session.scalars(select(SyncFieldClock.hlc).where(
            SyncFieldClock.row_id == device.id, SyncFieldClock.field == "notes")).one()
    site.harmed(hlc.Stamp.parse(stamp).ms > (_now() + timedelta(minutes=6)).timestamp() * 1000,
                "a stamp from the year 2286 wins every later edit")
    site.harmed(not hlc.is_valid(resp.json()["hlc"]), "the answer's stamp fails its own format")
    other_node = uuid.uuid4().hex
    site.refused(site.push([site.op("devices", "update", second.id, {"notes": "not me"},
                                    stamp=hlc.tick(None, other_node))]), "another kiosk")
    with site.db.unit() as ctx:
        notes = ctx.session.scalars(select(Device.notes).where(Device.id == second.id)).one()
    site.harmed(notes == "not me", "an edit stamped with another kiosk's node")


# --- 6. no 500s ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/enroll", "/v1/push", "/v1/pull", "/v1/sync", "/v1/signin"])
def test_lone_surrogates_nuls_and_bad_utf8_get_a_400(site: Site, path: str) -> None:
    site.guarded_only()  # request hygiene is a middleware in front of every endpoint, not a push check
    head = {"Content-Type": "application/json", "Authorization": f"Bearer {site.token}"}
    rev = schema.head_revision()
    bodies = [
        ('{"protocol": ' + str(PROTOCOL_VERSION) + ', "schema_rev": "' + rev + '", "code": "\\ud800", "name": "x"}')
        .encode(),
        ('{"protocol": ' + str(PROTOCOL_VERSION) + ', "schema_rev": "' + rev + '", "code": "AB\\u0000CD", '
         '"name": "x"}').encode(),
        b'{"protocol": ' + str(PROTOCOL_VERSION).encode() + b', "schema_rev": "\xff\xfe", "name": "x"}',
    ]
    for body in bodies:
        resp = httpx.post(site.server.url + path, content=body, headers=head, timeout=30)
        assert resp.status_code == 400, (path, body, resp.status_code, resp.text[:300])


def test_a_nul_inside_a_json_column_is_refused_not_a_500(site: Site) -> None:
    site.guarded_only()  # the request hygiene refuses the escaped NUL first (the push check is a second line)
    resp = site.push([site.op("audit_log", "insert", uuid.uuid4(), {
        "at": _now().isoformat(), "action": "device.update", "detail": {"note": "a\u0000b"},
        "created_at": _now().isoformat(), "updated_at": _now().isoformat()})])
    assert 400 <= resp.status_code < 500, resp.text


# --- tokens, sign-in, rate limits ------------------------------------------------------------------------------


def test_a_copied_token_stops_working_at_the_next_sync_of_the_real_kiosk(site: Site, tmp_path: Path) -> None:
    site.guarded_only()  # token rotation is not a push check
    from kiosk.sync import config
    from kiosk.sync.client import Syncer

    with site.db.unit() as ctx:
        code = ctx.session.scalars(select(Campus.code).where(Campus.id == site.campus_id)).one()
    node = make_kiosk(site.db, site.server.url, code, tmp_path / "r.sqlite3", "rotating")
    path = tmp_path / "r.json"
    copied = config.load(path).token
    syncer = Syncer(node.db, config.load(path), config_path=path)
    try:
        syncer.sync_once()  # gets its next token, saved in the file
        assert config.load(path).token != copied
        syncer.sync_once()  # uses it: the copied one stops
        stolen = httpx.post(site.server.url + "/v1/pull", headers={"Authorization": f"Bearer {copied}"},
                            json={"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision()}, timeout=30)
        assert stolen.status_code == 401
        assert syncer.sync_once().rejected == 0  # the real kiosk goes on
    finally:
        syncer.close()
        node.close()


def test_sign_in_takes_as_long_for_an_unknown_name_as_for_a_real_one(site: Site) -> None:
    import time

    from kiosk.domain.passwords import hash_secret

    site.guarded_only()  # the stand-in hash is the sign-in's, not a push check

    with site.db.unit() as ctx:
        user = ctx.session.get(StaffUser, site.other_tech_id)
        assert user is not None
        user.password_hash = hash_secret("correct horse battery")
        name = user.username
    head = {"Authorization": f"Bearer {site.token}"}
    body = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "password": "wrong guess"}

    def timed(username: str) -> float:
        started = time.perf_counter()
        resp = httpx.post(site.server.url + "/v1/signin", json={**body, "username": username}, headers=head,
                          timeout=60)
        assert resp.status_code in (403, 429), resp.text
        return time.perf_counter() - started

    known = sorted(timed(name) for _ in range(3))[1]
    unknown = sorted(timed(f"nobody{i}") for i in range(3))[1]
    assert unknown > known * 0.5, (known, unknown)  # before: 118 ms against 825 ms


def test_enrollment_codes_cannot_be_tried_quickly(site: Site) -> None:
    statuses = [httpx.post(site.server.url + "/v1/enroll", timeout=30, json={
        "protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "code": f"AAAA-BBBB-{i:04d}",
        "name": "guess"}).status_code for i in range(25)]
    site.harmed(429 not in statuses and statuses.count(401) == 25, "25 codes tried in a row")  # unguarded: off
