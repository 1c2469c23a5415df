"""The district file: a real district applied from the shipped example, idempotently, and exported back."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.domain import district, district_file
from kiosk.domain.db import Actor, Database
from kiosk.domain.district_file import DistrictFileError
from kiosk.domain.models import (
    AuditLogEntry,
    Campus,
    Objective,
    Room,
    RotationVisit,
    ServiceCategory,
    StaffUser,
    SyncChange,
)
from kiosk.resources import resource_path

EXAMPLE = resource_path("district.example.toml")


def _apply(db: Database, text: str) -> list[district_file.Change]:
    spec = district_file.read(text, "test.toml")
    with db.unit(Actor(label="test")) as ctx:
        return district_file.apply(ctx, spec)


def _count(db: Database, model: type) -> int:
    with db.unit() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_example_applies_to_an_empty_database_then_changes_nothing(any_db: Database) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    first = _apply(any_db, text)
    assert {c.verb for c in first} == {"created"}
    assert _count(any_db, Campus) == 3 and _count(any_db, Room) == 10 and _count(any_db, StaffUser) == 3
    assert _apply(any_db, text) == []
    with any_db.unit() as ctx:
        assert district.local_zone(ctx.session) == ZoneInfo("America/Los_Angeles")
        exported = district_file.export(ctx)
    assert _apply(any_db, exported) == []  # export -> apply is a no-op
    # every creation is in the audit log
    with any_db.unit() as ctx:
        logged = ctx.session.scalar(select(func.count()).select_from(AuditLogEntry)
                                    .where(AuditLogEntry.action.like("district.%_created")))
    assert logged == len(first)


def test_a_dry_run_lists_the_changes_and_writes_nothing(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = db.url
    assert main(["district", "apply", str(EXAMPLE), "--dry-run", "--url", url]) == 0
    out = capsys.readouterr().out
    # 41 for the district, plus the repair desk's [desk] (8 settings) and [[damage_plans]] (1 plan)
    assert "would make 50 changes" in out and "create campus RHS" in out and "nothing was written" in out
    assert _count(db, Campus) == 0 and _count(db, AuditLogEntry) == 0
    assert main(["district", "apply", str(EXAMPLE), "--url", url]) == 0
    assert "50 changes (50 created)" in capsys.readouterr().out
    assert main(["district", "apply", str(EXAMPLE), "--url", url]) == 0
    assert capsys.readouterr().out.strip() == "district.example.toml: no changes"


def _without(text: str, *needles: str) -> str:
    """The district file without the tables that contain any of ``needles``."""
    blocks = re.split(r"(?m)^(?=\[)", text)
    return "".join(b for b in blocks if not any(n in b for n in needles))


def test_what_leaves_the_file_is_retired_not_deleted_and_comes_back(db: Database) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    _apply(db, text)
    smaller = _without(text, 'code = "OES"', 'technician = "dchen"', 'username = "dchen"', 'key = "network"')
    smaller = smaller.replace('"Library", "Room 101", "Lab B", "Tech Room"', '"Library", "Room 101", "Tech Room"')
    changes = _apply(db, smaller)
    assert sorted(str(c) for c in changes) == [
        "disabled staff dchen", "hidden category network",
        "removed rotation_exception dchen@RHS 2026-12-09 extra", "retired campus OES",
        "retired room RHS / Lab B", "retired rotation dchen@OES tue,thu from 2026-08-11"]
    with db.unit() as ctx:
        s = ctx.session
        oes = s.scalars(select(Campus).where(Campus.code == "OES")).one()
        assert not oes.active
        assert not s.scalars(select(StaffUser).where(StaffUser.username == "dchen")).one().active
        assert not s.scalars(select(ServiceCategory).where(ServiceCategory.code == "network")).one().active
        visit = s.scalars(select(RotationVisit).where(RotationVisit.campus_id == oes.id)).one()
        assert visit.valid_to is not None  # ended, not deleted: the past schedule stays
        from kiosk.domain import walkup

        assert "OES" not in {code for _, code, _ in walkup.campuses(s)}  # the kiosks no longer offer them
        rhs = s.scalars(select(Campus).where(Campus.code == "RHS")).one()
        assert [name for _, name in walkup.rooms(s, rhs.id)] == ["Library", "Room 101", "Tech Room"]
    assert _count(db, Campus) == 3 and _count(db, StaffUser) == 3 and _count(db, Room) == 10
    assert _apply(db, smaller) == []
    back = _apply(db, text)
    assert "enabled campus OES" in [str(c) for c in back]
    with db.unit() as ctx:
        assert ctx.session.scalars(select(StaffUser).where(StaffUser.username == "dchen")).one().active


def test_a_bad_file_gets_one_message_per_problem_with_its_line_and_changes_nothing(db: Database) -> None:
    bad = """[district]
name = "Bad"
timezone = "America/Nowhere"

[[campuses]]
code = "A"
name = "Alpha"

[[staff]]
username = "pat"
first_name = "Pat"
last_name = "One"
role = "technician"

[[staff]]
username = "PAT"
first_name = "Pat"
last_name = "Two"
role = "technician"

[[rotation]]
technician = "pat"
campus = "ZZZ"
weekdays = ["mon"]
from = "2026-08-10"
window = "13:00-14:00"

[[rotation]]
technician = "pat"
campus = "A"
weekdays = ["mon", "tue"]
from = "2026-08-10"
window = "08:00-11:00"

[[rotation]]
technician = "pat"
campus = "A"
weekdays = ["tue"]
every_weeks = 1
from = "2026-08-10"
window = "10:30-12:00"

[[rotation]]
technician = "pat"
campus = "A"
weekdays = ["wed"]
every_weeks = 2
from = "2026-08-10"
window = "08:00-09:00"

[[rotation]]
technician = "pat"
campus = "A"
weekdays = ["wed"]
every_weeks = 2
from = "2026-08-17"
window = "08:00-09:00"
"""
    with pytest.raises(DistrictFileError) as err:
        district_file.read(bad, "bad.toml")
    problems = err.value.problems
    assert problems == [
        "bad.toml:3: district.timezone: 'America/Nowhere' is not a time zone (e.g. America/Los_Angeles)",
        "bad.toml:16: staff[2].username: duplicate username 'PAT' (also staff[1])",
        "bad.toml:35: rotation[3]: overlapping windows: pat is already at A 08:00-11:00 on a shared weekday "
        "(rotation[2])",
        "bad.toml:23: rotation[1].campus: unknown campus 'ZZZ'",
    ]  # alternate weeks (rotation 4 and 5) do not overlap
    assert main(["district", "apply", "/nonexistent.toml", "--url", db.url]) == 2
    assert _count(db, Campus) == 0


def test_unknown_keys_and_bad_values_are_named(db: Database) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('icon = "power"', 'icon = "power"\ncolour = "red"')
    text = text.replace('first_response = "30m"', 'first_response = "soon"')
    with pytest.raises(DistrictFileError) as err:
        district_file.read(text, "d.toml")
    assert len(err.value.problems) == 2
    assert "categories[1].colour: unknown key 'colour'" in err.value.problems[0]
    assert "sla.P1.first_response: 'soon' is not a duration" in err.value.problems[1]
    assert _count(db, Campus) == 0


def test_objectives_change_by_school_year_and_the_report_reads_them(db: Database) -> None:
    from kiosk.domain.reports import objectives as objectives_report
    from kiosk.domain.reports.base import Period

    with db.unit() as ctx:  # before any district file: the product's defaults
        assert [o.target for o in district.objectives(ctx.session)] == [94.0, 4.0, 90.0]
    _apply(db, EXAMPLE.read_text(encoding="utf-8"))
    assert _count(db, Objective) == 4
    with db.unit() as ctx:
        s = ctx.session
        last_year = {o.metric: o.target for o in district.objectives(s, date(2026, 3, 1))}
        this_year = {o.metric: o.target for o in district.objectives(s, date(2026, 9, 1))}
        assert last_year["satisfaction_pct"] == 94 and this_year["satisfaction_pct"] == 97
        period = Period.of_dates(district.local_zone(s), date(2026, 9, 1), date(2026, 9, 30))
        report = objectives_report.build(s, period, None, ctx.clock.now())
        labels = [row[1] for row in report.pages[0].tables[0].rows]
    assert "Satisfaction (overall 4-5) >= 97%" in labels


def test_a_period_across_two_school_years_judges_each_month_by_its_own_years_objective(db: Database) -> None:
    """P1 median <= 4 h until June 30, <= 2 h from July 1: a 3-hour P1 in June meets, one in July misses (the
    whole period used to be judged by its last day's objective, so June 'missed' too)."""
    from datetime import UTC, datetime

    from kiosk.domain import tickets
    from kiosk.domain.clock import FakeClock
    from kiosk.domain.reports import objectives as objectives_report
    from kiosk.domain.reports.base import Period

    text = EXAMPLE.read_text(encoding="utf-8") + (
        '\n[[objectives]]\nmetric = "p1_median_resolution_hours"\ncomparator = "<="\ntarget = 2\n'
        'from = "2026-07-01"\n')
    _apply(db, text)
    assert isinstance(db.clock, FakeClock)
    admin_id = _staff_id(db, "itadmin")
    for day in (15, 13):  # Monday 15 June and Monday 13 July 2026, 08:00 to 11:00 Pacific: 3 business hours
        month = 6 if day == 15 else 7
        db.clock.set(datetime(2026, month, day, 15, 0, tzinfo=UTC))
        with db.unit(Actor(label="kiosk")) as ctx:
            number = tickets.create_ticket(ctx, category="network", description="no internet in the lab",
                                           reporter="200001", campus="RHS", priority="P1").number
        db.clock.set(datetime(2026, month, day, 18, 0, tzinfo=UTC))
        with db.unit(Actor(staff_id=admin_id, label="test")) as ctx:
            tickets.change_status(ctx, number, "in_progress")
            tickets.change_status(ctx, number, "resolved", resolution="Reset the switch")
    with db.unit() as ctx:
        s = ctx.session
        period = Period.of_dates(district.local_zone(s), date(2026, 6, 1), date(2026, 7, 31))
        report = objectives_report.build(s, period, None, ctx.clock.now())
    page = report.pages[0]
    monthly = {(r["month"], r["metric"]): r for r in next(t for t in page.tables if t.key == "monthly").as_dicts()}
    june, july = monthly[("2026-06", "p1_median_resolution_hours")], monthly[("2026-07", "p1_median_resolution_hours")]
    assert (june["actual"], june["target"], june["status"]) == (3.0, "<=4", "met")
    assert (july["actual"], july["target"], july["status"]) == (3.0, "<=2", "missed")
    assert monthly[("2026-06", "satisfaction_pct")]["target"] == ">=94"
    assert monthly[("2026-07", "satisfaction_pct")]["target"] == ">=97"
    summary = {r["metric"]: r for r in next(t for t in page.tables if t.key == "objectives").as_dicts()}
    assert (summary["p1_median_resolution_hours"]["months_met"],
            summary["p1_median_resolution_hours"]["months_with_data"]) == (1, 2)
    assert summary["p1_median_resolution_hours"]["objective"] == (
        "P1 median resolution <= 4 business hours until 2026-06-30, <= 2 business hours from 2026-07-01")
    assert page.facts["p1_median_resolution_hours_months_met"] == "1/2"
    chart = next(c for c in page.charts if c.key == "p1_median_resolution_hours")
    assert sorted(chart.targets.values()) == [2.0, 4.0]


def _staff_id(db: Database, username: str) -> object:
    with db.unit() as ctx:
        return ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == username)).one()


def test_changes_on_the_central_database_reach_the_change_log(db: Database) -> None:
    from kiosk.server import changelog

    changelog.mark_central(db)
    _apply(db, EXAMPLE.read_text(encoding="utf-8"))
    with db.unit() as ctx:
        tables = set(ctx.session.scalars(select(SyncChange.table_name)))
    assert {"districts", "campuses", "rooms", "staff_users", "service_categories", "sla_targets",
            "working_hours", "holidays", "rotation_visits", "rotation_exceptions", "objectives"} <= tables


def test_an_admin_signed_in_may_apply_and_a_technician_may_not(db: Database) -> None:
    from kiosk.domain.errors import PermissionDenied

    _apply(db, EXAMPLE.read_text(encoding="utf-8"))
    with db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one().id
    spec = district_file.read(EXAMPLE.read_text(encoding="utf-8").replace("Riverside Unified", "RUSD"), "x")
    with pytest.raises(PermissionDenied), db.unit(Actor(staff_id=tech)) as ctx:
        district_file.apply(ctx, spec)
