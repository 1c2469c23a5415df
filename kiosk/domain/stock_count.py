"""A stock count by scanning part labels: expected (the ledger) against counted (one scan per part on the shelf).

A part label (``kiosk/domain/labels.py``, ``PartLabel``) carries ``PART:<code>``; a typed or scanned bare code
counts too. The count is kept by the caller (the screen, or a file of scans for ``kiosk parts count``) and
applied at once: every part the campus keeps or was scanned gets a ``count`` movement in the append-only ledger
for the difference, with the count and what the ledger expected in its note, so the history says what was on
the shelf. A part the campus keeps that was not scanned was counted as 0. Nothing is written for a part whose
count matches.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import parts
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import Part

PART_PREFIX = "PART:"
MAX_SCANS = 100_000


@dataclass(frozen=True)
class CountLine:
    code: str
    name: str
    expected: int  # the ledger's stock when the count was shown or applied
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.expected


@dataclass(frozen=True)
class CountSheet:
    campus: str
    lines: tuple[CountLine, ...]  # the campus's parts and every part scanned, by code

    @property
    def scanned(self) -> int:
        return sum(x.counted for x in self.lines)


@dataclass(frozen=True)
class CountApplied:
    sheet: CountSheet
    adjusted: tuple[CountLine, ...]  # the lines whose count differed (one ledger movement each)


def part_code(text: str) -> str:
    """The part code a scan or typed text names: ``PART:KB-3110`` or ``KB-3110``."""
    raw = (text or "").strip()
    if raw.upper().startswith(PART_PREFIX):
        raw = raw[len(PART_PREFIX):]
    return parts.normalize_code(raw)


def known_part(session: Session, text: str) -> Part:
    """The catalogue part a scan names, or NotFound ("no part X in the catalogue")."""
    return parts.get_part(session, part_code(text))


def sheet(session: Session, campus_id: uuid.UUID, counted: dict[str, int]) -> CountSheet:
    """Expected against counted for the campus: every part it keeps (has ledger entries for) and every part
    counted, by code."""
    lines = {x.code: x for x in parts.stock_lines(session, campus=campus_id)}
    campus = next(iter(lines.values())).campus if lines else ""
    shown = [CountLine(x.code, x.name, x.stock, counted.get(x.code, 0))
             for x in lines.values() if x.stocked or counted.get(x.code)]
    missing = sorted(set(counted) - set(lines))
    if missing:  # counted but inactive or unknown: the scan checks should have stopped these
        raise InvalidInput(f"not in the catalogue: {', '.join(missing)}")
    return CountSheet(campus, tuple(sorted(shown, key=lambda x: x.code)))


def tally(session: Session, scans: Iterable[str]) -> dict[str, int]:
    """Scans (one per part on the shelf, e.g. the lines of a file) counted per part code; every scan is checked
    against the catalogue, and all problems are listed at once."""
    counted: dict[str, int] = {}
    problems: list[str] = []
    codes = {p.code for p in session.scalars(select(Part).where(Part.active))}
    for n, text in enumerate(scans, start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        try:
            code = part_code(text)
        except InvalidInput as exc:
            problems.append(f"line {n}: {exc}")
            continue
        if code not in codes:
            problems.append(f"line {n}: no part {code} in the catalogue")
            continue
        counted[code] = counted.get(code, 0) + 1
        if sum(counted.values()) > MAX_SCANS:
            raise InvalidInput(f"more than {MAX_SCANS} scans in one count")
    if problems:
        raise InvalidInput("; ".join(problems[:20]) + (f" (and {len(problems) - 20} more)" if len(problems) > 20
                                                      else ""))
    return counted


def apply(ctx: Ctx, campus_id: uuid.UUID, counted: dict[str, int]) -> CountApplied:
    """Write the count: a ``count`` movement for each part whose count differs from the ledger (technicians and
    the command line; a kiosk counts only its own campus)."""
    if ctx.actor.staff_id is None and ctx.actor.kiosk_id is not None:
        raise PermissionDenied("only a signed-in technician counts stock")
    if ctx.actor.staff_id is not None:
        from kiosk.domain.ticket_work import technician

        technician(ctx)
    if not any(counted.values()):
        raise InvalidInput("nothing was scanned: scan the part labels on the shelf first (a shelf that is really "
                           "empty: kiosk parts stock CODE --count 0)")
    for code, n in counted.items():
        if not 0 <= n <= parts.MAX_QTY:
            raise InvalidInput(f"the count of {code} must be from 0 to {parts.MAX_QTY}")
    now = sheet(ctx.session, campus_id, counted)
    adjusted: list[CountLine] = []
    for line in now.lines:
        if line.difference:
            parts.count(ctx, line.code, line.counted, campus=campus_id,
                        note=f"counted {line.counted}, the ledger had {line.expected}")
            adjusted.append(line)
    return CountApplied(now, tuple(adjusted))
