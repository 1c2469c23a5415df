"""A kiosk process for the fault test: makes edits and syncs in a loop until it has made its share.

Run as: python tests/sync/fault_kiosk.py DB_PATH CONFIG_PATH NAME EDITS SEED [broken]
It may be killed with SIGKILL at any moment and started again: it counts the edits already in its database.
With ``broken`` it acknowledges its outbox before the server has committed the push (the negative control).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from kiosk.domain import devices, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import DomainError
from kiosk.domain.models import Campus, Device, Room, StaffUser, Ticket, TicketEvent
from kiosk.sync import local
from kiosk.sync.client import Syncer, SyncError
from kiosk.sync.config import load


def main() -> int:
    db_path, config_path, name, edits, seed = sys.argv[1:6]
    broken = len(sys.argv) > 6 and sys.argv[6] == "broken"
    target = int(edits)
    db = Database(f"sqlite:///{db_path}")
    cfg = load(Path(config_path))
    syncer = Syncer(db, cfg, push_batch=50, pull_limit=500, timeout=3.0)
    if broken:
        real = local.next_ops

        def fire_and_forget(db: Database, limit: int) -> list[dict[str, object]]:
            ops = real(db, limit)
            local.ack(db, [int(str(op["seq"])) for op in ops])  # BUG on purpose: forget before the server has it
            return ops  # type: ignore[return-value]

        local.next_ops = fire_and_forget  # type: ignore[assignment]
    marker = f"fault:{name}:"
    with db.unit() as ctx:
        s = ctx.session
        done = s.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.body.like(marker + "%"))) or 0
        staff = s.scalars(select(StaffUser.id).order_by(StaffUser.username).limit(1)).one()
        tags = list(s.scalars(select(Device.asset_tag).where(Device.campus_id == cfg.campus_id)
                              .order_by(Device.asset_tag).limit(8)))
        campus_code = s.scalars(select(Campus.code).where(Campus.id == cfg.campus_id)).one()
        room = s.scalars(select(Room.name).where(Room.campus_id == cfg.campus_id).order_by(Room.name)).first()
    rng = random.Random(f"{seed}:{done}")
    actor = Actor(staff_id=staff, kiosk_id=cfg.kiosk_id, label="kiosk")
    while done < target:
        for _ in range(rng.randint(5, 30)):
            if done >= target:
                break
            roll = rng.random()
            try:
                if roll < 0.06:
                    # a device registered here; the same tag may be registered at another kiosk too (offline)
                    with db.unit(actor) as ctx:
                        devices.register(ctx, f"RG{rng.randint(0, 60):04d}", category="laptop",
                                         campus=campus_code, room=room, serial=f"{name}-{rng.randint(0, 99)}")
                elif roll < 0.12:
                    with db.unit(actor) as ctx:
                        tickets.create_ticket(ctx, category="screen", description="Fault-test ticket",
                                              reporter=f"S9{rng.randint(0, 50)}", tag=rng.choice(tags))
                elif roll < 0.35:
                    with db.unit(actor) as ctx:
                        devices.set_fields(ctx, rng.choice(tags), {
                            "notes": f"{name} {rng.randint(0, 9)}",
                            "status": rng.choice(["in_service", "in_repair", "loaner", "spare"])})
                else:
                    with db.unit(actor) as ctx:
                        numbers = list(ctx.session.scalars(select(Ticket.number).where(
                            Ticket.campus_id == cfg.campus_id).order_by(Ticket.number).limit(12)))
                        tickets.add_note(ctx, rng.choice(numbers), f"{marker}{done}", public=rng.random() < 0.5)
                    done += 1
            except DomainError:
                continue
        try:
            syncer.sync_once()
        except SyncError:
            time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
