"""Asset and room labels: sheet and roll geometry, Code128/QR symbols sized for the printer, PDF output."""

from __future__ import annotations

import io
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain.devices import find_campus, find_room
from kiosk.domain.district import local_zone
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import Campus, Device, District, Part, Room
from kiosk.domain.validation import normalize_tag

CodeChoice = Literal["code128", "qr", "both"]
LineChoice = Literal["room", "model", "none"]
CODE_CHOICES: tuple[CodeChoice, ...] = ("code128", "qr", "both")
# The default stock: QR + Code128. Held up to the kiosk webcam, Code128-only labels read markedly slower
# (docs/labels.md, "Which symbols", measured by tests/bench/bench_holdup.py).
DEFAULT_CODE: CodeChoice = "both"
LINE_CHOICES: tuple[LineChoice, ...] = ("room", "model", "none")
Progress = Callable[[str, int, int], None]
Box = tuple[float, float, float, float]  # x, y of the lower-left corner, width, height (PDF points)

PT_PER_IN = 72.0
PT_PER_MM = 72.0 / 25.4

# Symbol sizing. Every bar and QR module is a whole number of printer dots, so a thermal printer (203 or
# 300 dpi) prints each module at the same width instead of alternating n and n+1 dots.
CODE128_TARGET_X_IN = 0.010  # 10 mil: read by every handheld scanner and by a webcam at 10-20 cm
CODE128_MIN_X_IN = 0.0066  # 6.6 mil: the narrowest we fall back to for long tags (never below 2 dots)
CODE128_QUIET_MODULES = 10  # ISO/IEC 15417: 10X each side
QR_QUIET_MODULES = 4  # ISO/IEC 18004: 4 modules each side
QR_MIN_MODULE_IN = 0.0145  # 0.37 mm: 3 dots at 203 dpi; smaller modules are hard for a webcam
MIN_DOTS = 2  # a 1-dot bar is unreliable on thermal printers


@dataclass(frozen=True, slots=True)
class LabelSheet:
    """One label stock: a sheet of die-cut labels (cols x rows) or a roll that prints one label per page."""

    key: str
    name: str
    page_w: float  # points
    page_h: float
    label_w: float
    label_h: float
    cols: int
    rows: int
    left: float  # page edge to the first label's left edge
    top: float  # page edge to the first label's top edge
    pitch_x: float  # left edge to the next label's left edge
    pitch_y: float
    dpi: int  # the printer this stock is usually printed on (symbols are snapped to its dots)
    pad: float  # white margin kept inside each label (sheet feed tolerance, roll printer margins)
    roll: bool = False

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def box(self, index_on_page: int) -> Box:
        """The label at ``index_on_page`` (row by row, from the top left)."""
        row, col = divmod(index_on_page, self.cols)
        x = self.left + col * self.pitch_x
        y = self.page_h - self.top - row * self.pitch_y - self.label_h
        return (x, y, self.label_w, self.label_h)


def _sheet(key: str, name: str, page: tuple[float, float], label: tuple[float, float], cols: int, rows: int,
           left: float, top: float, pitch: tuple[float, float], dpi: int, pad: float,
           roll: bool = False) -> LabelSheet:
    return LabelSheet(key, name, page[0], page[1], label[0], label[1], cols, rows, left, top, pitch[0], pitch[1],
                      dpi, pad, roll)


_IN, _MM = PT_PER_IN, PT_PER_MM
LETTER = (8.5 * _IN, 11 * _IN)
A4 = (210 * _MM, 297 * _MM)

SHEETS: dict[str, LabelSheet] = {
    s.key: s
    for s in (
        # Avery 5160 / 8160 address labels: Letter, 3 x 10, 1" x 2-5/8", 1/8" gutter between columns.
        _sheet("avery5160", 'Avery 5160 (Letter, 30 labels 1" x 2-5/8")', LETTER, (2.625 * _IN, 1 * _IN), 3, 10,
               0.1875 * _IN, 0.5 * _IN, (2.75 * _IN, 1 * _IN), 600, 0.06 * _IN),
        # Avery L7160: A4, 3 x 7, 63.5 x 38.1 mm, 2.54 mm gutter, 15.15 mm top margin.
        _sheet("l7160", "Avery L7160 (A4, 21 labels 63.5 x 38.1 mm)", A4, (63.5 * _MM, 38.1 * _MM), 3, 7,
               7.21 * _MM, 15.15 * _MM, (66.04 * _MM, 38.1 * _MM), 600, 1.5 * _MM),
        # Avery 5163 / 8163 shipping labels: Letter, 2 x 5, 2" x 4", 3/16" gutter.
        _sheet("avery5163", 'Avery 5163 (Letter, 10 labels 2" x 4")', LETTER, (4 * _IN, 2 * _IN), 2, 5,
               0.15625 * _IN, 0.5 * _IN, (4.1875 * _IN, 2 * _IN), 600, 0.08 * _IN),
        # Dymo 30252 address labels, 1-1/8" x 3-1/2", one label per page, LabelWriter at 300 dpi.
        _sheet("dymo30252", 'Dymo 30252 (roll, 1-1/8" x 3-1/2")', (3.5 * _IN, 1.125 * _IN),
               (3.5 * _IN, 1.125 * _IN), 1, 1, 0, 0, (3.5 * _IN, 1.125 * _IN), 300, 0.08 * _IN, roll=True),
        # Brother DK-22205 62 mm continuous tape cut at 32 mm; QL printers print 300 dpi over ~58 mm.
        _sheet("brother62", "Brother DK 62 mm continuous (cut at 32 mm)", (62 * _MM, 32 * _MM),
               (62 * _MM, 32 * _MM), 1, 1, 0, 0, (62 * _MM, 32 * _MM), 300, 2.5 * _MM, roll=True),
    )
}


def get_sheet(key: str) -> LabelSheet:
    sheet = SHEETS.get(key.strip().lower())
    if sheet is None:
        raise InvalidInput(f"unknown label stock {key!r}; choose one of: {', '.join(SHEETS)}")
    return sheet


# ---------------------------------------------------------------------------------------------
# What goes on a label
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceLabel:
    """An asset-tag label: the tag as Code128 and/or QR, the readable tag, and an optional second line."""

    tag: str
    line: str | None = None
    registered: bool = True

    @property
    def payload(self) -> str:
        return self.tag


@dataclass(frozen=True, slots=True)
class RoomLabel:
    """A room label: a QR code carrying ``ROOM:<room uuid>``, the room's name and its campus."""

    room_id: uuid.UUID
    room: str
    campus: str

    @property
    def payload(self) -> str:
        return f"ROOM:{self.room_id}"


@dataclass(frozen=True, slots=True)
class PartLabel:
    """A shelf label for a part in stock: Code128 and/or QR carrying ``PART:<code>`` (a stock count scans it),
    the part's code large and its name below."""

    code: str
    name: str

    @property
    def payload(self) -> str:
        return f"PART:{self.code}"


Label = DeviceLabel | RoomLabel | PartLabel


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    """Where one label was drawn: page (0-based) and box in PDF points, origin at the page's lower left."""

    label: Label
    page: int
    box: Box


def district_name(session: Session) -> str:
    name = session.scalars(select(District.name).order_by(District.created_at).limit(1)).first()
    return name or ""


def _line_for(device: Device, campus: Campus | None, room: Room | None, line: LineChoice) -> str | None:
    if line == "room":
        parts = [p for p in (campus.code if campus else None, room.name if room else None) if p]
        return " · ".join(parts) or None
    if line == "model":
        return " ".join(p for p in (device.manufacturer, device.model) if p) or None
    return None


def _device_rows(session: Session, where: object, line: LineChoice) -> list[DeviceLabel]:
    rows = session.execute(
        select(Device, Campus, Room)
        .outerjoin(Campus, Campus.id == Device.campus_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .where(where)  # type: ignore[arg-type]
        .order_by(Device.asset_tag)
    ).all()
    return [DeviceLabel(d.asset_tag, _line_for(d, c, r, line)) for d, c, r in rows]


def device_labels(session: Session, tags: Iterable[str], line: LineChoice = "room") -> list[DeviceLabel]:
    """Labels for these tags, in the order given; tags not registered yet get a label without a second line."""
    wanted: list[str] = []
    for raw in tags:
        tag = normalize_tag(raw)
        if tag not in wanted:
            wanted.append(tag)
    if not wanted:
        raise InvalidInput("no asset tags given")
    known: dict[str, DeviceLabel] = {}
    for i in range(0, len(wanted), 500):
        for lab in _device_rows(session, Device.asset_tag.in_(wanted[i:i + 500]), line):
            known[lab.tag] = lab
    return [known.get(t) or DeviceLabel(t, None, registered=False) for t in wanted]


def room_device_labels(session: Session, campus: str, room: str, line: LineChoice = "room") -> list[DeviceLabel]:
    """Labels for every device registered in one room, by tag."""
    c = find_campus(session, campus)
    r = find_room(session, c.id, room)
    labels = _device_rows(session, Device.room_id == r.id, line)
    if not labels:
        raise NotFound(f"no devices are registered in {c.code} / {r.name}")
    return labels


def _zone(session: Session) -> ZoneInfo:
    return local_zone(session)


def local_today(session: Session, now: datetime) -> date:
    """Today's date in the district's time zone."""
    return now.astimezone(_zone(session)).date()


def registered_on_labels(session: Session, day: date, line: LineChoice = "room") -> list[DeviceLabel]:
    """Labels for the devices registered (created) on ``day`` in the district's time zone."""
    zone = _zone(session)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    labels = _device_rows(session, (Device.created_at >= start) & (Device.created_at < end), line)
    if not labels:
        raise NotFound(f"no devices were registered on {day.isoformat()}")
    return labels


def part_labels(session: Session, codes: Iterable[str] = ()) -> list[PartLabel]:
    """Shelf labels for catalogue parts (the codes given, else every active part)."""
    q = select(Part).where(Part.active).order_by(Part.code)
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if wanted:
        q = q.where(Part.code.in_(wanted))
    found = list(session.scalars(q))
    unknown = sorted(set(wanted) - {p.code for p in found})
    if unknown:
        raise InvalidInput(f"not in the parts catalogue: {', '.join(unknown)}")
    return [PartLabel(p.code, p.name) for p in found]


def room_labels(session: Session, campus: str, room: str | None = None) -> list[RoomLabel]:
    """Room QR labels: every room of a campus, or one room."""
    c = find_campus(session, campus)
    if room is not None:
        rooms = [find_room(session, c.id, room)]
    else:
        rooms = list(session.scalars(select(Room).where(Room.campus_id == c.id).order_by(func.upper(Room.name))))
        if not rooms:
            raise NotFound(f"campus {c.code} has no rooms")
    return [RoomLabel(r.id, r.name, c.name) for r in rooms]


# ---------------------------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------------------------


def code128_modules(text: str) -> str:
    """The Code128 symbol for ``text`` as a string of '1' (bar) and '0' (space) modules, quiet zones excluded."""
    from barcode import Code128

    modules: str = Code128(text).build()[0]
    return modules


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol (error correction M) for ``text``, quiet zone excluded."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    return matrix


def snap(inches: float, dpi: int) -> int:
    """The number of printer dots closest to ``inches`` (at least MIN_DOTS)."""
    return max(MIN_DOTS, round(inches * dpi))


def code128_module_pt(n_modules: int, width_pt: float, dpi: int) -> float | None:
    """The widest module (whole dots, 10 mil down to 6.6 mil) at which the symbol and its quiet zones fit."""
    total = n_modules + 2 * CODE128_QUIET_MODULES
    most, least = snap(CODE128_TARGET_X_IN, dpi), max(MIN_DOTS, math.ceil(CODE128_MIN_X_IN * dpi))
    for dots in range(most, least - 1, -1):
        x = dots / dpi * PT_PER_IN
        if total * x <= width_pt + 1e-6:
            return x
    return None


def qr_module_pt(n_modules: int, side_pt: float, dpi: int) -> float | None:
    """The largest QR module (whole dots) at which the symbol and its quiet zone fit in a square of ``side_pt``."""
    total = n_modules + 2 * QR_QUIET_MODULES
    dots = math.floor(side_pt / PT_PER_IN * dpi / total + 1e-9)
    x = dots / dpi * PT_PER_IN
    if dots < MIN_DOTS or x < QR_MIN_MODULE_IN * PT_PER_IN - 1e-6:
        return None
    return x


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"


class _Canvas:
    """The small part of reportlab's canvas the label painter uses."""

    def __init__(self, canvas: Any) -> None:
        self.c = canvas

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.c.rect(x, y, w, h, stroke=0, fill=1)

    def text(self, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
        self.c.setFont(font, size)
        if align == "center":
            self.c.drawCentredString(x, y, text)
        else:
            self.c.drawString(x, y, text)


def _fit(text: str, font: str, max_size: float, min_size: float, width: float) -> tuple[str, float]:
    """The text (shortened with an ellipsis if it must be) and a font size at which it fits ``width``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if not text or width <= 0:
        return "", min_size
    w1 = stringWidth(text, font, 1.0)
    size = min(max_size, width / w1) if w1 else max_size
    if size >= min_size:
        return text, size
    while len(text) > 1 and stringWidth(text + "…", font, min_size) > width:
        text = text[:-1]
    return text.rstrip() + "…", min_size


def _draw_code128(cv: _Canvas, modules: str, x: float, y: float, module: float, height: float) -> None:
    i, n = 0, len(modules)
    while i < n:
        if modules[i] == "1":
            j = i
            while j < n and modules[j] == "1":
                j += 1
            cv.rect(x + i * module, y, (j - i) * module, height)
            i = j
        else:
            i += 1


def _draw_qr(cv: _Canvas, matrix: list[list[bool]], x: float, y: float, module: float) -> None:
    """Draw the matrix with its top-left module at (x, y + size); runs of dark modules become one rectangle."""
    size = len(matrix)
    for r, row in enumerate(matrix):
        yy = y + (size - 1 - r) * module
        c = 0
        while c < size:
            if row[c]:
                d = c
                while d < size and row[d]:
                    d += 1
                cv.rect(x + c * module, yy, (d - c) * module, module)
                c = d
            else:
                c += 1


@dataclass(frozen=True, slots=True)
class _Texts:
    top: str  # small line at the top (district)
    main: str  # large line (tag or room name)
    sub: str | None  # small line at the bottom (room/model, or campus)


def _texts(label: Label, district: str) -> _Texts:
    if isinstance(label, RoomLabel):
        return _Texts(district, label.room, label.campus)
    if isinstance(label, PartLabel):
        return _Texts(district, label.code, label.name)
    return _Texts(district, label.tag, label.line)


class _Painter:
    """Lays out one label inside its box: QR on the left (if any), text and Code128 on the right."""

    def __init__(self, sheet: LabelSheet, code: CodeChoice, district: str, dpi: int) -> None:
        self.sheet, self.code, self.district, self.dpi = sheet, code, district, dpi
        h = sheet.label_h - 2 * sheet.pad
        self.small = max(5.0, min(8.0, h * 0.09))  # district and second line
        self.big = max(8.0, min(16.0, h * 0.16))  # the readable tag or room name

    def check(self, label: Label) -> None:
        """Raise InvalidInput when the label's symbols cannot be printed at a readable size on this stock."""
        self._plan(label)

    def _plan(self, label: Label) -> tuple[float | None, float | None, Box, Box | None]:
        s = self.sheet
        x0, y0 = s.pad, s.pad
        w, h = s.label_w - 2 * s.pad, s.label_h - 2 * s.pad
        want_qr = isinstance(label, RoomLabel) or self.code in ("qr", "both")
        want_bar = isinstance(label, DeviceLabel | PartLabel) and self.code in ("code128", "both")
        qr_x: float | None = None
        bar_x: float | None = None
        qr_box: Box | None = None
        if want_qr:
            n = len(qr_matrix(label.payload))
            side = min(h, w * (0.42 if want_bar else 0.55))
            qr_x = qr_module_pt(n, side, self.dpi)
            if qr_x is None:
                raise InvalidInput(f"the QR code for {label.payload} does not fit on {s.name} labels at a "
                                   "readable size; choose a larger label")
            qr_side = (n + 2 * QR_QUIET_MODULES) * qr_x
            qr_box = (x0, y0 + (h - qr_side) / 2, qr_side, qr_side)
            x0, w = x0 + qr_side, w - qr_side
        if want_bar:
            n = len(code128_modules(label.payload))
            bar_x = code128_module_pt(n, w, self.dpi)
            if bar_x is None:
                hint = "use --code qr or a wider label" if self.code != "qr" else "use a wider label"
                raise InvalidInput(f"the Code128 symbol for {label.payload} is too wide for {s.name} labels "
                                   f"at a readable bar width; {hint}")
        return qr_x, bar_x, (x0, y0, w, h), qr_box

    def draw(self, cv: _Canvas, label: Label, box: Box) -> None:
        bx, by = box[0], box[1]
        qr_x, bar_x, (x0, y0, w, h), qr_box = self._plan(label)
        if qr_box is not None and qr_x is not None:
            matrix = qr_matrix(label.payload)
            qx = bx + qr_box[0] + QR_QUIET_MODULES * qr_x
            qy = by + qr_box[1] + QR_QUIET_MODULES * qr_x
            _draw_qr(cv, matrix, qx, qy, qr_x)
        texts = _texts(label, self.district)
        left, inner = bx + x0, w
        gap = self.small * 0.35
        top_y = by + y0 + h  # baseline positions are computed downwards from the top
        small_h = self.small * 1.05
        if bar_x is not None:
            modules = code128_modules(label.payload)
            sym_w = (len(modules) + 2 * CODE128_QUIET_MODULES) * bar_x
            cx = left + inner / 2
            # top: district; then the bars; then the readable tag; bottom: the second line
            top_text, top_size = _fit(texts.top, FONT, self.small, 4.5, inner)
            if top_text:
                cv.text(cx, top_y - top_size * 0.8, top_text, FONT, top_size, "center")
            main_text, main_size = _fit(texts.main, FONT_BOLD, self.big, 6.0, inner)
            sub_text, sub_size = _fit(texts.sub or "", FONT, self.small, 4.5, inner)
            bottom = by + y0
            sub_band = sub_size * 1.1 if sub_text else 0.0
            main_base = bottom + sub_band + main_size * 0.25
            if sub_text:
                cv.text(cx, bottom + sub_size * 0.25, sub_text, FONT, sub_size, "center")
            cv.text(cx, main_base, main_text, FONT_BOLD, main_size, "center")
            bar_bottom = main_base + main_size * 0.8 + gap
            bar_top = top_y - (small_h + gap if top_text else 0.0)
            bar_h = min(bar_top - bar_bottom, 0.75 * PT_PER_IN)
            if bar_h < 0.2 * PT_PER_IN:
                raise InvalidInput(f"{self.sheet.name} labels are too short for Code128 with text")
            bar_y = bar_bottom + (bar_top - bar_bottom - bar_h) / 2
            _draw_code128(cv, modules, cx - sym_w / 2 + CODE128_QUIET_MODULES * bar_x, bar_y, bar_x, bar_h)
            return
        # QR only (device or room): text to the right of the symbol, vertically centred as a block
        tx = left + gap
        tw = inner - gap
        top_text, top_size = _fit(texts.top, FONT, self.small, 4.5, tw)
        main_text, main_size = _fit(texts.main, FONT_BOLD, self.big * 1.15, 6.0, tw)
        sub_text, sub_size = _fit(texts.sub or "", FONT, self.small * 1.1, 4.5, tw)
        block = main_size + (top_size * 1.3 if top_text else 0) + (sub_size * 1.3 if sub_text else 0)
        y = by + y0 + h / 2 + block / 2
        if top_text:
            y -= top_size * 1.1
            cv.text(tx, y, top_text, FONT, top_size)
            y -= top_size * 0.2
        y -= main_size * 0.95
        cv.text(tx, y, main_text, FONT_BOLD, main_size)
        if sub_text:
            y -= sub_size * 1.3
            cv.text(tx, y, sub_text, FONT, sub_size)


def layout(sheet: LabelSheet, count: int, skip: int = 0) -> list[tuple[int, Box]]:
    """Page and box of each of ``count`` labels, leaving the first ``skip`` positions of the first page empty."""
    if skip < 0 or skip >= sheet.per_page and not sheet.roll:
        raise InvalidInput(f"skip must be between 0 and {sheet.per_page - 1} for {sheet.name}")
    if sheet.roll:
        skip = 0
    out = []
    for i in range(skip, skip + count):
        page, pos = divmod(i, sheet.per_page)
        out.append((page, sheet.box(pos)))
    return out


def render_pdf(labels: Sequence[Label], sheet: LabelSheet | str, out: Path | str | BinaryIO, *,
               code: CodeChoice = DEFAULT_CODE, district: str = "", skip: int = 0, dpi: int | None = None,
               progress: Progress | None = None) -> list[PlacedLabel]:
    """Draw the labels to a PDF (a path or a binary stream) and return where each one was placed.

    Every label is checked before anything is written, so a label that cannot be printed readably raises
    InvalidInput and leaves no half-written file.
    """
    from reportlab.pdfgen.canvas import Canvas

    stock = get_sheet(sheet) if isinstance(sheet, str) else sheet
    if code not in CODE_CHOICES:
        raise InvalidInput(f"code must be one of: {', '.join(CODE_CHOICES)}")
    if not labels:
        raise InvalidInput("no labels to print")
    if dpi is not None and not 150 <= dpi <= 2400:
        raise InvalidInput(f"printer resolution {dpi} dpi is out of range (150 to 2400)")
    painter = _Painter(stock, code, district, dpi or stock.dpi)
    for label in labels:
        painter.check(label)
    placed = [PlacedLabel(lab, page, box) for lab, (page, box) in zip(labels, layout(stock, len(labels), skip),
                                                                        strict=True)]
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(stock.page_w, stock.page_h), pageCompression=1)
    canvas.setTitle(f"Labels ({stock.name})")
    canvas.setAuthor(district or "kiosk")
    canvas.setFillColorRGB(0, 0, 0)
    cv = _Canvas(canvas)
    pages = placed[-1].page + 1
    current = 0
    for p in placed:
        while p.page > current:
            canvas.showPage()
            canvas.setFillColorRGB(0, 0, 0)
            current += 1
            if progress:
                progress("labels", current, pages)
        painter.draw(cv, p.label, p.box)
    canvas.showPage()
    canvas.save()
    if progress:
        progress("labels", pages, pages)
    data = buf.getvalue()
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)
    return placed
