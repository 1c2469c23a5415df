"""The inventory report on five devices whose ages, warranties and repair costs are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from kiosk.domain import seed
from kiosk.domain.db import Database
from kiosk.domain.models import Campus, Device, DeviceCategory, DeviceStatus, RepairLog, StaffUser
from kiosk.domain.reports import inventory


def test_inventory_report_matches_hand_computed_devices(any_db: Database) -> None:
    db = any_db
    seed.seed(db, seed.SeedOptions(devices=0, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    now = datetime(2026, 9, 14, 15, 0, tzinfo=UTC)  # Monday 14 September 2026, 10:00 in Chicago
    with db.unit() as ctx:
        s = ctx.session
        campus = s.scalars(select(Campus).order_by(Campus.code)).first()
        tech = s.scalars(select(StaffUser).where(StaffUser.role == "technician")).first()
        assert campus is not None and tech is not None

        def device(tag: str, cat: DeviceCategory, make: str, model: str, bought: date | None, cost: int | None,
                   warranty: date | None, status: DeviceStatus = DeviceStatus.IN_SERVICE) -> Device:
            d = Device(asset_tag=tag, category=cat, manufacturer=make, model=model, campus_id=campus.id,
                       purchase_date=bought, purchase_cost_cents=cost, warranty_end=warranty, status=status)
            s.add(d)
            s.flush()
            return d

        d1 = device("T0001", DeviceCategory.CHROMEBOOK, "Dell", "Chromebook 3110", date(2021, 9, 1), 28900,
                    date(2024, 9, 1))
        d2 = device("T0002", DeviceCategory.CHROMEBOOK, "Dell", "Chromebook 3110", date(2025, 1, 10), 28900,
                    date(2028, 1, 10))
        device("T0003", DeviceCategory.LAPTOP, "HP", "ProBook 440 G10", date(2022, 10, 1), 87900, date(2026, 9, 15))
        device("T0004", DeviceCategory.CHROMEBOOK, "Dell", "Chromebook 3110", date(2018, 1, 1), 28900,
               date(2021, 1, 1), DeviceStatus.RETIRED)
        device("T0005", DeviceCategory.PROJECTOR, "Epson", "BrightLink 725Wi", None, None, None)
        for dev, cents in ((d1, 4500), (d1, 11000), (d2, 1800)):
            s.add(RepairLog(device_id=dev.id, technician_id=tech.id, action="fix", parts_cost_cents=cents,
                            minutes=20, performed_at=now))
    with db.unit() as ctx:
        report = inventory.build(ctx.session, None, None, now)
    page = report.page("summary")
    # Not retired: T0001-T0003, T0005. Past warranty: T0001 (2024); T0003's ends tomorrow. Past replacement age:
    # T0001, 1839 days old against 4 x 365 for a Chromebook; T0003 is 1444 days against 5 x 365 for a laptop.
    assert page.facts == {"devices": 4, "past_warranty": 1, "past_replacement_age": 1, "replacement_budget": 289.0}
    # Ages: T0002 612 days (1-2y), T0003 1444 (3-4y), T0001 1839 (5y+), T0005 unknown.
    assert page.tables[1].rows == [["<1y", 0], ["1-2y", 1], ["2-3y", 0], ["3-4y", 1], ["4-5y", 0], ["5y+", 1],
                                   ["unknown", 1]]
    models = {r["model"]: r for r in page.tables[2].as_dicts()}
    # Dell: two devices, (1839 + 612) / 2 / 365.25 = 3.4 years; 3 repairs, 45 + 110 + 18 = 173.00 in parts.
    assert models["Chromebook 3110"] == {
        "manufacturer": "Dell", "model": "Chromebook 3110", "category": "chromebook", "devices": 2,
        "avg_age_years": 3.4, "past_warranty": 1, "past_replacement_age": 1, "repairs": 3,
        "repair_parts_cost": 173.0, "purchase_cost": 578.0}
    # T0001's repairs cost 155.00 of its 289.00: 53.6%, over half. T0002's 18.00 is not.
    assert page.tables[3].rows == [["T0001", "Chromebook 3110", campus.code, 2, 155.0, 289.0, 53.6]]
    assert {tuple(r[1:]) for r in page.tables[0].rows} == {("chromebook", 2), ("laptop", 1), ("projector", 1)}
