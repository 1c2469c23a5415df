"""Locations from Snipe-IT and CSV, and an asset file whose locations do not exist yet (--create-locations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.domain import location_import
from kiosk.domain.db import Database
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import AuditLogEntry, Campus, Device, Room
from kiosk.resources import resource_path

DATA = Path(__file__).parent / "data"


@pytest.fixture
def district(any_db: Database) -> Database:
    assert main(["district", "apply", str(resource_path("district.example.toml")), "--url", any_db.url]) == 0
    return any_db


def _places(db: Database) -> tuple[dict[str, str], set[tuple[str, str]]]:
    with db.unit() as ctx:
        campuses = {c.code: c.name for c in ctx.session.scalars(select(Campus))}
        rooms = {(c.code, r.name) for r, c in ctx.session.execute(select(Room, Campus).join(Campus))}
    return campuses, rooms


def _count(db: Database, model: type) -> int:
    with db.unit() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("Riverside High", ("Riverside High", None)),
    ("Riverside High / Lab B", ("Riverside High", "Lab B")),
    ("Riverside High > Lab B", ("Riverside High", "Lab B")),
    ("Lincoln Elementary - Room 4", ("Lincoln Elementary", "Room 4")),
    ("Lincoln Elementary, Library", ("Lincoln Elementary", "Library")),
    ("Lincoln  Elementary", ("Lincoln Elementary", None)),
    ("Riverside High - Science Wing - Lab 3", ("Riverside High", "Science Wing - Lab 3")),  # known campus first
])
def test_a_location_text_splits_only_where_it_is_unambiguous(text: str, expected: tuple[str, str | None]) -> None:
    assert location_import.split_location(text, lambda t: t.casefold() == "riverside high") == expected


def test_a_location_that_splits_two_ways_is_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="more than one way"):
        location_import.split_location("North - East, Room 2", lambda t: False)


def test_snipe_it_locations_become_campuses_and_rooms_without_duplicates(
        district: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = district.url
    before = _places(district)
    capsys.readouterr()
    assert main(["import", "locations", str(DATA / "snipeit-locations.csv"), "--dry-run", "--url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would create 2 campuses, 5 rooms (1 campuses and 0 rooms already there)")
    assert "dry run: nothing was written" in out
    assert _places(district) == before
    assert main(["import", "locations", str(DATA / "snipeit-locations.csv"), "--url", url]) == 0
    assert capsys.readouterr().out.startswith("created 2 campuses, 5 rooms")
    campuses, rooms = _places(district)
    assert campuses == {**before[0], "LE": "Lincoln Elementary", "DO": "District Office"}
    assert rooms - before[1] == {("LE", "Library"), ("LE", "Room 4"), ("RHS", "Science Wing"), ("RHS", "Lab 3"),
                                 ("RHS", "Gym")}
    assert main(["import", "locations", str(DATA / "snipeit-locations.csv"), "--url", url]) == 0
    assert capsys.readouterr().out.startswith("created 0 campuses, 0 rooms")
    with district.unit() as ctx:  # through the services: in the audit log
        assert ctx.session.scalar(select(func.count()).select_from(AuditLogEntry).where(
            AuditLogEntry.action == "district.campus_created")) == 5


def test_our_campus_room_csv_names_codes_and_refuses_a_code_taken(district: Database, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "rooms.csv"
    f.write_text("campus,room,code\nRHS,Room 102,\nriverside high,Room 103,\nWest Campus,Portable 1,WST\n",
                 encoding="utf-8")
    assert main(["import", "locations", str(f), "--url", district.url]) == 0
    campuses, rooms = _places(district)
    assert campuses["WST"] == "West Campus" and {("RHS", "Room 102"), ("RHS", "Room 103"),
                                                  ("WST", "Portable 1")} <= rooms
    f.write_text("campus,room,code\nEast Campus,Room 1,RHS\n", encoding="utf-8")
    assert main(["import", "locations", str(f), "--url", district.url]) == 2
    assert "rooms.csv:2: campus code 'RHS' is already another campus's" in capsys.readouterr().err
    assert "East Campus" not in _places(district)[0].values()


def test_an_asset_file_whose_locations_do_not_exist_imports_completely_with_create_locations(
        district: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = district.url
    assets = str(DATA / "snipeit-assets.csv")
    before = _places(district)
    audit_before = _count(district, AuditLogEntry)
    capsys.readouterr()
    assert main(["import", "devices", assets, "--url", url]) == 2  # without the flag: refused, nothing written
    assert "unknown location 'Hillcrest Middle - Room 210'" in capsys.readouterr().out
    assert main(["import", "devices", assets, "--create-locations", "--dry-run", "--url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would create 4 campuses, 5 rooms")
    assert "would be 10 created" in out and "would create campus HM: Hillcrest Middle" in out
    assert "would create room HM / Room 210" in out and "dry run: nothing was written" in out
    assert _places(district) == before and _count(district, Device) == 0
    assert _count(district, AuditLogEntry) == audit_before
    assert main(["import", "devices", assets, "--create-locations", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "created 4 campuses, 5 rooms" in out and "10 created" in out
    campuses, rooms = _places(district)
    assert sorted(set(campuses) - set(before[0])) == ["DO", "HM", "LE", "MRE"]
    with district.unit() as ctx:
        where = {d.asset_tag: (c.code if c else None, r.name if r else None) for d, c, r in ctx.session.execute(
            select(Device, Campus, Room).outerjoin(Campus, Device.campus_id == Campus.id)
            .outerjoin(Room, Device.room_id == Room.id))}
    assert where["RUSD000101"] == ("LE", "Library") and where["RUSD000102"] == ("LE", "Room 4")
    assert where["RUSD000106"] == ("RHS", "Lab B") and where["RUSD000107"] == ("OES", "Kinder A")
    assert where["RUSD000108"] == ("DO", None) and where["RUSD000110"] == ("RHS", "Tech Room")
    # a second run finds everything: no second campus for one already there
    assert main(["import", "devices", assets, "--create-locations", "--url", url]) == 0
    assert "created 0 campuses, 0 rooms" in capsys.readouterr().out
    assert len(_places(district)[0]) == len(campuses)
