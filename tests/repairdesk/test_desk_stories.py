"""Walk-ins, cause and resolution codes, parts stock and damage triage, as a district meets them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.domain import desk_settings, parts, reports, tickets, triage, walkins
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor
from kiosk.domain.errors import Conflict, InvalidInput, PermissionDenied
from kiosk.domain.models import Channel, Kiosk, RepairLog, Ticket, TicketStatus
from kiosk.domain.reports import desk_figures
from tests.repairdesk.conftest import Desk


def _table(report: reports.Report, key: str) -> list[dict[str, object]]:
    return next(t for p in report.pages for t in p.tables if t.key == key).as_dicts()


def test_a_walk_in_counts_in_first_contact_resolution(desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:  # two walk-up reports at the kiosk, filed for later repair
        for tag in ("CB0002", "CB0003"):
            tickets.create_ticket(ctx, category="keyboard", description="Keys stuck", reporter="204511", tag=tag)
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        done = walkins.log_walkin(ctx, tag="CB0001", action="Reseated the keyboard ribbon", minutes=12)
    with db.unit() as ctx:
        t = ctx.session.scalars(select(Ticket).where(Ticket.number == done.number)).one()
        assert (t.channel, t.status, t.resolution_code, t.assignee_id) == (
            Channel.WALK_IN, TicketStatus.RESOLVED, "repaired_on_site", desk.tech_id)
        assert t.opened_at == t.resolved_at == clock.now()
        assert ctx.session.scalars(select(RepairLog.minutes).where(RepairLog.ticket_id == t.id)).one() == 12
    with db.unit(Actor()) as ctx, pytest.raises(PermissionDenied):  # no technician named
        walkins.log_walkin(ctx, tag="CB0001", action="Reseated it", minutes=1)
    clock.advance(days=1)
    with db.unit() as ctx:
        rep = reports.generate(ctx.session, "service", now=clock.now(), week="2026-W38")
        fcr = _table(rep, "first_contact_resolution")
        assert fcr == [{"campus": "LE01", "name": "Lincoln Elementary", "walk_ins_fixed": 1, "kiosk_reports": 2,
                        "walk_up_contacts": 3, "first_contact_resolution_pct": 33.3}]
        assert desk_figures.first_contact_resolution(ctx.session, rep.period, None)[1] == {
            "walk_ins_fixed": 1, "walk_up_contacts": 3, "first_contact_resolution_pct": 33.3}
        assert _table(rep, "by_resolution") == [{"resolution_code": "repaired_on_site", "tickets": 1}]
        weekly = reports.generate(ctx.session, "weekly", now=clock.now(), week="2026-W38")
        assert _table(weekly, "walk_ins") == [{"technician": "mlopez", "walk_ins": 1, "minutes": 12}]
        acc = reports.generate(ctx.session, "accountability", now=clock.now(), week="2026-W38")
        assert _table(acc, "walk_ins") == [{"technician": "mlopez", "walk_ins": 1, "minutes": 12}]
        assert _table(acc, "technicians")[0]["week_minutes"] == 12


def test_walkin_from_the_command_line_and_its_json_in_the_service_report(
        desk: Desk, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    desk.db.dispose()
    assert main(["walkin", "--tag", "CB0004", "--action", "Cleared the boot loop", "--minutes", "9",
                 "--url", sqlite_url]) == 2
    assert "--by USERNAME" in capsys.readouterr().err
    assert main(["walkin", "--tag", "CB0004", "--action", "Cleared the boot loop", "--minutes", "9",
                 "--by", "mlopez", "--cause", "wear", "--url", sqlite_url]) == 0
    assert "fixed by mlopez in 9 min (repaired_on_site)" in capsys.readouterr().out
    today = date.today()
    assert main(["report", "service", "--json", "--from", (today - timedelta(days=2)).isoformat(),
                 "--to", today.isoformat(), "--url", sqlite_url]) == 0
    data = json.loads(capsys.readouterr().out)
    text = json.dumps(data)
    assert '"first_contact_resolution_pct": 100.0' in text
    assert '"cause": "wear"' in text


def test_cause_and_resolution_codes_come_from_the_district_list(desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:
        n1 = tickets.create_ticket(ctx, category="screen", description="Cracked", reporter="204511", tag="CB0001").number
        n2 = tickets.create_ticket(ctx, category="screen", description="Lines", reporter="204512", tag="CB0002").number
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        with pytest.raises(InvalidInput, match="one of: repaired_on_site, part_replaced"):
            triage.resolve(ctx, n1, code="fixed it", resolution="Replaced the panel")
        triage.resolve(ctx, n1, code="Part replaced", resolution="Replaced the panel", cause="accidental")
        triage.set_cause(ctx, n2, "defect")
        with pytest.raises(Conflict, match="not resolved yet"):
            triage.set_resolution_code(ctx, n2, "no_fault_found")
    with db.unit() as ctx:
        desk_settings.set_value(ctx, "resolution.codes", [{"code": "reimaged", "label": "Reimaged"}])
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        triage.resolve(ctx, n2, code="reimaged", resolution="Reimaged it")
    clock.advance(hours=1)
    with db.unit() as ctx:
        rep = reports.generate(ctx.session, "service", now=clock.now(), week="2026-W38")
        assert _table(rep, "by_cause") == [{"cause": "accidental", "tickets": 1}, {"cause": "defect", "tickets": 1}]
        assert _table(rep, "by_resolution") == [{"resolution_code": "part_replaced", "tickets": 1},
                                                {"resolution_code": "reimaged", "tickets": 1}]


def test_a_repair_with_a_part_lowers_the_stock_and_raises_a_low_stock_line(
        desk: Desk, clock: FakeClock, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = desk.db
    with db.unit() as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="Cracked", reporter="204511",
                                       tag="CB0001").number
    db.dispose()
    assert main(["parts", "add", "lcd-116", "--name", "LCD panel 11.6in", "--cost", "45.00", "--reorder", "2",
                 "--url", sqlite_url]) == 0
    assert main(["parts", "stock", "LCD-116", "--campus", "LE01", "--add", "3", "--url", sqlite_url]) == 0
    assert "received 3, 3 in stock" in capsys.readouterr().out
    assert main(["parts", "list", "--low", "--url", sqlite_url]) == 0
    assert "0 line(s), 0 low" in capsys.readouterr().out
    assert main(["parts", "use", number, "--part", "LCD-116", "--action", "Replaced the panel", "--minutes", "25",
                 "--by", "mlopez", "--url", sqlite_url]) == 0
    assert "repair logged with 1 x LCD-116 ($45.00); 2 left (LOW: reorder)" in capsys.readouterr().out
    assert main(["parts", "list", "--low", "--json", "--url", sqlite_url]) == 0
    assert json.loads(capsys.readouterr().out) == [{"code": "LCD-116", "name": "LCD panel 11.6in", "campus": "LE01",
                                                    "stock": 2, "reorder_level": 2, "unit_cost": 45.0, "low": True}]
    with db.unit() as ctx:
        repair = ctx.session.scalars(select(RepairLog)).one()
        assert (repair.parts, repair.parts_cost_cents) == ("LCD-116 LCD panel 11.6in", 4500)
        assert parts.stock_of(ctx.session, parts.get_part(ctx.session, "LCD-116").id, desk.campus_id) == 2
        inv = reports.generate(ctx.session, "inventory", now=clock.now())
        assert _table(inv, "low_stock") == [{"campus": "LE01", "part": "LCD-116", "name": "LCD panel 11.6in",
                                             "stock": 2, "reorder_level": 2}]
        assert {r["campus"]: r["available"] for r in _table(inv, "loaner_pool")} == {"HS02": 1, "LE01": 3}
    assert main(["parts", "stock", "LCD-116", "--campus", "LE01", "--count", "5", "--url", sqlite_url]) == 0
    with db.unit() as ctx:
        assert parts.stock_lines(ctx.session, low_only=True) == []
        now = clock.now()
        k = Kiosk(campus_id=desk.other_campus_id, name="hs desk", created_at=now, updated_at=now)
        ctx.session.add(k)
        ctx.session.flush()
        kiosk_id = k.id
    with db.unit(Actor(staff_id=desk.tech_id, kiosk_id=kiosk_id)) as ctx, pytest.raises(PermissionDenied):
        parts.receive(ctx, "LCD-116", 1, campus="LE01")  # a kiosk changes only its own campus's stock
    with db.unit(Actor(staff_id=desk.tech_id, kiosk_id=kiosk_id)) as ctx, pytest.raises(PermissionDenied):
        parts.add_part(ctx, code="X1", name="thing", unit_cost_cents=1)


def test_a_third_accidental_damage_incident_in_a_school_year_shows_the_policys_third_action(
        desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:
        triage.add_plan(ctx, name="Dell ADP 2024", claims_per_year=2, purchase_order="PO-2024-118")
    seen = []
    for tag in ("CB0001", "CB0002", "CB0003"):  # the same student, three accidents in one school year
        with db.unit() as ctx:
            number = tickets.create_ticket(ctx, category="damage", description="Dropped it", reporter="204511",
                                           tag=tag).number
        with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
            seen.append(triage.triage(ctx, number, "accidental"))
        clock.advance(days=20)
    assert [v.incident_number for v in seen] == [1, 2, 3]
    assert seen[2].policy_action == desk_settings.DEFAULT_POLICY[2]["action"]
    assert seen[1].suggested_fee_cents == 2500
    assert [v.coverage for v in seen] == ["damage_plan", "damage_plan", "not_covered"]  # a pool of 2 claims
    assert seen[2].coverage_text == "not covered: plan Dell ADP 2024 has used all 2 claims this school year"
    with db.unit() as ctx:  # a defect is not a damage incident; in warranty (CB0005 to 2027-07-31)
        number = tickets.create_ticket(ctx, category="screen", description="Flicker", reporter="204511",
                                       tag="CB0005").number
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        v = triage.triage(ctx, number, "defect")
    assert (v.coverage, v.incident_number) == ("warranty", None)
    clock.set(clock.now().replace(year=2027, month=9, day=1))  # a new school year starts over
    with db.unit() as ctx:
        number = tickets.create_ticket(ctx, category="damage", description="Dropped", reporter="204511",
                                       tag="CB0004").number
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        v = triage.triage(ctx, number, "accidental")
    assert (v.incident_number, v.school_year) == (1, "2027-2028")


def test_depot_checklist_and_fees_csv_for_the_business_office(desk: Desk, clock: FakeClock, tmp_path: Path,
                                                              sqlite_url: str) -> None:
    db = desk.db
    with db.unit() as ctx:
        number = tickets.create_ticket(ctx, category="damage", description="Water", reporter="204511",
                                       tag="CB0001").number
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        triage.triage(ctx, number, "accidental")
        with pytest.raises(Conflict, match="before shipping: Remove the device from the management console"):
            triage.record_depot(ctx, number, vendor="Dell depot", case_number="SR123", shipped_on=clock.now().date())
        row = triage.record_depot(ctx, number, vendor="Dell depot", case_number="SR123", done=["1", "2", "3", "4"],
                                  shipped_on=clock.now().date())
        assert row.shipped_on == clock.now().date() and all(row.checklist.values())  # type: ignore[union-attr]
        triage.record_depot(ctx, number, vendor="Dell depot", returned_on=clock.now().date() + timedelta(days=9),
                            cost_cents=8900)
        triage.record_fee(ctx, number, amount_cents=2500, reason="=SUM(A1:A9) second incident")
    db.dispose()
    out = tmp_path / "fees.csv"
    assert main(["fees", "export", "--out", str(out), "--url", sqlite_url]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == triage.FEE_COLUMNS
    assert rows[1][1:8] == ["LE01", number, "204511", "CB0001", "25.00", "'=SUM(A1:A9) second incident",
                            "accidental"]
