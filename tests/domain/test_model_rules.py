"""Model rules: server-free time-ordered keys, aware timestamps, append-only records, hashed credentials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain import passwords, seed, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.ids import uuid7, uuid7_time_ms
from kiosk.domain.models import AppendOnlyViolation, AuditLogEntry, StaffUser, TicketEvent


def test_uuid7_keys_are_unique_versioned_and_time_ordered() -> None:
    keys = [uuid7() for _ in range(5000)]
    assert len(set(keys)) == 5000
    assert keys == sorted(keys)
    assert all(k.version == 7 and k.variant == uuid.RFC_4122 for k in keys[:10])
    ms = int(datetime(2026, 1, 2, tzinfo=UTC).timestamp() * 1000)
    assert uuid7_time_ms(uuid7(ms)) == ms


def test_timestamps_come_back_aware_in_utc(any_db: Database) -> None:
    seed.seed(any_db, seed.SeedOptions(devices=20, tickets=5, hash_passwords=False))
    with any_db.unit() as ctx:
        ev = ctx.session.query(TicketEvent).first()
        assert ev is not None and ev.at.tzinfo is not None and ev.at.utcoffset() == timedelta(0)


def test_ticket_events_and_the_audit_log_are_append_only(db: Database) -> None:
    seed.seed(db, seed.SeedOptions(devices=20, tickets=5, hash_passwords=False))
    with pytest.raises(AppendOnlyViolation), db.unit() as ctx:
        ev = ctx.session.query(TicketEvent).first()
        assert ev is not None
        ev.body = "rewritten history"
    with pytest.raises(AppendOnlyViolation), db.unit() as ctx:
        ctx.session.add(AuditLogEntry(at=ctx.clock.now(), action="x"))
        ctx.session.flush()
        entry = ctx.session.query(AuditLogEntry).first()
        ctx.session.delete(entry)
    with db.unit() as ctx:
        assert ctx.session.query(AuditLogEntry).count() == 0  # the failed unit rolled back


def test_credentials_are_stored_only_as_argon2id_hashes(db: Database) -> None:
    seed.seed(db, seed.SeedOptions(devices=10, tickets=0))
    with db.unit() as ctx:
        admin = ctx.session.query(StaffUser).filter_by(username="admin").one()
        assert admin.password_hash is not None and admin.password_hash.startswith("$argon2id$")
        assert seed.DEMO_PASSWORD not in admin.password_hash
        assert passwords.verify_secret(admin.password_hash, seed.DEMO_PASSWORD)
        assert not passwords.verify_secret(admin.password_hash, "wrong")
        assert passwords.verify_secret(admin.pin_hash, seed.DEMO_PIN)


def test_every_privileged_change_is_in_the_audit_log(db: Database) -> None:
    seed.seed(db, seed.SeedOptions(devices=30, tickets=10, hash_passwords=False))
    with db.unit() as ctx:
        tech = ctx.session.query(StaffUser).filter_by(role="technician").first()
        assert tech is not None
        t = tickets.list_tickets(ctx.session, status="all")[0]
        number, tech_id = t.number, tech.id
    with db.unit(Actor(staff_id=tech_id, label="test")) as ctx:
        tickets.override_priority(ctx, number, "P1", "whole class affected")
    with db.unit() as ctx:
        entry = ctx.session.query(AuditLogEntry).filter_by(action="ticket.priority_override").one()
        assert entry.actor_id == tech_id and entry.detail and entry.detail["new"] == "P1"


def test_a_savepoint_first_in_a_unit_still_rolls_back_with_it(db: Database) -> None:
    """SQLite: a SAVEPOINT issued before any write nests in the unit's transaction, not around it."""
    seed.seed(db, seed.SeedOptions(devices=5, tickets=0, hash_passwords=False))
    with pytest.raises(RuntimeError), db.unit() as ctx:
        with ctx.session.begin_nested():
            ctx.session.add(AuditLogEntry(at=ctx.clock.now(), action="inside savepoint"))
        raise RuntimeError("the unit fails after the savepoint was released")
    with db.unit() as ctx:
        assert ctx.session.query(AuditLogEntry).filter_by(action="inside savepoint").count() == 0
