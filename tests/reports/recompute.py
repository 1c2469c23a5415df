"""An independent recomputation of every report figure from the raw tables, for ``test_recompute.py``.

Nothing here imports ``kiosk.domain.reports``, the SLA clock (``sla_clock``, ``sla``) or the business-hours code:
the rows come from this module's own SQL, business time is this module's own day-by-day sum of the district's
working windows, and the rules are the ones written in ``docs/reports.md``. Each ``expected_*`` function returns
the figures in the shape ``flatten`` gives a report, so the test compares every figure one by one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session

OPEN = ("new", "assigned", "in_progress", "on_hold", "reopened")
WARN = Fraction(3, 4)
AGE_BUCKETS = [("<1d", 24), ("1-3d", 72), ("3-7d", 168), ("7-14d", 336), ("14-30d", 720)]
REPLACEMENT_YEARS = {"chromebook": 4, "tablet": 4, "laptop": 5, "hotspot": 4, "desktop": 6, "monitor": 7,
                     "projector": 7, "interactive_panel": 8, "printer": 6, "document_camera": 6,
                     "access_point": 7, "other": 6}


# --- reading ---------------------------------------------------------------------------------------------------


def _id(value: Any) -> str | None:
    return None if value is None else str(uuid.UUID(str(value)))


def _at(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date.fromisoformat(str(value)[:10])


def _time(value: Any) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _rows(session: Session, sql: str) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(text(sql))]


@dataclass
class Raw:
    """Every table the reports read, as plain rows."""

    tz: ZoneInfo
    hours: dict[int, tuple[time, time]]
    closed_days: set[date]
    targets: dict[str, tuple[int, int]]  # priority -> (response ms, resolution ms)
    staff: dict[str, dict[str, Any]]
    tickets: list[dict[str, Any]]
    events: dict[str, list[dict[str, Any]]]
    surveys: list[dict[str, Any]]
    repairs: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    campuses: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    reporters: dict[str, dict[str, Any]]
    _windows: dict[date, tuple[datetime, datetime] | None] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Raw:
        tz = ZoneInfo(session.execute(text("SELECT timezone FROM districts")).scalar() or "America/Chicago")
        hours = {int(r["weekday"]): (_time(r["opens"]), _time(r["closes"]))
                 for r in _rows(session, "SELECT weekday, opens, closes FROM working_hours")}
        closed: set[date] = set()
        for r in _rows(session, "SELECT start_date, end_date FROM holidays"):
            d, last = _day(r["start_date"]), _day(r["end_date"])
            assert d is not None and last is not None
            while d <= last:
                closed.add(d)
                d += timedelta(days=1)
        targets = {r["priority"]: (int(r["first_response_minutes"]) * 60_000, int(r["resolution_minutes"]) * 60_000)
                   for r in _rows(session, "SELECT priority, first_response_minutes, resolution_minutes "
                                           "FROM sla_targets")}
        staff = {_id(r["id"]): r for r in _rows(session, "SELECT id, username, role, active, first_name, last_name "
                                                         "FROM staff_users")}
        tickets = _rows(session, "SELECT id, number, campus_id, device_id, category_id, reporter_priority, "
                                 "priority, status, assignee_id, opened_at, first_response_at, resolved_at, "
                                 "closed_at, override_priority FROM tickets")
        for t in tickets:
            for k in ("id", "campus_id", "device_id", "category_id", "assignee_id"):
                t[k] = _id(t[k])
            for k in ("opened_at", "first_response_at", "resolved_at", "closed_at"):
                t[k] = _at(t[k])
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in _rows(session, "SELECT id, ticket_id, at, kind, new_value FROM ticket_events "
                                "WHERE kind IN ('status', 'priority')"):
            e["id"], e["at"] = uuid.UUID(str(e["id"])), _at(e["at"])
            events[_id(e["ticket_id"]) or ""].append(e)
        for evs in events.values():
            evs.sort(key=lambda e: (e["at"], e["id"]))  # docs: same instant, in the order recorded
        surveys = _rows(session, "SELECT id, ticket_id, technician_id, reporter_id, submitted_at, solved, "
                                 "timeliness, courtesy, communication, quality, overall, comment FROM surveys")
        for s in surveys:
            s["ticket_id"], s["technician_id"], s["reporter_id"] = (_id(s["ticket_id"]), _id(s["technician_id"]),
                                                                    _id(s["reporter_id"]))
            s["submitted_at"] = _at(s["submitted_at"])
            s["solved"] = None if s["solved"] is None else bool(s["solved"])
        repairs = _rows(session, "SELECT ticket_id, device_id, technician_id, minutes, parts_cost_cents, "
                                 "performed_at FROM repair_logs")
        for r in repairs:
            r["ticket_id"], r["device_id"], r["technician_id"] = (_id(r["ticket_id"]), _id(r["device_id"]),
                                                                  _id(r["technician_id"]))
            r["performed_at"] = _at(r["performed_at"])
        devices = _rows(session, "SELECT id, asset_tag, manufacturer, model, category, campus_id, status, "
                                 "purchase_date, purchase_cost_cents, warranty_end FROM devices")
        for d in devices:
            d["id"], d["campus_id"] = _id(d["id"]), _id(d["campus_id"])
            d["purchase_date"], d["warranty_end"] = _day(d["purchase_date"]), _day(d["warranty_end"])
        campuses = {_id(r["id"]) or "": r for r in _rows(session, "SELECT id, code, name FROM campuses")}
        categories = {_id(r["id"]) or "": r for r in _rows(session, "SELECT id, code, name, covered, sort_order "
                                                                    "FROM service_categories")}
        reporters = {_id(r["id"]) or "": r for r in _rows(session, "SELECT id, id_number, email FROM reporters")}
        return cls(tz, hours, closed, targets, staff, tickets, dict(events), surveys, repairs, devices, campuses,
                   categories, reporters)

    # --- business time: the sum, day by day, of each local working window's overlap -----------------------
    def window(self, day: date) -> tuple[datetime, datetime] | None:
        if day not in self._windows:
            w = None
            if day.weekday() in self.hours and day not in self.closed_days:
                opens, closes = self.hours[day.weekday()]
                w = (datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC),
                     datetime.combine(day, closes, tzinfo=self.tz).astimezone(UTC))
            self._windows[day] = w
        return self._windows[day]

    def business_ms(self, a: datetime, b: datetime) -> int:
        """Business milliseconds in [a, b) (0 when b <= a), to the millisecond as SQLite keeps instants."""
        if b <= a:
            return 0
        total = timedelta(0)
        day = a.astimezone(self.tz).date() - timedelta(days=1)
        last = b.astimezone(self.tz).date() + timedelta(days=1)
        while day <= last:
            w = self.window(day)
            if w is not None:
                lo, hi = max(a, w[0]), min(b, w[1])
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total // timedelta(milliseconds=1)


# --- the clocks, as docs/reports.md and sla_clock's docstring state them ----------------------------------------


def _ms(x: datetime) -> datetime:
    """To the nearest millisecond, as the reports' SQL reads instants (docs: "Precision")."""
    return x.replace(microsecond=0) + timedelta(milliseconds=(x.microsecond + 500) // 1000)


def put(out: dict[str, Any], base: str, **cols: Any) -> None:
    for c, v in cols.items():
        out[f"{base}.{c}"] = v


@dataclass(frozen=True)
class Clock:
    elapsed_ms: int
    breached: bool
    target_ms: int


def clock(raw: Raw, t: dict[str, Any], stop: datetime, which: int) -> Clock:
    """Elapsed business time from opening to ``stop``, holds excluded; breached if it ever exceeded the target in
    force (each priority's stretch judged at its end); the target in force at ``stop``."""
    opened = _ms(t["opened_at"])
    stop = _ms(stop)
    evs = raw.events.get(t["id"], [])
    status = [e for e in evs if e["kind"] == "status"]
    holds = []
    for i, e in enumerate(status):
        if e["new_value"] == "on_hold":
            holds.append((_ms(e["at"]), _ms(status[i + 1]["at"]) if i + 1 < len(status) else None))

    def elapsed(x: datetime) -> int:
        held = 0
        for hs, he in holds:
            if hs < x:
                held += raw.business_ms(hs, x if he is None or he >= x else he)
        return raw.business_ms(opened, x) - held

    segments = [(t["reporter_priority"], opened)]
    segments += [(e["new_value"], max(_ms(e["at"]), opened)) for e in evs
                 if e["kind"] == "priority" and e["new_value"]]
    breached = False
    target = raw.targets[segments[0][0]][which]
    for i, (prio, start) in enumerate(segments):
        nxt = segments[i + 1][1] if i + 1 < len(segments) else None
        if start < stop and (nxt is None or nxt > start):
            end = stop if nxt is None or nxt >= stop else nxt
            if elapsed(end) > raw.targets[prio][which]:
                breached = True
        if start <= stop:
            target = raw.targets[prio][which]
    return Clock(elapsed(stop), breached, target)


def resp_stop(t: dict[str, Any]) -> datetime | None:
    if t["first_response_at"] is None or (t["resolved_at"] is not None and t["resolved_at"] < t["first_response_at"]):
        return t["resolved_at"]
    return t["first_response_at"]


# --- rounding, as docs/reports.md states it --------------------------------------------------------------------


def half_up(value: Fraction | None, places: int) -> float | None:
    if value is None:
        return None
    scaled = value * 10 ** places
    n = abs(scaled)
    whole = n.numerator // n.denominator
    if (n - whole) * 2 >= 1:
        whole += 1
    return float(Fraction(whole if scaled >= 0 else -whole, 10 ** places))


def share(n: int, d: int) -> float | None:
    return None if not d else half_up(Fraction(100 * n, d), 1)


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    v = sorted(values)
    mid = len(v) // 2
    return Fraction(v[mid]) if len(v) % 2 else Fraction(v[mid - 1] + v[mid], 2)


def hours(ms: Fraction | None) -> float | None:
    return None if ms is None else half_up(ms / 3_600_000, 2)


def local(when: datetime | None, tz: ZoneInfo) -> str:
    return "" if when is None else when.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def in_period(x: datetime | None, start: datetime, end: datetime) -> bool:
    return x is not None and start <= x < end


# --- flatten a report into {figure: value} ---------------------------------------------------------------------


def flatten(report: dict[str, Any], keys: dict[str, list[str]], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every fact and every table cell of a report's JSON form, keyed by page, table, row key and column."""
    out: dict[str, Any] = {}
    for page in report["pages"]:
        for k, v in page["facts"].items():
            out[f"{page['key']}.{k}"] = v
        for tkey, rows in page["tables"].items():
            if tkey in skip:
                continue
            cols = keys.get(tkey, [])
            for i, row in enumerate(rows):
                rk = "|".join(str(row[c]) for c in cols) if cols else str(i)
                for c, v in row.items():
                    out[f"{page['key']}.{tkey}[{rk}].{c}"] = v
    return out


# --- weekly ----------------------------------------------------------------------------------------------------


def expected_weekly(raw: Raw, start: datetime, end: datetime) -> dict[str, Any]:
    per: dict[str | None, list[tuple[Clock, Clock]]] = defaultdict(list)
    for t in raw.tickets:
        if not in_period(t["closed_at"], start, end):
            continue
        rs = resp_stop(t) or t["closed_at"]
        zs = t["resolved_at"] or t["closed_at"]
        per[t["assignee_id"]].append((clock(raw, t, rs, 0), clock(raw, t, zs, 1)))
    tickets = {t["id"]: t for t in raw.tickets}
    sv: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for s in raw.surveys:
        if in_period(s["submitted_at"], start, end):
            sv[s["technician_id"]].append(s)
    averages = {}
    for k, ss in sv.items():
        rated = [s["overall"] for s in ss if s["overall"] is not None]
        if k is not None and raw.staff[k]["role"] == "technician" and rated:
            averages[k] = Fraction(sum(rated), len(rated))
    ranks = {k: 1 + sum(1 for o in averages.values() if o > a) for k, a in averages.items()}
    keys: set[str | None] = {k for k, u in raw.staff.items() if u["role"] == "technician" and u["active"]}
    keys |= {k for k in (*per, *sv) if k is not None}
    rows = list(keys) + ([None] if None in per or None in sv else [])
    out: dict[str, Any] = {}
    for k in rows:
        user = raw.staff.get(k) if k else None
        page = user["username"] if user else "unassigned"
        clocks = per.get(k, [])
        ss = sv.get(k, [])
        rated = [s["overall"] for s in ss if s["overall"] is not None]
        answered = [s for s in ss if s["solved"] is not None]
        n = len(clocks)
        row = {
            "technician": user["username"] if user else None, "closed": n,
            "median_first_response_hours": hours(median([c[0].elapsed_ms for c in clocks])),
            "median_resolution_hours": hours(median([c[1].elapsed_ms for c in clocks])),
            "response_sla_met_pct": share(sum(not c[0].breached for c in clocks), n) if n else None,
            "resolution_sla_met_pct": share(sum(not c[1].breached for c in clocks), n) if n else None,
            "sla_met_pct": share(sum(not c[0].breached and not c[1].breached for c in clocks), n) if n else None,
            "surveys": len(ss),
            "average_rating": half_up(Fraction(sum(rated), len(rated)), 2) if rated else None,
            "solved_pct": share(sum(1 for s in answered if s["solved"]), len(answered)) if ss else None,
            "rank": ranks.get(k) if k else None,
        }
        for c, v in row.items():
            out[f"summary.technicians[{row['technician']}].{c}"] = v
            out[f"{page}.{c}"] = v
        out[f"{page}.name"] = f"{user['first_name']} {user['last_name']}" if user else "(unassigned)"
        out[f"{page}.ranked_technicians"] = len(ranks)
        comments = sorted((s for s in ss if s["comment"]), key=lambda s: (s["submitted_at"],
                                                                          tickets[s["ticket_id"]]["number"]))
        for i, s in enumerate(comments):
            for c, v in (("ticket", tickets[s["ticket_id"]]["number"]), ("overall", s["overall"]),
                         ("solved", s["solved"]), ("comment", s["comment"])):
                out[f"{page}.comments[{i}].{c}"] = v
    out["summary.closed"] = sum(len(v) for v in per.values())
    out["summary.ranked_technicians"] = len(ranks)
    return out


# --- accountability --------------------------------------------------------------------------------------------


def expected_accountability(raw: Raw, start: datetime, end: datetime, days: list[date]) -> dict[str, Any]:
    minutes: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    worked: dict[str | None, set[str]] = defaultdict(set)
    total: dict[str | None, int] = defaultdict(int)
    logged = {r["ticket_id"] for r in raw.repairs if r["ticket_id"]}
    for r in raw.repairs:
        if in_period(r["performed_at"], start, end):
            minutes[r["technician_id"]][r["performed_at"].astimezone(raw.tz).date().isoformat()] += r["minutes"]
            total[r["technician_id"]] += r["minutes"]
            if r["ticket_id"]:
                worked[r["technician_id"]].add(r["ticket_id"])
    closed: dict[str | None, int] = defaultdict(int)
    without: dict[str | None, int] = defaultdict(int)
    flagged = []
    for t in sorted(raw.tickets, key=lambda t: (t["closed_at"] or start, t["number"])):
        if in_period(t["closed_at"], start, end):
            closed[t["assignee_id"]] += 1
            if t["id"] not in logged:
                without[t["assignee_id"]] += 1
                flagged.append(t)
    keys: set[str | None] = {k for k, u in raw.staff.items() if u["role"] == "technician" and u["active"]}
    keys |= {k for k in (*minutes, *total, *closed) if k is not None}
    rows = list(keys) + ([None] if None in closed else [])
    out: dict[str, Any] = {}
    for k in rows:
        name = raw.staff[k]["username"] if k else None
        base = f"summary.technicians[{name}]"
        out[f"{base}.technician"] = name
        for d in days:
            out[f"{base}.{d.isoformat()}"] = minutes.get(k, {}).get(d.isoformat(), 0)
        out[f"{base}.week_minutes"] = total.get(k, 0)
        out[f"{base}.tickets_worked"] = len(worked.get(k, set()))
        out[f"{base}.closed"] = closed.get(k, 0)
        out[f"{base}.closed_without_time"] = without.get(k, 0)
    for t in flagged:
        out[f"summary.closed_without_time[{t['number']}].ticket"] = t["number"]
        out[f"summary.closed_without_time[{t['number']}].technician"] = (
            raw.staff[t["assignee_id"]]["username"] if t["assignee_id"] else None)
    out["summary.minutes"] = sum(total.get(k, 0) for k in rows)
    out["summary.closed_without_time"] = len(flagged)
    return out


# --- backlog ---------------------------------------------------------------------------------------------------


def expected_backlog(raw: Raw, now: datetime, oldest_limit: int = 200) -> dict[str, Any]:
    out: dict[str, Any] = {}
    open_tickets = [t for t in raw.tickets if t["status"] in OPEN]
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    by_priority: dict[str, int] = defaultdict(int)
    for t in open_tickets:
        age_h = Fraction((_ms(now) - _ms(t["opened_at"])) // timedelta(milliseconds=1), 3_600_000)
        bucket = next((label for label, h in AGE_BUCKETS if age_h < h), ">30d")
        counts[(raw.campuses[t["campus_id"]]["code"], bucket, t["priority"])] += 1
        by_priority[t["priority"]] += 1
    for (campus, bucket, prio), n in counts.items():
        put(out, f"summary.counts[{campus}|{bucket}|{prio}]", campus=campus, age=bucket, priority=prio, tickets=n)

    def who(t: dict[str, Any]) -> str | None:
        return raw.staff[t["assignee_id"]]["username"] if t["assignee_id"] else None

    oldest = sorted(open_tickets, key=lambda t: (t["opened_at"], t["number"]))[:oldest_limit]
    for t in oldest:
        age = Fraction((_ms(now) - _ms(t["opened_at"])) // timedelta(milliseconds=1), 86_400_000)
        put(out, f"summary.oldest[{t['number']}]", ticket=t["number"], campus=raw.campuses[t["campus_id"]]["code"],
            category=raw.categories[t["category_id"]]["code"], priority=t["priority"], status=t["status"],
            age_days=half_up(age, 1), assignee=who(t))
    breached = at_risk = 0
    for t in open_tickets:
        r = clock(raw, t, resp_stop(t) or now, 0)
        z = clock(raw, t, t["resolved_at"] or now, 1)
        ru, zu = Fraction(r.elapsed_ms, r.target_ms), Fraction(z.elapsed_ms, z.target_ms)
        head = {"ticket": t["number"], "campus": raw.campuses[t["campus_id"]]["code"], "priority": t["priority"],
                "assignee": who(t)}
        if r.breached or z.breached:
            which = "both" if r.breached and z.breached else "response" if r.breached else "resolution"
            used = {"both": max(ru, zu), "response": ru, "resolution": zu}[which]
            put(out, f"summary.breached[{t['number']}]", **head, target_used_pct=half_up(100 * used, 1), clock=which)
            breached += 1
            continue
        used = max([zu] + ([ru] if t["first_response_at"] is None else []))
        if used >= WARN:
            put(out, f"summary.at_risk[{t['number']}]", **head, target_used_pct=half_up(100 * used, 1))
            at_risk += 1
    out["summary.open"] = len(open_tickets)
    out["summary.breached"] = breached
    out["summary.at_risk"] = at_risk
    out["summary.by_priority"] = dict(sorted(by_priority.items()))
    return out


# --- service ---------------------------------------------------------------------------------------------------


def months_of(tz: ZoneInfo, first: date, last: date) -> list[tuple[str, datetime, datetime]]:
    out = []
    d = first
    while d <= last:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        stop = min(nxt, last + timedelta(days=1))
        out.append((f"{d.year:04d}-{d.month:02d}", datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC),
                    datetime.combine(stop, time(0), tzinfo=tz).astimezone(UTC)))
        d = nxt
    return out


def expected_service(raw: Raw, start: datetime, end: datetime, first: date, last: date,
                     list_limit: int = 100) -> dict[str, Any]:
    out: dict[str, Any] = {}
    opened = [t for t in raw.tickets if in_period(t["opened_at"], start, end)]
    total = len(opened)
    outside = 0
    for cid, c in raw.categories.items():
        n = sum(1 for t in opened if t["category_id"] == cid)
        put(out, f"summary.by_category[{c['code']}]", category=c["code"], name=c["name"], covered=bool(c["covered"]),
            tickets=n)
        if not c["covered"]:
            outside += n
    per_campus: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in opened:
        code = raw.campuses[t["campus_id"]]["code"]
        per_campus[code][0] += 1
        per_campus[code][1] += 0 if raw.categories[t["category_id"]]["covered"] else 1
    names = {c["code"]: c["name"] for c in raw.campuses.values()}
    for code, (n, o) in per_campus.items():
        put(out, f"summary.by_campus[{code}]", campus=code, name=names[code], tickets=n, outside_catalog=o)
    repairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in raw.repairs:
        if r["device_id"] and in_period(r["performed_at"], start, end):
            repairs[r["device_id"]].append(r)
    devices = {d["id"]: d for d in raw.devices}
    models: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    listed = []
    for did, rs in repairs.items():
        if len(rs) >= 2:
            d = devices[did]
            models[(d["manufacturer"], d["model"])][0] += 1
            models[(d["manufacturer"], d["model"])][1] += len(rs)
            listed.append((-len(rs), d["asset_tag"], d, rs))
    for _, tag, d, rs in sorted(listed, key=lambda x: (x[0], x[1]))[:list_limit]:
        put(out, f"summary.repeat_devices[{tag}]", tag=tag, manufacturer=d["manufacturer"], model=d["model"],
            campus=raw.campuses[d["campus_id"]]["code"] if d["campus_id"] else None, repairs=len(rs),
            parts_cost=float(Fraction(sum(r["parts_cost_cents"] or 0 for r in rs), 100)))
    for (make, model), (n, k) in models.items():
        put(out, f"summary.repeat_models[{make}|{model}]", manufacturer=make, model=model, devices=n, repairs=k)
    previous = None
    for label, ms_, me in months_of(raw.tz, first, last):
        month = [t for t in raw.tickets if in_period(t["opened_at"], ms_, me)]
        n = len(month)
        o = sum(1 for t in month if not raw.categories[t["category_id"]]["covered"])
        put(out, f"summary.trend[{label}]", month=label, tickets=n, outside_catalog=o,
            change_pct=None if not previous else half_up(Fraction(100 * (n - previous), previous), 1))
        previous = n
    out["summary.tickets"] = total
    out["summary.outside_catalog"] = outside
    out["summary.outside_catalog_pct"] = share(outside, total)
    out["summary.repeat_repair_devices"] = len(listed)
    return out


# --- objectives ------------------------------------------------------------------------------------------------


def priority_at(raw: Raw, t: dict[str, Any], when: datetime) -> str:
    prio = t["reporter_priority"]
    for e in raw.events.get(t["id"], []):
        if e["kind"] == "priority" and e["new_value"] and e["at"] <= when:
            prio = e["new_value"]
    return prio


def expected_objectives(raw: Raw, first: date, last: date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    goals = [("satisfaction_pct", ">=", Fraction(94), 1), ("p1_median_resolution_hours", "<=", Fraction(4), 2),
             ("first_response_met_pct", ">=", Fraction(90), 1)]
    met: dict[str, list[bool]] = defaultdict(list)
    for label, ms_, me in months_of(raw.tz, first, last):
        rated = [s["overall"] for s in raw.surveys if in_period(s["submitted_at"], ms_, me) and s["overall"] is not None]
        resolved = [t for t in raw.tickets if in_period(t["resolved_at"], ms_, me)]
        p1 = [clock(raw, t, t["resolved_at"], 1).elapsed_ms for t in resolved
              if priority_at(raw, t, t["resolved_at"]) == "P1"]
        resp_met = sum(1 for t in resolved if not clock(raw, t, resp_stop(t), 0).breached)
        exact = {
            "satisfaction_pct": Fraction(100 * sum(1 for r in rated if r >= 4), len(rated)) if rated else None,
            "p1_median_resolution_hours": None if not p1 else median(p1) / 3_600_000,  # type: ignore[operator]
            "first_response_met_pct": Fraction(100 * resp_met, len(resolved)) if resolved else None,
        }
        for metric, op, target, places in goals:
            v = exact[metric]
            status = "no data" if v is None else "met" if (v >= target if op == ">=" else v <= target) else "missed"
            if v is not None:
                met[metric].append(status == "met")
            put(out, f"summary.monthly[{label}|{metric}]", month=label, metric=metric, actual=half_up(v, places),
                target=f"{op}{target}", status=status)
    for metric, _, _, _ in goals:
        put(out, f"summary.objectives[{metric}]", metric=metric, months_met=sum(met[metric]),
            months_with_data=len(met[metric]))
        out[f"summary.{metric}_months_met"] = f"{sum(met[metric])}/{len(met[metric])}"
    return out


# --- inventory -------------------------------------------------------------------------------------------------


def expected_inventory(raw: Raw, today: date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    live = [d for d in raw.devices if d["status"] != "retired"]
    repairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in raw.repairs:
        if r["device_id"]:
            repairs[r["device_id"]].append(r)
    labels = ["<1y", "1-2y", "2-3y", "3-4y", "4-5y"]
    by_campus: dict[tuple[str, str], int] = defaultdict(int)
    by_age: dict[str, int] = defaultdict(int)
    models: dict[tuple[str, str, str], list[Any]] = {}
    costly: list[tuple[Any, ...]] = []
    past_w = past_r = budget = 0
    for d in live:
        campus = raw.campuses[d["campus_id"]]["code"] if d["campus_id"] else "(none)"
        by_campus[(campus, d["category"])] += 1
        age = (today - d["purchase_date"]).days if d["purchase_date"] else None
        by_age["unknown" if age is None else next((lab for i, lab in enumerate(labels) if age < 365 * (i + 1)),
                                                   "5y+")] += 1
        w = d["warranty_end"] is not None and d["warranty_end"] < today
        r = age is not None and age >= 365 * REPLACEMENT_YEARS.get(d["category"], 6)
        past_w += w
        past_r += r
        budget += (d["purchase_cost_cents"] or 0) if r else 0
        m = models.setdefault((d["manufacturer"], d["model"], d["category"]), [0, 0, 0, 0, 0, 0, 0, 0])
        rs = repairs.get(d["id"], [])
        m[0] += 1
        m[1] += age or 0
        m[2] += age is not None
        m[3] += w
        m[4] += r
        m[5] += len(rs)
        m[6] += sum(x["parts_cost_cents"] or 0 for x in rs)
        m[7] += d["purchase_cost_cents"] or 0
        parts = sum(x["parts_cost_cents"] or 0 for x in rs)
        if rs and (d["purchase_cost_cents"] or 0) > 0 and 2 * parts >= d["purchase_cost_cents"]:
            costly.append((-Fraction(parts, d["purchase_cost_cents"]), d["asset_tag"], d, rs, parts, campus))
    for _, tag, d, rs, parts, campus in sorted(costly, key=lambda x: (x[0], x[1]))[:200]:
        put(out, f"summary.costly[{tag}]", tag=tag, model=d["model"], campus=None if campus == "(none)" else campus,
            repairs=len(rs), repair_parts_cost=float(Fraction(parts, 100)),
            purchase_cost=float(Fraction(d["purchase_cost_cents"], 100)),
            repair_share_pct=share(parts, d["purchase_cost_cents"]))
    for (campus, cat), n in by_campus.items():
        put(out, f"summary.by_campus[{campus}|{cat}]", campus=campus, category=cat, devices=n)
    for lab in [*labels, "5y+", "unknown"]:
        put(out, f"summary.by_age[{lab}]", age=lab, devices=by_age.get(lab, 0))
    for (make, model, cat), m in models.items():
        put(out, f"summary.by_model[{make}|{model}|{cat}]", manufacturer=make, model=model, category=cat,
            devices=m[0], avg_age_years=half_up(Fraction(m[1], 365 * m[2]), 1) if m[2] else None,
            past_warranty=m[3], past_replacement_age=m[4], repairs=m[5],
            repair_parts_cost=float(Fraction(m[6], 100)), purchase_cost=float(Fraction(m[7], 100)))
    out["summary.devices"] = len(live)
    out["summary.past_warranty"] = past_w
    out["summary.past_replacement_age"] = past_r
    out["summary.replacement_budget"] = float(Fraction(budget, 100))
    return out


# --- followups -------------------------------------------------------------------------------------------------


def expected_followups(raw: Raw, start: datetime, end: datetime) -> dict[str, Any]:
    tickets = {t["id"]: t for t in raw.tickets}
    out: dict[str, Any] = {}
    names = ("timeliness", "courtesy", "communication", "quality", "overall")
    rows = []
    for s in raw.surveys:
        scores = [s[n] for n in names if s[n] is not None]
        if in_period(s["submitted_at"], start, end) and (s["solved"] is False or any(x <= 2 for x in scores)):
            rows.append((s["submitted_at"], tickets[s["ticket_id"]]["number"], s, scores))
    rows.sort(key=lambda r: (r[0], r[1]))
    for i, (at, number, s, scores) in enumerate(rows):
        rep = raw.reporters.get(s["reporter_id"] or "")
        tech = raw.staff.get(s["technician_id"] or "")
        for c, v in (("ticket", number), ("technician", tech["username"] if tech else None),
                     ("submitted_at", local(at, raw.tz)), ("solved", s["solved"]),
                     ("lowest_rating", min(scores) if scores else 0), ("overall", s["overall"]),
                     ("comment", s["comment"]), ("reporter", (rep["id_number"] or rep["email"]) if rep else None)):
            out[f"summary.followups[{i}].{c}"] = v
    out["summary.followups"] = len(rows)
    return out
