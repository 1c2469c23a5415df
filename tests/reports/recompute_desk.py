"""The repair desk's report figures recomputed from the raw tables, for ``test_recompute.py``.

Like ``recompute.py``: nothing here imports ``kiosk.domain.reports`` or the repair-desk domain modules; the rules
are the ones written in ``docs/repairdesk.md`` (first-contact resolution, cause and resolution tables, walk-ins per
technician, the loaner pool under the first-check-out-wins rule, low stock). ``add_cases`` gives the edge-case
district walk-ins, loans (one lent twice), parts and codes, made through the services.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.reports.recompute import _at, _day, _id, _rows, in_period, share


def put(target: dict[str, Any], base: str, **cols: Any) -> None:
    for c, v in cols.items():
        target[f"{base}.{c}"] = v


def _tickets(session: Session) -> list[dict[str, Any]]:
    rows = _rows(session, "SELECT id, campus_id, channel, cause, resolution_code, opened_at, resolved_at "
                          "FROM tickets")
    for t in rows:
        t["id"], t["campus_id"] = _id(t["id"]), _id(t["campus_id"])
        t["opened_at"], t["resolved_at"] = _at(t["opened_at"]), _at(t["resolved_at"])
    return rows


def _campus_codes(session: Session) -> dict[str | None, str]:
    return {_id(r["id"]): r["code"] for r in _rows(session, "SELECT id, code FROM campuses")}


def expected_service(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    codes = _campus_codes(session)
    names = {_id(r["id"]): r["name"] for r in _rows(session, "SELECT id, name FROM campuses")}
    tickets = _tickets(session)
    contacts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for t in tickets:
        if in_period(t["opened_at"], start, end) and t["channel"] in ("walk-in", "kiosk"):
            c = contacts[t["campus_id"]]
            c[0] += t["channel"] == "walk-in" and t["resolved_at"] is not None
            c[1] += t["channel"] == "kiosk"
            c[2] += 1
    for cid, (fixed, reported, n) in contacts.items():
        put(out, f"summary.first_contact_resolution[{codes[cid]}]", campus=codes[cid], name=names[cid],
            walk_ins_fixed=fixed, kiosk_reports=reported, walk_up_contacts=n,
            first_contact_resolution_pct=share(fixed, n))
    causes: dict[str, int] = defaultdict(int)
    for t in tickets:
        if in_period(t["opened_at"], start, end):
            causes[t["cause"] or "(not recorded)"] += 1
    for cause, n in causes.items():
        put(out, f"summary.by_cause[{cause}]", cause=cause, tickets=n)
    resolved: dict[str, int] = defaultdict(int)
    for t in tickets:
        if in_period(t["resolved_at"], start, end):
            resolved[t["resolution_code"] or "(not recorded)"] += 1
    for code, n in resolved.items():
        put(out, f"summary.by_resolution[{code}]", resolution_code=code, tickets=n)
    return out


def expected_walkins(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    walkins = {t["id"] for t in _tickets(session) if t["channel"] == "walk-in" and in_period(t["opened_at"], start, end)}
    staff = {_id(r["id"]): r["username"] for r in _rows(session, "SELECT id, username FROM staff_users")}
    per: dict[str, list[Any]] = defaultdict(lambda: [set(), 0])
    for r in _rows(session, "SELECT ticket_id, technician_id, minutes FROM repair_logs"):
        if _id(r["ticket_id"]) in walkins:
            p = per[staff[_id(r["technician_id"])]]
            p[0].add(_id(r["ticket_id"]))
            p[1] += int(r["minutes"])
    for name, (ids, minutes) in per.items():
        put(out, f"summary.walk_ins[{name}]", technician=name, walk_ins=len(ids), minutes=minutes)
    return out


def expected_inventory(session: Session, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tz_name = session.execute(text("SELECT timezone FROM districts")).scalar() or "America/Chicago"
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(tz_name)).date()
    codes = _campus_codes(session)
    pool = {_id(r["id"]): _id(r["campus_id"]) for r in _rows(
        session, "SELECT id, campus_id FROM devices WHERE status = 'loaner'")}
    loans: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(session, "SELECT id, campus_id, loaner_id, out_at, due_on, returned_at FROM loans"):
        r["out_at"], r["returned_at"], r["due_on"] = _at(r["out_at"]), _at(r["returned_at"]), _day(r["due_on"])
        r["id"], r["campus_id"] = _id(r["id"]), _id(r["campus_id"])
        loans[_id(r["loaner_id"])].append(r)
    per: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # loaners, available, out, overdue, twice
    for device, campus in pool.items():
        p = per[campus]
        p[0] += 1
        holding = None
        for loan in sorted(loans.get(device, []), key=lambda x: (x["out_at"], x["id"])):
            if holding is not None and (holding["returned_at"] is None or holding["returned_at"] > loan["out_at"]):
                if loan["returned_at"] is None:  # lent twice, not settled
                    per[loan["campus_id"]][4] += 1
                continue
            holding = loan
        if holding is not None and holding["returned_at"] is None:
            p[2] += 1
            p[3] += holding["due_on"] < today
        else:
            p[1] += 1
    for campus, (n, avail, lent, late, twice) in per.items():
        code = codes.get(campus, "(none)") if campus else "(none)"
        put(out, f"summary.loaner_pool[{code}]", campus=code, loaners=n, available=avail, overdue=late,
            conflicts=twice)
        out[f"summary.loaner_pool[{code}].out"] = lent
    parts = {_id(r["id"]): r for r in _rows(session, "SELECT id, code, name, reorder_level FROM parts WHERE active")}
    stock: dict[tuple[str | None, str | None], int] = defaultdict(int)
    for r in _rows(session, "SELECT part_id, campus_id, delta FROM part_movements"):
        stock[(_id(r["part_id"]), _id(r["campus_id"]))] += int(r["delta"])
    for (pid, cid), n in stock.items():
        p = parts.get(pid)
        if p is not None and p["reorder_level"] > 0 and n <= p["reorder_level"]:
            put(out, f"summary.low_stock[{codes[cid]}|{p['code']}]", campus=codes[cid], part=p["code"],
                name=p["name"], stock=n, reorder_level=p["reorder_level"])
    return out


KEYS = {"first_contact_resolution": ["campus"], "by_cause": ["cause"], "by_resolution": ["resolution_code"],
        "walk_ins": ["technician"], "loaner_pool": ["campus"], "low_stock": ["campus", "part"]}


def add_cases(e: Any) -> None:
    """Walk-ins, codes, loans (one lent twice at two kiosks, one overdue) and parts, in week 47 of the edge district."""
    from sqlalchemy import select

    from kiosk.domain import devices, loaners, parts, triage, walkins
    from kiosk.domain.db import Actor
    from kiosk.domain.models import Device, Kiosk, Loan

    a, b = "mlopez", "jcarter"
    with e.at("2026-11-17 09:00", a) as ctx:
        walkins.log_walkin(ctx, tag=e.tags[3], action="Reseated the keyboard", minutes=12, cause="wear")
    with e.at("2026-11-17 10:00", b) as ctx:
        walkins.log_walkin(ctx, tag=e.tags[4], action="Showed how to reset", minutes=5,
                           resolution_code="user_training")
    e.open("coded", "2026-11-17 11:00", "P3", tag=e.tags[5])
    e.assign("coded", "2026-11-17 11:00", a)
    with e.at("2026-11-17 11:30", a) as ctx:
        triage.triage(ctx, e.numbers["coded"], "accidental")
        triage.resolve(ctx, e.numbers["coded"], code="part_replaced", resolution="Replaced the panel")
    with e.at("2026-11-16 08:00") as ctx:
        ctx.actor = Actor(label="cli")
        parts.add_part(ctx, code="LCD-116", name="LCD panel 11.6in", unit_cost_cents=4500, reorder_level=2)
        campus_id = ctx.session.scalars(select(Device.campus_id).where(Device.asset_tag == e.tags[6])).one()
        parts.receive(ctx, "LCD-116", 3, campus=campus_id)
        for tag in e.tags[6:9]:
            devices.set_fields(ctx, tag, {"status": "loaner"}, reason="loaner pool")
        now = ctx.clock.now()
        k1, k2 = (Kiosk(campus_id=campus_id, name=n, created_at=now, updated_at=now) for n in ("front", "library"))
        ctx.session.add_all([k1, k2])
        ctx.session.flush()
        kiosks = (k1.id, k2.id)
    e.open("part", "2026-11-18 09:00", "P3", tag=e.tags[9])
    with e.at("2026-11-18 09:30", a) as ctx:
        parts.log_repair_with_part(ctx, e.numbers["part"], action="Replaced the panel", minutes=25, part="LCD-116")
    with e.at("2026-11-18 10:00", a) as ctx:
        ctx.actor = Actor(staff_id=e.staff[a], kiosk_id=kiosks[0])
        loaners.check_out(ctx, loaner_tag=e.tags[6], reporter="200001", due=date(2026, 11, 25))  # overdue at "now"
        loaners.check_out(ctx, loaner_tag=e.tags[7], reporter="200002", due=date(2026, 12, 4))
    with e.at("2026-11-18 10:05", a) as ctx:  # the library lent the same loaner, offline, a little earlier
        loaner_id = ctx.session.scalars(select(Device.id).where(Device.asset_tag == e.tags[7])).one()
        from kiosk.domain.tickets import get_or_create_reporter

        rep = get_or_create_reporter(ctx, "200003")
        ctx.session.add(Loan(campus_id=campus_id, loaner_id=loaner_id, reporter_id=rep.id,
                             out_at=datetime(2026, 11, 18, 15, 59, tzinfo=UTC), due_on=date(2026, 11, 27),
                             kiosk_id=kiosks[1], created_at=ctx.clock.now(), updated_at=ctx.clock.now()))
