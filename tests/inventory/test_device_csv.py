"""Device CSV import and export: our columns, Snipe-IT files, bad files, both modes, and the round trip."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.domain import device_csv, devices, seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.device_csv import ImportFileError
from kiosk.domain.models import (
    AuditLogEntry,
    Campus,
    Device,
    DeviceCategory,
    DeviceMove,
    DeviceStatus,
    Reporter,
    Room,
)

DATA = Path(__file__).parent / "data"
HEADER = ",".join(device_csv.COLUMNS)


def _csv(*lines: str, header: str = HEADER, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + "\r\n".join([header, *lines, ""]).encode("utf-8")


def _counts(db: Database) -> tuple[int, int, int, int]:
    """Devices, moves, audit-log entries, and a fingerprint of every device's fields."""
    with db.unit() as ctx:
        s = ctx.session
        rows = io.StringIO()
        device_csv.export_devices(s, rows)
        return (s.scalar(select(func.count()).select_from(Device)) or 0,
                s.scalar(select(func.count()).select_from(DeviceMove)) or 0,
                s.scalar(select(func.count()).select_from(AuditLogEntry)) or 0,
                hash(rows.getvalue()))


def _device(db: Database, tag: str) -> tuple[Device, str | None, str | None]:
    with db.unit() as ctx:
        d = devices.get_by_tag(ctx.session, tag)
        campus = ctx.session.get(Campus, d.campus_id) if d.campus_id else None
        room = ctx.session.get(Room, d.room_id) if d.room_id else None
        return d, campus.code if campus else None, room.name if room else None


def _export(db: Database) -> str:
    with db.unit() as ctx:
        buf = io.StringIO(newline="")
        device_csv.export_devices(ctx.session, buf)
        return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Our own columns
# ---------------------------------------------------------------------------------------------


def test_a_good_file_registers_new_devices_and_moves_an_existing_one(district: Database) -> None:
    """A technician imports two new carts of devices and, in the same file, records a device's move."""
    stages: list[str] = []
    data = _csv(
        "NEW-0001,SN1,Dell,Chromebook 3120,chromebook,in_service,LE01,Library,,2026-08-01,289.00,Bond 2022,"
        "2029-07-31,First cart",
        "new-0002,SN2,Apple,iPad 10,Tablet,spare,Lincoln Elementary,lab 1,200001,2026-08-01,$349,Title I,,",
        "DS100001,,,,,in_repair,WE02,Gym,,,,,,",
    )
    report = device_csv.import_devices(district, data, progress=lambda st, done, total: stages.append(st))
    assert report.ok and report.committed, report.errors
    assert (report.created, report.updated, report.unchanged, report.rows) == (2, 1, 0, 3)
    assert {"checking", "importing"} <= set(stages)
    d, campus, room = _device(district, "NEW-0002")
    assert (d.category, d.status, campus, room) == (DeviceCategory.TABLET, DeviceStatus.SPARE, "LE01", "Lab 1")
    assert d.purchase_cost_cents == 34900 and d.funding_source == "Title I" and d.warranty_end is None
    with district.unit() as ctx:
        assert ctx.session.get(Reporter, d.assignee_id).id_number == "200001"  # type: ignore[union-attr]
    d, campus, room = _device(district, "DS100001")
    assert (d.status, campus, room) == (DeviceStatus.IN_REPAIR, "WE02", "Gym")
    assert d.serial and d.model  # empty cells leave fields alone
    with district.unit() as ctx:
        moves = ctx.session.scalars(select(DeviceMove).where(DeviceMove.device_id == d.id)).all()
        assert {m.field for m in moves} == {"campus", "room", "status"} and {m.reason for m in moves} == {"import"}
        actions = list(ctx.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.at)))
        assert actions.count("device.register") == 2 and actions.count("device.update") >= 3
        assert "device.import" in actions and "device.import.done" in actions


def test_importing_the_same_file_twice_changes_nothing_the_second_time(district: Database) -> None:
    data = _csv("NEW-0001,SN1,Dell,Chromebook 3120,chromebook,in_service,LE01,Library,,2026-08-01,289,,,")
    assert device_csv.import_devices(district, data).created == 1
    before = _counts(district)
    again = device_csv.import_devices(district, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    after = _counts(district)
    assert after[0:2] == before[0:2] and after[3] == before[3]  # only the import's own log entries are added


def test_no_update_leaves_existing_tags_alone(district: Database) -> None:
    data = _csv("DS100001,,,,,retired,,,,,,,,", "NEW-0009,,,,desktop,,,,,,,,,")
    report = device_csv.import_devices(district, data, update=False)
    assert (report.created, report.updated, report.skipped_existing) == (1, 0, 1)
    assert _device(district, "DS100001")[0].status is not DeviceStatus.RETIRED


def test_export_then_import_round_trips_byte_for_byte(district: Database, tmp_path: Path, clock: FakeClock,
                                                      seeded_file: Path) -> None:
    """Awkward cells (commas, quotes, new lines, accents, a formula) survive export -> import -> export."""
    with district.unit() as ctx:
        devices.set_fields(ctx, "DS100002", {"notes": '=HYPERLINK("x")'})
        devices.set_fields(ctx, "DS100003", {"notes": 'Cracked, "badly"\nsecond line — Ñandú café'})
        devices.register(ctx, "NEW-ROUND-1", category="laptop", campus="RE03", room="B101", serial="-SN-1",
                         manufacturer="Lenovo", model="ThinkPad L13", status="loaner", assignee="200003",
                         purchase_date="2025-01-31", purchase_cost="1299.5", funding_source="@grant",
                         warranty_end="2028-01-31", notes="+loaner pool")
    path = tmp_path / "devices.csv"
    n = device_csv.export_to_file(district, path)
    assert n == 81
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    assert b"'=HYPERLINK" in raw and b"'+loaner pool" in raw  # a spreadsheet will not run them

    shutil.copyfile(seeded_file, tmp_path / "other.sqlite3")  # a second kiosk database with the same district
    other = Database(f"sqlite:///{tmp_path}/other.sqlite3", clock=clock)
    report = device_csv.import_devices(other, path)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 2, 78)
    assert _export(other) == _export(district)
    assert device_csv.export_to_file(other, tmp_path / "again.csv") == 81
    assert (tmp_path / "again.csv").read_bytes() == raw
    d = _device(other, "DS100003")[0]
    assert d.notes == 'Cracked, "badly"\nsecond line — Ñandú café'
    other.dispose()


# ---------------------------------------------------------------------------------------------
# Snipe-IT
# ---------------------------------------------------------------------------------------------


def test_a_snipe_it_export_maps_statuses_locations_and_categories(district: Database) -> None:
    report = device_csv.import_devices(district, DATA / "snipeit-assets.csv")
    assert report.ok and report.committed, report.errors
    assert report.source_format == "snipe-it" and report.encoding == "utf-8-sig" and report.delimiter == ","
    assert report.created == 8
    expected = {
        "SNP-1001": (DeviceStatus.SPARE, DeviceCategory.CHROMEBOOK, "LE01", "Library"),
        "SNP-1002": (DeviceStatus.IN_SERVICE, DeviceCategory.CHROMEBOOK, "LE01", "A101"),
        "SNP-1003": (DeviceStatus.IN_REPAIR, DeviceCategory.LAPTOP, "WE02", None),
        "SNP-1004": (DeviceStatus.IN_REPAIR, DeviceCategory.INTERACTIVE_PANEL, "RE03", "Lab 2"),
        "SNP-1005": (DeviceStatus.MISSING, DeviceCategory.DOCUMENT_CAMERA, "LE01", "Gym"),
        "SNP-1006": (DeviceStatus.RETIRED, DeviceCategory.PRINTER, "LE01", "Main Office"),
        "SNP-1007": (DeviceStatus.IN_REPAIR, DeviceCategory.OTHER, "WE02", None),
        "SNP-1008": (DeviceStatus.SPARE, DeviceCategory.TABLET, "RE03", "Library"),
    }
    for tag, (status, category, campus, room) in expected.items():
        d, c, r = _device(district, tag)
        assert (d.status, d.category, c, r) == (status, category, campus, room), tag
    d = _device(district, "SNP-1001")[0]
    assert (d.purchase_date, d.warranty_end, d.purchase_cost_cents) == (date(2023, 8, 15), date(2026, 8, 15), 28900)
    assert d.model == "Chromebook 3110" and d.manufacturer == "Dell"
    assert d.notes == "Cart 1, slot 4\nSnipe-IT Name: LIB-CB-01; Order: PO-23-0815; Supplier: CDW-G"
    d = _device(district, "SNP-1002")[0]
    assert d.notes is not None and d.notes.startswith('Keyboard replaced 2024-01-10 ("sticky" keys)\nSecond')
    assert _device(district, "SNP-1003")[0].purchase_cost_cents == 124950
    assert _device(district, "SNP-1008")[0].purchase_date == date(2022, 3, 4)  # US month/day
    # names are never stored: 'Checked Out To' is dropped with a note
    with district.unit() as ctx:
        assert not ctx.session.scalar(select(func.count()).select_from(Device).where(Device.notes.like("%Jane%")))
    reasons = [w.reason for w in report.warnings]
    assert any("Checked Out To" in r for r in reasons)
    assert any("'Furniture' imported as 'other'" in r for r in reasons)
    assert report.ignored_columns == ["Company", "Checked Out To"]


def test_snipe_it_headers_are_case_insensitive_and_semicolons_are_detected(district: Database) -> None:
    """A European Excel writes ';' and decimal commas; header case and spacing vary between Snipe-IT versions."""
    data = "\r\n".join([
        "ASSET TAG;model name;CATEGORY;status;location;purchase cost;Purchase Date",
        'EU-1;"Chromebook 3110; refurb";chromebook;Deployed;LE01 / A102;329,99;2024-02-29',
        "",
    ]).encode("utf-8-sig")
    report = device_csv.import_devices(district, data)
    assert report.ok and report.delimiter == ";", report.errors
    d, campus, room = _device(district, "EU-1")
    assert (d.model, d.purchase_cost_cents, campus, room) == ("Chromebook 3110; refurb", 32999, "LE01", "A102")


def test_a_windows_1252_file_is_read_with_a_note() -> None:
    text, enc = device_csv.decode_bytes("asset_tag,notes\r\nX-1,caf\xe9\r\n".encode("cp1252"))
    assert enc == "cp1252" and "café" in text
    assert device_csv.decode_bytes("asset_tag\r\n".encode("utf-16"))[1] == "utf-16"


# ---------------------------------------------------------------------------------------------
# Bad files
# ---------------------------------------------------------------------------------------------

# data/bad-devices.csv, our columns, one problem per row (the header is row 1):
# row 2: fine: OK-0001,S1,Dell,Chromebook,chromebook,in_service,LE01,Library,,2026-01-05,289,,,
# row 3: bad date: OK-0002,S2,Dell,Chromebook,chromebook,in_service,LE01,Library,,2026-02-30,289,,,
# row 4: campus: OK-0003,S3,Dell,Chromebook,chromebook,in_service,ZZ99,Library,,,,,,
# row 5: dup (a): DUP-1,S4,Dell,Chromebook,chromebook,,LE01,,,,,,,
# row 6: status: OK-0004,S5,Dell,Chromebook,chromebook,sold to parent,LE01,,,,,,,
# row 7: dup (b): DUP-1,S6,Dell,Chromebook,chromebook,,LE01,,,,,,,
# row 8: no category: OK-0005,S7,Dell,Chromebook,,,LE01,,,,,,,
# row 9: extra field: OK-0006,S8,Dell,Chromebook,chromebook,,LE01,,,2026-01-05,1,299.00,,,
# row 10: no tag: ,S9,Dell,Chromebook,chromebook,,LE01,,,,,,,
# row 11: assignee: OK-0007,S10,Dell,Chromebook,chromebook,,LE01,,999999,,,,,
# row 12: blank, skipped: ,,,,,,,,,,,,,
# row 13: fine: OK-0008,S11,Dell,Chromebook,chromebook,,LE01,,,,,,,
BAD_FILE = (DATA / "bad-devices.csv").read_bytes()
BAD_ROWS = [
    (3, "OK-0002", "purchase date '2026-02-30' is not a date"),
    (4, "OK-0003", "unknown campus 'ZZ99'"),
    (5, "DUP-1", "appears more than once"),
    (6, "OK-0004", "unknown status 'sold to parent'"),
    (7, "DUP-1", "also on row 5"),
    (8, "OK-0005", "a new device needs a category"),
    (9, None, "15 fields but the header has 14"),
    (10, None, "the asset tag is empty"),
    (11, "OK-0007", "no reporter '999999'"),
]


def _assert_bad_rows(report: device_csv.ImportReport) -> None:
    got = [(e.row, e.reason) for e in report.errors]
    assert [r for r, _ in got] == [r for r, _, _ in BAD_ROWS], got
    for (row, reason), (_, _, want) in zip(got, BAD_ROWS, strict=True):
        assert want in reason, (row, reason)
    assert report.errors[0].tag == "OK-0002" and report.errors[6].tag == "OK-0006"


def test_all_or_nothing_reports_every_bad_row_and_leaves_the_database_untouched(any_db: Database) -> None:
    seed.seed(any_db, seed.SeedOptions(devices=30, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    before = _counts(any_db)
    report = device_csv.import_devices(any_db, BAD_FILE)
    assert not report.committed and report.rows == 11
    _assert_bad_rows(report)
    assert _counts(any_db) == before
    assert "nothing was imported" in report.summary()


def test_good_rows_mode_imports_the_good_rows_and_reports_the_rest(any_db: Database) -> None:
    seed.seed(any_db, seed.SeedOptions(devices=30, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    before = _counts(any_db)
    report = device_csv.import_devices(any_db, BAD_FILE, mode="good-rows")
    assert report.committed and report.created == 2
    _assert_bad_rows(report)
    assert _counts(any_db)[0] == before[0] + 2
    with any_db.unit() as ctx:
        tags = set(ctx.session.scalars(select(Device.asset_tag).where(Device.asset_tag.like("OK-%"))))
        assert tags == {"OK-0001", "OK-0008"}
        assert not ctx.session.scalar(select(func.count()).select_from(Device).where(Device.asset_tag == "DUP-1"))
        # the failed row's savepoint left no trace: no device, no move, no log entry for OK-0007
        assert not ctx.session.scalar(select(func.count()).select_from(AuditLogEntry).where(
            AuditLogEntry.action == "device.register", AuditLogEntry.entity_id.is_not(None),
            AuditLogEntry.detail["tag"].as_string() == "OK-0007"))


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"serial,model\r\nS1,M1\r\n", "no asset tag column"),
        (_csv('OK-1,"S1",Dell,"Chrome"book,chromebook,,LE01,,,,,,,'), r"row 2 \(line 2\): malformed quoting"),
        (_csv("OK-1,S1,,,laptop,,LE01,,,,,,,", 'OK-2,"S2\r\nstill S2,,,laptop,,LE01,,,,,,,'),
         r"row 3 \(line 3\): malformed quoting"),
        (b"", "empty"),
        (b"Asset Tag,asset_tag\r\nA,B\r\n", "both mean asset_tag"),
    ],
    ids=["no-tag-column", "quote-inside-field", "unterminated-quote", "empty", "two-tag-columns"],
)
def test_file_level_problems_stop_before_any_write(district: Database, data: bytes, match: str) -> None:
    before = _counts(district)
    with pytest.raises(ImportFileError, match=match):
        device_csv.import_devices(district, data, mode="good-rows")
    assert _counts(district) == before


def test_row_numbers_are_spreadsheet_rows_even_after_a_multiline_cell(district: Database) -> None:
    data = _csv('OK-1,S1,,,laptop,,LE01,,,,,,,"line one\r\nline two"', "OK-2,S2,,,laptop,,LE01,,,1/2/20x,,,,")
    report = device_csv.import_devices(district, data)
    assert [(e.row, e.tag) for e in report.errors] == [(3, "OK-2")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Ready to Deploy", DeviceStatus.SPARE), ("Deployable", DeviceStatus.SPARE),
     ("Deployed", DeviceStatus.IN_SERVICE), ("Pending", DeviceStatus.IN_REPAIR),
     ("Archived", DeviceStatus.RETIRED), ("Broken", DeviceStatus.IN_REPAIR), ("Lost/Stolen", DeviceStatus.MISSING),
     ("Out for Repair", DeviceStatus.IN_REPAIR), ("in_repair", DeviceStatus.IN_REPAIR),
     ("Ready to Deploy (Deployable)", DeviceStatus.SPARE), ("Deployed (Jane Q.)", DeviceStatus.IN_SERVICE),
     ("LOANER", DeviceStatus.LOANER)],
)
def test_snipe_it_status_labels(raw: str, expected: DeviceStatus) -> None:
    assert device_csv.parse_status(raw) is expected


@pytest.mark.parametrize(
    ("raw", "cents"), [("$1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("329,99", "329.99"), ("289", "289.00")]
)
def test_costs(raw: str, cents: str) -> None:
    assert device_csv.parse_cost(raw) == cents


def test_a_room_name_alone_is_a_location_only_when_one_campus_has_it(district: Database) -> None:
    with district.unit() as ctx:
        places = device_csv._Places(ctx.session)
        campus, room = places.location("Lincoln Elementary > Library")
        assert (campus.code, room and room.name) == ("LE01", "Library")
        with pytest.raises(device_csv.InvalidInput, match="on 3 campuses"):
            places.location("Library")
        ctx.session.add(Room(campus_id=campus.id, name="Robotics Lab"))
        ctx.session.flush()
        campus, room = device_csv._Places(ctx.session).location("robotics lab")
        assert (campus.code, room and room.name) == ("LE01", "Robotics Lab")

