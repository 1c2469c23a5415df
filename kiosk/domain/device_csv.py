"""Device CSV files: export and import of the documented column set, and import of Snipe-IT asset files."""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, devices
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.district_admin import fold
from kiosk.domain.errors import DomainError, InvalidInput
from kiosk.domain.models import Campus, Device, DeviceCategory, DeviceStatus, Reporter, Room
from kiosk.domain.validation import normalize_tag, parse_reporter

Progress = Callable[[str, int, int], None]
ImportMode = Literal["all-or-nothing", "good-rows"]
IMPORT_MODES: tuple[ImportMode, ...] = ("all-or-nothing", "good-rows")

# The documented column set (docs/device-csv.md): export writes exactly these, import reads them back.
COLUMNS: tuple[str, ...] = (
    "asset_tag", "serial", "manufacturer", "model", "category", "status", "campus", "room", "assignee",
    "purchase_date", "purchase_cost", "funding_source", "warranty_end", "notes",
)
FIELDS = COLUMNS[1:]  # what an import can set on a device (the names devices.set_fields takes)
MAX_LEN = {"serial": 64, "manufacturer": 64, "model": 96, "funding_source": 64, "notes": 4000}
FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet runs a cell starting with these as a formula

# Header spellings, compared after _header_key(): our own column names and Snipe-IT's import and export headers.
HEADER_ALIASES: dict[str, str] = {
    "asset tag": "asset_tag", "tag": "asset_tag", "asset": "asset_tag", "asset number": "asset_tag",
    "serial": "serial", "serial number": "serial", "serial no": "serial",
    "manufacturer": "manufacturer", "make": "manufacturer",
    "model": "model", "model name": "model_name", "model number": "model_number", "model no": "model_number",
    "category": "category",
    "status": "status", "status label": "status",
    "campus": "campus", "room": "room",
    "location": "location", "default location": "default_location",
    "assignee": "assignee",
    "purchase date": "purchase_date", "purchased": "purchase_date",
    "purchase cost": "purchase_cost", "cost": "purchase_cost",
    "funding source": "funding_source", "funding": "funding_source",
    "warranty end": "warranty_end", "warranty expires": "warranty_end", "warranty expiration": "warranty_end",
    "warranty months": "warranty_months", "warranty": "warranty_months",
    "notes": "notes",
    "name": "name", "asset name": "name", "item name": "name",
    "order number": "order_number", "supplier": "supplier", "company": "company",
    "checked out to": "checked_out_to",
}
NOT_IMPORTED = frozenset({"company", "checked_out_to"})  # recognised, deliberately not stored
SNIPE_ONLY = frozenset({"model_name", "model_number", "location", "default_location", "warranty_months", "name",
                        "order_number", "supplier", "company", "checked_out_to"})

# Snipe-IT status labels (its defaults and the ones districts commonly add) onto our statuses.
SNIPE_STATUS: dict[str, DeviceStatus] = {
    "deployed": DeviceStatus.IN_SERVICE,
    "in use": DeviceStatus.IN_SERVICE,
    "active": DeviceStatus.IN_SERVICE,
    "ready to deploy": DeviceStatus.SPARE,
    "deployable": DeviceStatus.SPARE,
    "available": DeviceStatus.SPARE,
    "in stock": DeviceStatus.SPARE,
    "spare": DeviceStatus.SPARE,
    "pending": DeviceStatus.IN_REPAIR,  # Snipe-IT: "not yet deployable, e.g. out for repair"
    "undeployable": DeviceStatus.IN_REPAIR,
    "broken": DeviceStatus.IN_REPAIR,
    "out for repair": DeviceStatus.IN_REPAIR,
    "out for diagnostics": DeviceStatus.IN_REPAIR,
    "repair": DeviceStatus.IN_REPAIR,
    "in repair": DeviceStatus.IN_REPAIR,
    "archived": DeviceStatus.RETIRED,
    "retired": DeviceStatus.RETIRED,
    "disposed": DeviceStatus.RETIRED,
    "recycled": DeviceStatus.RETIRED,
    "surplus": DeviceStatus.RETIRED,
    "e waste": DeviceStatus.RETIRED,
    "lost stolen": DeviceStatus.MISSING,
    "lost": DeviceStatus.MISSING,
    "stolen": DeviceStatus.MISSING,
    "missing": DeviceStatus.MISSING,
    "loaner": DeviceStatus.LOANER,
    "loan": DeviceStatus.LOANER,
}

# Free-form category names (Snipe-IT's are whatever the district typed) onto ours, first match wins.
CATEGORY_WORDS: tuple[tuple[str, DeviceCategory], ...] = (
    ("chromebook", DeviceCategory.CHROMEBOOK),
    ("document camera", DeviceCategory.DOCUMENT_CAMERA), ("doc cam", DeviceCategory.DOCUMENT_CAMERA),
    ("doccam", DeviceCategory.DOCUMENT_CAMERA),
    ("interactive", DeviceCategory.INTERACTIVE_PANEL), ("smart board", DeviceCategory.INTERACTIVE_PANEL),
    ("smartboard", DeviceCategory.INTERACTIVE_PANEL), ("promethean", DeviceCategory.INTERACTIVE_PANEL),
    ("panel", DeviceCategory.INTERACTIVE_PANEL),
    ("laptop", DeviceCategory.LAPTOP), ("notebook", DeviceCategory.LAPTOP), ("macbook", DeviceCategory.LAPTOP),
    ("desktop", DeviceCategory.DESKTOP), ("workstation", DeviceCategory.DESKTOP),
    ("all in one", DeviceCategory.DESKTOP), ("imac", DeviceCategory.DESKTOP),
    ("tablet", DeviceCategory.TABLET), ("ipad", DeviceCategory.TABLET),
    ("projector", DeviceCategory.PROJECTOR),
    ("printer", DeviceCategory.PRINTER), ("copier", DeviceCategory.PRINTER),
    ("access point", DeviceCategory.ACCESS_POINT), ("wireless ap", DeviceCategory.ACCESS_POINT),
    ("wap", DeviceCategory.ACCESS_POINT),
    ("hotspot", DeviceCategory.HOTSPOT), ("mifi", DeviceCategory.HOTSPOT),
    ("monitor", DeviceCategory.MONITOR), ("display", DeviceCategory.MONITOR),
)


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (no tag column, malformed quoting, not text): nothing is imported."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A bad (or noteworthy) row: its spreadsheet row number (the header is row 1), its tag, and why."""

    row: int
    tag: str | None
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}{f' ({self.tag})' if self.tag else ''}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or would have done: counts, bad rows, warnings, and whether anything was written."""

    mode: ImportMode
    source_format: str = "kiosk"  # "kiosk" (our columns) or "snipe-it"
    encoding: str = "utf-8"
    delimiter: str = ","
    rows: int = 0  # data rows read (blank rows not counted)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0  # existing tags left alone because of --no-update
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    locations: Any = None  # a location_import.LocationPlan with --create-locations

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "format": self.source_format, "encoding": self.encoding,
            "delimiter": self.delimiter, "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "skipped_existing": self.skipped_existing, "committed": self.committed,
            "ignored_columns": self.ignored_columns,
            "errors": [{"row": e.row, "tag": e.tag, "reason": e.reason} for e in self.errors],
            "warnings": [{"row": w.row, "tag": w.tag, "reason": w.reason} for w in self.warnings],
            "dry_run": self.dry_run,
            "locations": self.locations.as_dict() if self.locations is not None else None,
        }

    def summary(self) -> str:
        fmt = "Snipe-IT" if self.source_format == "snipe-it" else "kiosk"
        head = f"{self.rows} rows ({fmt} columns): "
        if self.locations is not None:
            head = self.locations.headline(self.dry_run) + "\n" + head
        if self.errors and (self.mode == "all-or-nothing" or not self.rows - len(self.errors)) and (
                not self.committed):
            return head + f"{len(self.errors)} bad, nothing {'would be' if self.dry_run else 'was'} imported"
        if self.dry_run:
            head += "dry run, nothing written; would be "
        parts = [f"{self.created} created", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.skipped_existing:
            parts.append(f"{self.skipped_existing} existing skipped (--no-update)")
        if self.errors:
            parts.append(f"{len(self.errors)} bad rows not imported")
        return head + ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-./]+", " ", text.replace("\ufeff", "").strip().strip('"').lower()).strip()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding used: UTF-8 (with or without Excel's BOM), UTF-16 with a BOM, or
    Windows-1252 (Excel's 'CSV' on Windows) when the bytes are not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most known column names (',' on a tie).

    Judged on the header only, whose names we know, so a ';' or ',' inside data never misleads it."""
    first = text.split("\n", 1)[0]
    best, best_count = ",", 0
    for delim in (",", ";", "\t"):
        try:
            names = next(csv.reader([first], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        count = sum(1 for n in names if _header_key(n) in HEADER_ALIASES)
        if count > best_count:
            best, best_count = delim, count
    return best


@dataclass
class _Table:
    header: list[str]
    columns: dict[str, int]  # canonical field -> column index
    records: list[tuple[int, list[str]]]  # (spreadsheet row, fields)
    ignored: list[str]
    source_format: str


def _read_table(text: str, delimiter: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    row = 0
    while True:
        start_line = reader.line_num + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFileError(
                f"row {row + 1} (line {start_line}): malformed quoting ({exc}); the rows after it cannot be "
                "told apart, so nothing was imported"
            ) from None
        row += 1
        records.append((row, rec))
    if not records:
        raise ImportFileError("the file is empty")
    _, header = records[0]
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = HEADER_ALIASES.get(_header_key(name))
        if key is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if key in columns:
            raise ImportFileError(f"the columns {header[columns[key]]!r} and {name!r} both mean {key}")
        columns[key] = i
        if key in NOT_IMPORTED:
            ignored.append(name.strip())
    if "asset_tag" not in columns:
        raise ImportFileError("no asset tag column: the header needs 'asset_tag' (or Snipe-IT's 'Asset Tag'); "
                              f"found {', '.join(repr(h) for h in header[:12]) or 'nothing'}")
    fmt = "snipe-it" if SNIPE_ONLY & columns.keys() else "kiosk"
    return _Table(header, columns, records[1:], ignored, fmt)


# ---------------------------------------------------------------------------------------------
# Parsing values
# ---------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")


def parse_date(raw: str, name: str) -> date:
    """A date as YYYY-MM-DD (time of day ignored) or the US M/D/YYYY that Excel and Snipe-IT write."""
    text = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"{name} {text!r} is not a date (use YYYY-MM-DD or M/D/YYYY)")


def parse_cost(raw: str) -> str:
    """An amount as '1234.50': currency signs and thousands separators removed; '1.234,50' and '329,99' too."""
    text = re.sub(r"[\s$€£]|USD|EUR", "", raw.strip())
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", text):
        value = float(text.replace(",", ""))
    elif re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{1,2}|\d+,\d{1,2}", text):
        value = float(text.replace(".", "").replace(",", "."))
    else:
        raise InvalidInput(f"purchase cost {raw.strip()!r} is not an amount (like 329.99)")
    if value > 10_000_000:
        raise InvalidInput(f"purchase cost {raw.strip()!r} is more than 10,000,000")
    return f"{value:.2f}"


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_status(raw: str) -> DeviceStatus:
    """Our status values, or a Snipe-IT status label ('Ready to Deploy', 'Lost/Stolen', 'Deployed (Jane)')."""
    text = raw.strip()
    candidates = [text, re.sub(r"\(.*?\)", "", text)] + re.findall(r"\((.*?)\)", text)
    for cand in candidates:
        key = _header_key(cand)
        try:
            return DeviceStatus(key.replace(" ", "_"))
        except ValueError:
            pass
        if key in SNIPE_STATUS:
            return SNIPE_STATUS[key]
    raise InvalidInput(f"unknown status {text!r} (use {', '.join(s.value for s in DeviceStatus)} or a Snipe-IT "
                       "label such as Deployed, Ready to Deploy, Pending, Archived, Broken, Lost/Stolen)")


def parse_category(raw: str, *, strict: bool) -> tuple[DeviceCategory, bool]:
    """Our category values or a recognisable name ('Chromebooks', 'Laptops - Staff'); (category, guessed).

    With ``strict`` (our own column set) an unknown name is an error; otherwise it becomes 'other'."""
    key = _header_key(raw)
    try:
        return DeviceCategory(key.replace(" ", "_")), False
    except ValueError:
        pass
    for word, cat in CATEGORY_WORDS:
        if re.search(rf"\b{re.escape(word)}", key):
            return cat, False
    if strict:
        raise InvalidInput(f"unknown category {raw.strip()!r} (use {', '.join(c.value for c in DeviceCategory)})")
    return DeviceCategory.OTHER, True


def _unescape(value: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before = + - @."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _escape(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


class _Places:
    """Campuses and rooms, looked up by code or name (trimmed, case folded) without a query per row."""

    def __init__(self, session: Session) -> None:
        self.campuses: dict[str, Campus] = {}
        for c in session.scalars(select(Campus)):
            self.campuses[fold(c.code)] = c
            self.campuses.setdefault(fold(c.name), c)
        self.rooms: dict[tuple[Any, str], Room] = {}
        self.rooms_named: dict[str, list[Room]] = {}
        for r in session.scalars(select(Room)):
            self.rooms[(r.campus_id, fold(r.name))] = r
            self.rooms_named.setdefault(fold(r.name), []).append(r)
        self.by_id = {c.id: c for c in self.campuses.values()}

    def campus(self, ref: str) -> Campus:
        c = self.campuses.get(fold(ref))
        if c is None:
            raise InvalidInput(f"unknown campus {ref.strip()!r}")
        return c

    def room(self, campus: Campus, name: str) -> Room:
        r = self.rooms.get((campus.id, fold(name)))
        if r is None:
            raise InvalidInput(f"no room {name.strip()!r} at {campus.code}")
        return r

    def location(self, text: str) -> tuple[Campus, Room | None]:
        """A Snipe-IT location: 'Campus / Room' ('>', ' - ' and ', ' work too), a campus name or code, or a unique
        room name."""
        from kiosk.domain.location_import import split_location

        campus_ref, room_name = split_location(text, lambda t: fold(t) in self.campuses)
        c = self.campuses.get(fold(campus_ref))
        if c is not None:
            return c, self.room(c, room_name) if room_name else None
        if room_name is None:
            rooms = self.rooms_named.get(fold(campus_ref), [])
            if len(rooms) == 1:
                return self.by_id[rooms[0].campus_id], rooms[0]
            if len(rooms) > 1:
                raise InvalidInput(f"location {text.strip()!r} is a room on {len(rooms)} campuses; "
                                   "write it as 'Campus / Room'")
        raise InvalidInput(f"unknown location {text.strip()!r} (expected 'Campus / Room' or a campus; "
                           "--create-locations creates missing ones)")


@dataclass
class _Row:
    row: int
    tag: str
    values: dict[str, str]  # canonical text per field (only the cells that were filled)
    warranty_months: int | None = None


def _parse_row(row: int, rec: list[str], table: _Table, places: _Places,
               warnings: list[RowProblem]) -> _Row:
    """Turn one record into canonical values; raises InvalidInput listing every problem in the row."""
    cols = table.columns
    header_len = len(table.header)
    if len(rec) > header_len:  # even empty extras: an unquoted "1,299.00" shifts every later cell silently
        raise InvalidInput(f"{len(rec)} fields but the header has {header_len} (an unquoted comma or "
                           "semicolon inside a value?)")

    def cell(name: str) -> str:
        i = cols.get(name)
        if i is None or i >= len(rec):
            return ""
        return _unescape(rec[i].replace("\r\n", "\n").replace("\r", "\n").strip())

    problems: list[str] = []
    tag = ""
    try:
        raw_tag = cell("asset_tag")
        if not raw_tag:
            raise InvalidInput("the asset tag is empty")
        tag = normalize_tag(raw_tag)
    except InvalidInput as exc:
        problems.append(str(exc))
    values: dict[str, str] = {}
    for name in ("serial", "manufacturer", "funding_source", "notes"):
        if cell(name):
            values[name] = cell(name)
    model = cell("model") or cell("model_name") or cell("model_number")
    if model:
        values["model"] = model
    for name, limit in MAX_LEN.items():
        if len(values.get(name, "")) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if cell("category"):
        try:
            cat, guessed = parse_category(cell("category"), strict=table.source_format == "kiosk")
            values["category"] = cat.value
            if guessed:
                warnings.append(RowProblem(row, tag or None, f"category {cell('category')!r} imported as 'other'"))
        except InvalidInput as exc:
            problems.append(str(exc))
    if cell("status"):
        try:
            values["status"] = parse_status(cell("status")).value
        except InvalidInput as exc:
            problems.append(str(exc))
    try:
        if cell("campus"):
            campus = places.campus(cell("campus"))
            values["campus"] = campus.code
            if cell("room"):
                values["room"] = places.room(campus, cell("room")).name
        elif cell("room"):
            values["room"] = cell("room")  # on the device's current campus; checked when it is applied
        elif cell("location") or cell("default_location"):
            c, r = places.location(cell("location") or cell("default_location"))
            values["campus"] = c.code
            if r is not None:
                values["room"] = r.name
    except InvalidInput as exc:
        problems.append(str(exc))
    if cell("assignee"):
        try:
            id_number, email = parse_reporter(cell("assignee"))
            values["assignee"] = id_number or email or ""
        except InvalidInput as exc:
            problems.append(f"assignee: {exc}")
    for name, label in (("purchase_date", "purchase date"), ("warranty_end", "warranty end")):
        if cell(name):
            try:
                values[name] = parse_date(cell(name), label).isoformat()
            except InvalidInput as exc:
                problems.append(str(exc))
    if cell("purchase_cost"):
        try:
            values["purchase_cost"] = parse_cost(cell("purchase_cost"))
        except InvalidInput as exc:
            problems.append(str(exc))
    months: int | None = None
    if cell("warranty_months"):
        m = re.fullmatch(r"(\d{1,3})(\s*months?)?", cell("warranty_months").lower())
        if m is None:
            problems.append(f"warranty months {cell('warranty_months')!r} is not a number of months")
        else:
            months = int(m.group(1))
    extras = [f"{label}: {cell(name)}" for name, label in (("name", "Name"), ("order_number", "Order"),
                                                           ("supplier", "Supplier")) if cell(name)]
    if extras:
        line = "Snipe-IT " + "; ".join(extras)
        values["notes"] = f"{values['notes']}\n{line}" if values.get("notes") else line
    if problems:
        raise InvalidInput("; ".join(problems))
    return _Row(row, tag, values, months)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def _current(session: Session, tags: list[str]) -> dict[str, dict[str, str]]:
    """The devices already registered under these tags, as canonical CSV values."""
    out: dict[str, dict[str, str]] = {}
    for i in range(0, len(tags), 500):
        for row in _export_rows(session, Device.asset_tag.in_(tags[i:i + 500])):
            out[row["asset_tag"]] = row
    return out


class _Rollback(Exception):
    pass


def import_devices(db: Database, source: Path | str | bytes | BinaryIO, *, mode: ImportMode = "all-or-nothing",
                   update: bool = True, actor: Actor | None = None, progress: Progress | None = None,
                   name: str | None = None, create_locations: bool = False, dry_run: bool = False) -> ImportReport:
    """Import a device CSV (our columns or a Snipe-IT file) through the device services.

    Every row is checked and applied inside one transaction, each in its own savepoint, so the report lists
    every bad row with its reason. ``all-or-nothing`` (the default) then rolls everything back if any row was
    bad; ``good-rows`` commits the good rows. Existing tags are updated unless ``update`` is False.
    File-level problems (no tag column, malformed quoting, empty file) raise ImportFileError before any write.
    ``create_locations`` first creates the campuses and rooms the file names that do not exist yet (through the
    district services, in the same transaction); ``dry_run`` does everything and then rolls it all back.
    """
    if mode not in IMPORT_MODES:
        raise InvalidInput(f"mode must be one of: {', '.join(IMPORT_MODES)}")
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        name = name or Path(source).name
        data = Path(source).read_bytes()
    else:
        data = source.read()
    text, encoding = decode_bytes(data)
    delimiter = detect_delimiter(text)
    table = _read_table(text, delimiter)
    report = ImportReport(mode=mode, source_format=table.source_format, encoding=encoding, delimiter=delimiter,
                          ignored_columns=table.ignored, dry_run=dry_run)
    if encoding == "cp1252":
        report.warnings.append(RowProblem(0, None, "the file is not UTF-8; read it as Windows-1252"))
    if "checked_out_to" in table.columns:
        report.warnings.append(RowProblem(0, None, "'Checked Out To' is not imported: the kiosk keeps no names"))
    records = [(r, rec) for r, rec in table.records if any(v.strip() for v in rec)]
    report.rows = len(records)
    total = len(records)
    try:
        with db.unit(actor) as ctx:
            s = ctx.session
            # The import's own log entry is the transaction's first write: on SQLite it opens the transaction,
            # so the per-row SAVEPOINTs below nest inside it instead of committing on release.
            audit_log.record(ctx, "device.import", "device", None, file=name, mode=mode, update=update,
                             format=table.source_format, rows=total)
            s.flush()
            if create_locations:
                report.locations = _create_locations(ctx, table, records)
            places = _Places(s)
            parsed: list[_Row] = []
            first_row: dict[str, int] = {}
            dupes: set[str] = set()
            for i, (row, rec) in enumerate(records):
                try:
                    item = _parse_row(row, rec, table, places, report.warnings)
                except InvalidInput as exc:
                    tag_cell = rec[table.columns["asset_tag"]].strip() if table.columns["asset_tag"] < len(rec) else ""
                    report.errors.append(RowProblem(row, tag_cell.upper() or None, str(exc)))
                    continue
                if item.tag in first_row:
                    dupes.add(item.tag)
                    report.errors.append(RowProblem(row, item.tag, f"asset tag {item.tag} is also on row "
                                                                   f"{first_row[item.tag]}"))
                    continue
                first_row[item.tag] = row
                parsed.append(item)
                if progress and i % 200 == 0:
                    progress("checking", i, total)
            if progress:
                progress("checking", total, total)
            for tag in sorted(dupes):  # neither copy of a duplicated tag is imported: which one is right?
                report.errors.append(RowProblem(first_row[tag], tag, f"asset tag {tag} appears more than once "
                                                                     "in the file; none of its rows was imported"))
            parsed = [p for p in parsed if p.tag not in dupes]
            current = _current(s, [p.tag for p in parsed])
            for i, item in enumerate(parsed):
                if progress and i % 50 == 0:
                    progress("importing", i, len(parsed))
                existing = current.get(item.tag)
                if existing is not None and not update:
                    report.skipped_existing += 1
                    continue
                try:
                    values = _plan(item, existing, places)
                    if values is None:
                        report.unchanged += 1
                        continue
                    with s.begin_nested():  # a row the services refuse leaves no trace
                        _write(ctx, item.tag, values, new=existing is None)
                except (DomainError, SQLAlchemyError) as exc:
                    reason = str(exc) if isinstance(exc, DomainError) else (
                        "the database refused the row: " + str(getattr(exc, "orig", exc)).splitlines()[0])
                    report.errors.append(RowProblem(item.row, item.tag, reason))
                    continue
                if existing is None:
                    report.created += 1
                else:
                    report.updated += 1
            if progress:
                progress("importing", len(parsed), len(parsed))
            report.errors.sort(key=lambda e: e.row)
            if report.errors and mode == "all-or-nothing" or dry_run:
                raise _Rollback
            audit_log.record(ctx, "device.import.done", "device", None, file=name, created=report.created,
                             updated=report.updated, unchanged=report.unchanged,
                             skipped=report.skipped_existing, bad_rows=len(report.errors))
        report.committed = True
    except _Rollback:
        report.committed = False
    return report


def _create_locations(ctx: Ctx, table: _Table, records: list[tuple[int, list[str]]]) -> Any:
    """Create the campuses and rooms the file's location cells name that are missing; a cell that cannot be read
    unambiguously is left for its row to report."""
    from kiosk.domain.location_import import LocationPlan, Places

    plan = LocationPlan()
    places = Places(ctx, plan)
    cols = table.columns

    def cell(rec: list[str], name: str) -> str:
        i = cols.get(name)
        return rec[i].strip() if i is not None and i < len(rec) else ""

    for _row, rec in records:
        try:
            if cell(rec, "campus"):
                campus = places.campus(cell(rec, "campus"))
                if cell(rec, "room"):
                    places.room(campus, cell(rec, "room"))
            elif not cell(rec, "room") and (cell(rec, "location") or cell(rec, "default_location")):
                places.location(cell(rec, "location") or cell(rec, "default_location"))
        except InvalidInput:
            continue
    ctx.session.flush()
    return plan


def _plan(item: _Row, existing: dict[str, str] | None, places: _Places) -> dict[str, str] | None:
    """The values to write for one row (checked against the districts' places), or None when nothing changes."""
    values = dict(item.values)
    purchase = values.get("purchase_date") or (existing or {}).get("purchase_date")
    if item.warranty_months is not None and "warranty_end" not in values:
        if not purchase:
            raise InvalidInput("warranty months need a purchase date")
        values["warranty_end"] = _add_months(date.fromisoformat(purchase), item.warranty_months).isoformat()
    if existing is None:
        if not values.get("category"):
            raise InvalidInput("a new device needs a category")
        if values.get("room") and not values.get("campus"):
            raise InvalidInput(f"room {values['room']!r} needs a campus for a new device")
        return values
    if "room" in values and "campus" not in values:
        campus_ref = existing.get("campus")
        if not campus_ref:
            raise InvalidInput("set the campus before the room")
        values["room"] = places.room(places.campus(campus_ref), values["room"]).name
    changes = {k: v for k, v in values.items() if existing.get(k, "") != v}
    if "campus" in changes and "room" in values:
        changes["room"] = values["room"]  # a new campus clears the room unless the file names one
    return changes or None


def _write(ctx: Ctx, tag: str, values: dict[str, str], new: bool) -> None:
    """Register or update one device through the device services (validation, moves, audit log)."""
    if new:
        values = dict(values)
        category = values.pop("category")
        campus, room = values.pop("campus", None), values.pop("room", None)
        devices.register(ctx, tag, category=category, campus=campus, room=room, **values)
    else:
        devices.set_fields(ctx, tag, values, reason="import")


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _export_rows(session: Session, where: Any = None, *, chunk: int = 1000) -> Iterator[dict[str, str]]:
    query = (
        select(Device, Campus.code, Room.name, Reporter.id_number, Reporter.email)
        .outerjoin(Campus, Campus.id == Device.campus_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .outerjoin(Reporter, Reporter.id == Device.assignee_id)
        .order_by(Device.asset_tag)
    )
    if where is not None:
        query = query.where(where)
    for d, campus, room, id_number, email in session.execute(query.execution_options(yield_per=chunk)):
        yield {
            "asset_tag": d.asset_tag,
            "serial": d.serial or "",
            "manufacturer": d.manufacturer or "",
            "model": d.model or "",
            "category": d.category.value,
            "status": d.status.value,
            "campus": campus or "",
            "room": room or "",
            "assignee": id_number or email or "",
            "purchase_date": d.purchase_date.isoformat() if d.purchase_date else "",
            "purchase_cost": "" if d.purchase_cost_cents is None else f"{d.purchase_cost_cents / 100:.2f}",
            "funding_source": d.funding_source or "",
            "warranty_end": d.warranty_end.isoformat() if d.warranty_end else "",
            "notes": d.notes or "",
        }


def export_devices(session: Session, out: TextIO, *, campus: str | None = None,
                   progress: Progress | None = None) -> int:
    """Write every device (or one campus's) in the documented column set; returns the number of rows.

    ``out`` should be opened with ``newline=''``; rows end in CRLF as RFC 4180 and Excel expect. Text cells that
    a spreadsheet would run as a formula get a leading apostrophe, which the import removes again.
    """
    where = None
    count = select(func.count()).select_from(Device)
    if campus:
        where = Device.campus_id == devices.find_campus(session, campus).id
        count = count.where(where)
    total = session.scalar(count)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    n = 0
    for row in _export_rows(session, where):
        writer.writerow([row["asset_tag"]] + [_escape(row[c]) for c in FIELDS])
        n += 1
        if progress and n % 500 == 0:
            progress("exporting", n, total or n)
    if progress:
        progress("exporting", n, total or n)
    return n


def export_to_file(db: Database, path: Path | str, *, campus: str | None = None, bom: bool = True,
                   progress: Progress | None = None) -> int:
    """Export to a file, UTF-8 with a BOM by default so Excel shows accents right; written whole or not at all."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    try:
        with db.unit() as ctx, open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            n = export_devices(ctx.session, fh, campus=campus, progress=progress)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return n
