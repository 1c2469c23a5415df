"""Each district fact is read through one function: the time zone, idle times and troublesome thresholds."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.domain import district, district_file
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Campus
from kiosk.resources import resource_path


def _apply(db: Database, text: str) -> None:
    with db.unit(Actor(label="test")) as ctx:
        district_file.apply(ctx, district_file.read(text, "d.toml"))


def test_before_a_district_file_the_facts_are_the_products_defaults(db: Database) -> None:
    with db.unit() as ctx:
        assert district.local_zone(ctx.session) == ZoneInfo("UTC")  # no district: no guessed zone
        assert district.idle_times(ctx.session) == district.IdleTimes(60, 300)
        assert district.idle_times(ctx.session, 45) == district.IdleTimes(45, 300)  # the kiosk's own setting
        assert district.troublesome_thresholds(ctx.session) == district.TroublesomeThresholds(3, 90)


def test_the_district_file_sets_the_zone_idle_times_and_thresholds(db: Database) -> None:
    text = resource_path("district.example.toml").read_text(encoding="utf-8")
    text = (text.replace('timezone = "America/Los_Angeles"', 'timezone = "America/New_York"')
            .replace("walkup_idle_seconds = 60", "walkup_idle_seconds = 90")
            .replace("technician_idle_seconds = 300", "technician_idle_seconds = 600")
            .replace("troublesome_repairs = 3", "troublesome_repairs = 4")
            .replace("troublesome_days = 90", "troublesome_days = 120"))
    _apply(db, text)
    with db.unit() as ctx:
        s = ctx.session
        assert district.local_zone(s) == ZoneInfo("America/New_York")
        assert district.idle_times(s, 45) == district.IdleTimes(90, 600)  # the district's wins where it is set
        assert district.troublesome_thresholds(s) == district.TroublesomeThresholds(4, 120)
        from kiosk.domain.reports.base import district_tz
        from kiosk.domain.rotation import campus_schedule
        from kiosk.domain.sla import load_calendar

        assert district_tz(s) == ZoneInfo("America/New_York")  # the reports read the same function
        assert load_calendar(s)[0].tz == "America/New_York"  # and the SLA calendar
        campus = s.scalars(select(Campus)).first()
        assert campus is not None
        assert campus_schedule(s, campus.id, ctx.clock.now().date(), 7).tz == ZoneInfo("America/New_York")
