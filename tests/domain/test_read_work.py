"""Staff-only reads (a ticket with its internal notes, a device's history, the ticket list, the work queue) go
through use-cases that check who asks and return frozen data; screens and the CLI never call the bare reads."""

from __future__ import annotations

import dataclasses
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain import device_work, seed, ticket_work, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Campus, Device, StaffRole, StaffUser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def story(db: Database) -> dict[str, object]:
    seed.seed(db, seed.SeedOptions(devices=20, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    with db.unit() as ctx:
        s = ctx.session
        tag = s.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
        campus = s.scalars(select(Campus).order_by(Campus.code)).first()
        assert tag and campus
        active = StaffUser(username="ana", first_name="Ana", last_name="Tech", role=StaffRole.TECHNICIAN)
        gone = StaffUser(username="old", first_name="Old", last_name="Tech", role=StaffRole.TECHNICIAN,
                         active=False)
        s.add_all([active, gone])
        s.flush()
        t = tickets.create_ticket(ctx, category="screen", description="screen cracked", reporter="123456",
                                  tag=tag)
        s.flush()
        ana = Actor(staff_id=active.id, label="technician")
        number = t.number
    with db.unit(ana) as ctx:
        tickets.add_note(ctx, number, "internal: the reporter dropped it twice", public=False)
    return {"tag": tag, "number": number, "campus": campus.code, "ana": ana, "campus_id": campus.id,
            "gone": Actor(staff_id=gone.id, label="technician")}


NOT_STAFF = {
    "no actor": Actor(),
    "the walk-up kiosk": Actor(kiosk_id=uuid.uuid4(), label="kiosk"),
    "an unknown staff id": Actor(staff_id=uuid.uuid4(), label="technician"),
}


@pytest.mark.parametrize("who", [*NOT_STAFF, "a disabled account"])
def test_a_non_staff_actor_is_refused_every_staff_read(db: Database, story: dict[str, object], who: str) -> None:
    actor = NOT_STAFF[who] if who in NOT_STAFF else story["gone"]
    assert isinstance(actor, Actor)
    number, tag = str(story["number"]), str(story["tag"])
    reads = {
        "ticket record": lambda ctx: ticket_work.ticket_record(ctx, number),
        "ticket card": lambda ctx: ticket_work.ticket_card(ctx, number),
        "ticket list": lambda ctx: ticket_work.ticket_list(ctx, status="all"),
        "device record": lambda ctx: device_work.device_record(ctx, tag),
        "device file": lambda ctx: device_work.device_file(ctx, tag),
        "work queue": lambda ctx: ticket_work.work_queue(ctx, story["campus_id"], run_rules=False),
    }
    for name, read in reads.items():
        with db.read(actor) as ctx, pytest.raises(PermissionDenied):
            read(ctx)
            pytest.fail(f"{name} was given to {who}")


def test_staff_and_the_console_read_internal_notes_as_frozen_data(db: Database, story: dict[str, object]) -> None:
    number, tag = str(story["number"]), str(story["tag"])
    for actor in (story["ana"], Actor.console_user()):
        assert isinstance(actor, Actor)
        with db.read(actor) as ctx:
            record = ticket_work.ticket_record(ctx, number)
            lines = ticket_work.ticket_list(ctx, status="all")
            device = device_work.device_file(ctx, tag)
        assert any(not e.public and "dropped it twice" in (e.body or "") for e in record.events)
        assert record.as_dict()["events"][-1]["body"] == "internal: the reporter dropped it twice"
        assert [x.number for x in lines] == [number]
        assert device.fields["asset_tag"] == tag and any(not i.public for i in device.items)
        for value in (record, record.events[0], lines[0], device, device.items[0]):
            with pytest.raises(dataclasses.FrozenInstanceError):
                value.number = "X"  # type: ignore[union-attr]
    with db.read(Actor.console_user()) as ctx, pytest.raises(PermissionDenied):
        ticket_work.work_queue(ctx, None, "mine", run_rules=False)  # "mine" is a person's queue


BARE_READS = re.compile(r"\b(tickets\.view|devices\.history|queue\.queue_rows|queue_rows|tickets\.list_tickets|"
                        r"list_tickets)\(")


def test_screens_and_the_cli_never_call_the_bare_reads() -> None:
    callers = [*(ROOT / "kiosk" / "ui").rglob("*.py"), *(ROOT / "kiosk").glob("cli*.py")]
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in callers
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if BARE_READS.search(line)]
    assert offenders == []


def test_only_the_cli_makes_a_console_actor() -> None:
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kiosk").rglob("*.py")
                   if "console_user(" in p.read_text(encoding="utf-8") or "console=True" in p.read_text("utf-8"))
    assert all(u.startswith("kiosk/cli") or u == "kiosk/domain/db.py" for u in users), users
