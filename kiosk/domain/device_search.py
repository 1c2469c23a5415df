"""Find a device by what a technician knows: tag, serial, model, room or assignee, as they type.

Every word typed must match one of the fields; a tag typed with spaces ("ds 100085") also matches the tag
without them. The kiosk's own campus comes first, exact tags before the rest. The devices are held in an
in-memory index per database, checked against the tables' row counts and latest change on every search and
rebuilt when they moved (``tests/bench/bench_search.py`` measures a keystroke on 20,000 devices).
"""

from __future__ import annotations

import bisect
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kiosk.domain.db import Ctx
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Campus, Device, Reporter, Room

MAX_WORDS = 5
DEFAULT_LIMIT = 40


@dataclass(frozen=True)
class DeviceHit:
    tag: str
    serial: str | None
    model: str  # manufacturer and model
    category: str
    status: str
    campus: str | None  # campus code
    room: str | None
    assignee: str | None  # the reporter's ID number or email
    matched: str  # which field matched first: tag, serial, model, room, assignee


@dataclass(frozen=True)
class SearchResult:
    text: str  # what was searched (the screen drops a result for text no longer typed)
    hits: tuple[DeviceHit, ...]
    more: bool  # more matches than shown


@dataclass(frozen=True)
class _Row:
    hay: str  # every searchable field in upper case, joined by a separator no one types
    tag: str
    serial: str
    campus_id: uuid.UUID | None
    hit: DeviceHit


@dataclass
class _Index:
    key: tuple[object, ...]
    rows: tuple[_Row, ...]  # in tag order
    tags: list[str] = field(default_factory=list)  # the rows' tags, for a binary search of a tag prefix
    by_campus: dict[uuid.UUID | None, list[_Row]] = field(default_factory=dict)
    by_serial: dict[str, list[_Row]] = field(default_factory=dict)
    checked_at: float = 0.0  # time.monotonic() of the last check that the tables had not moved


RECHECK_SECONDS = 1.0  # a burst of keystrokes shares one check; a device registered a second ago is found


# One index per engine (so per database), rebuilt when a device or room changed: a keystroke then scans
# 20,000 short strings in memory instead of running five LIKEs over four joined tables.
_INDEXES: weakref.WeakKeyDictionary[Engine, _Index] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _version(session: Session) -> tuple[object, ...]:
    row = session.execute(select(
        select(func.count()).select_from(Device).scalar_subquery(),
        select(func.max(Device.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Room).scalar_subquery(),
        select(func.max(Room.updated_at)).scalar_subquery(),
        select(func.max(Reporter.updated_at)).scalar_subquery(),
    )).one()
    return tuple(row)


def _build(session: Session, key: tuple[object, ...]) -> _Index:
    q = (select(Device.asset_tag, Device.serial, Device.manufacturer, Device.model, Device.category,
                Device.status, Device.campus_id, Campus.code, Room.name, Reporter.id_number, Reporter.email)
         .outerjoin(Room, Room.id == Device.room_id)
         .outerjoin(Campus, Campus.id == Device.campus_id)
         .outerjoin(Reporter, Reporter.id == Device.assignee_id)
         .order_by(Device.asset_tag))
    rows = []
    for tag, serial, make, model, category, status, campus_id, campus, room, id_number, email in session.execute(q):
        model_text = " ".join(x for x in (make, model) if x)
        who = id_number or email
        hay = "\x1f".join((tag, serial or "", model_text, room or "", who or "")).upper()
        rows.append(_Row(hay, tag.upper(), (serial or "").upper(), campus_id,
                         DeviceHit(tag, serial, model_text, category.value, status.value, campus, room, who, "")))
    rows.sort(key=lambda r: r.tag)
    index = _Index(key, tuple(rows), [r.tag for r in rows])
    for r in rows:
        index.by_campus.setdefault(r.campus_id, []).append(r)
        if r.serial:
            index.by_serial.setdefault(r.serial, []).append(r)
    return index


def _index(session: Session) -> _Index:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _LOCK:
        current = _INDEXES.get(engine)
    now = time.monotonic()
    if current is not None and now - current.checked_at < RECHECK_SECONDS and not session.new \
            and not session.dirty:
        return current
    key = _version(session)
    if current is not None and current.key == key:
        current.checked_at = now
        return current
    built = _build(session, key)
    built.checked_at = now
    with _LOCK:
        _INDEXES[engine] = built
    return built


_FIELDS = ("tag", "serial", "model", "room", "assignee")


def prepare(session: Session) -> int:
    """Build (or check) the index ahead of the first keystroke; returns the number of devices in it."""
    return len(_index(session).rows)


def search(ctx: Ctx, text: str, *, campus_id: uuid.UUID | None = None,
           limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Devices matching every word of ``text`` (staff only: assignees are people's IDs)."""
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician can search devices")
    query = " ".join((text or "").split())[:80]
    words = [w.upper() for w in query.split(" ") if w][:MAX_WORDS]
    if not words:
        return SearchResult(query, (), False)
    index = _index(ctx.session)
    joined = "".join(words)
    first = words[0]

    def matches(row: _Row) -> bool:
        hay = row.hay
        for w in words:
            if w not in hay:
                return joined in row.tag
        return True

    def here_first(rows: list[_Row]) -> list[_Row]:
        if campus_id is None:
            return rows
        return [r for r in rows if r.campus_id == campus_id] + [r for r in rows if r.campus_id != campus_id]

    # best first: the tag itself or tags starting with it (a binary search), an exact serial, then the rest in
    # tag order, this campus before the others
    lo = bisect.bisect_left(index.tags, joined)
    hi = bisect.bisect_left(index.tags, joined + "\uffff")
    wanted = limit + 1
    if hi - lo <= 4 * wanted:
        ordered: list[_Row] = here_first(list(index.rows[lo:hi]))
    else:  # a short prefix of most tags: the tag-ordered scan below gives the same order
        ordered = [index.rows[lo]] if index.tags[lo] == joined else []
    ordered += [r for r in here_first(index.by_serial.get(first, [])) if matches(r)]
    seen = {id(r) for r in ordered}
    rest = words[1:]
    sources: list[list[_Row] | tuple[_Row, ...]] = (
        [index.by_campus.get(campus_id, []), index.rows] if campus_id is not None else [index.rows])
    for n, source in enumerate(sources):
        if len(ordered) >= wanted:
            break
        candidates = [r for r in source if first in r.hay]  # one comprehension: the fast path in Python
        for w in rest:
            candidates = [r for r in candidates if w in r.hay]
        if rest:
            also = {id(r) for r in candidates}
            candidates += [r for r in source if joined in r.tag and id(r) not in also]
        if n == 1:
            candidates = [r for r in candidates if r.campus_id != campus_id]
        for row in candidates:
            if id(row) in seen:
                continue
            ordered.append(row)
            seen.add(id(row))
            if len(ordered) >= wanted:
                break
    more = len(ordered) > limit
    ordered = ordered[:limit]
    hits = []
    for row in ordered:
        parts = row.hay.split("\x1f")
        matched = next((name for name, value in zip(_FIELDS, parts, strict=True) if first in value), "tag")
        hits.append(replace(row.hit, matched=matched))
    return SearchResult(query, tuple(hits), more)
