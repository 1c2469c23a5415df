"""The SLA clocks in SQL: business time, holds and priority overrides, aggregated in the database.

The Python clock (:mod:`kiosk.domain.sla_clock`) is the reference; this module computes the same figures set-wise
so that reports over a million tickets stay in the database. The property test
``tests/reports/test_sla_sql.py`` checks the two agree on random ticket histories.

How it works
------------
* **Business time as a lookup.** For every UTC day that an instant of interest can fall on, Python builds one
  row ``(day, d0, cum, a1, b1, a2, b2)``: ``day`` is the day number since 1970-01-01 UTC, ``cum`` the business
  milliseconds from the first row's midnight up to that midnight, and ``[a1, b1)``, ``[a2, b2)`` the open
  windows of that UTC day in milliseconds after midnight (a local business day may straddle UTC midnight, so
  a UTC day holds at most two pieces; more raises ValueError). Then the cumulative business time of an
  instant ``x`` is ``B(x) = cum + clamp(ms(x) - a1) + clamp(ms(x) - a2)``, an equi-join on ``day``, and the
  business time between two instants is ``B(y) - B(x)``. The rows are a ``VALUES`` list in a CTE.
* **Holds.** A hold starts with a status event to ``on_hold`` and ends with the ticket's next status event
  (as :func:`kiosk.domain.sla.ticket_history` reads them). Elapsed time at ``x`` is
  ``E(x) = B(x) - B(opened) - held business time before x``.
* **Overrides.** Priority segments are the reporter's priority from ``opened_at`` and each priority event from
  its instant. A clock is breached iff for some segment ``i`` that starts before the clock stops and has a
  positive length, ``E(min(next segment start, stop)) > target_i`` (elapsed time is non-decreasing, so this is
  exactly "the elapsed time exceeded the target in force at some moment", the Python clock's rule).
* **Precision.** Instants are read to the millisecond (SQLite's own resolution); the Python clock works in
  microseconds, so a clock stopped less than a millisecond after its deadline may be judged met here.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Row, TextClause, Uuid, bindparam, text
from sqlalchemy.orm import Session

from kiosk.domain.business_hours import BusinessCalendar, business_window
from kiosk.domain.models import UTCDateTime

DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ms(dialect: str, expr: str) -> str:
    """SQL for the epoch milliseconds (integer) of a timestamp column or expression."""
    if dialect == "postgresql":
        return f"CAST(ROUND(EXTRACT(EPOCH FROM {expr}) * 1000) AS BIGINT)"
    return f"CAST(ROUND((julianday({expr}) - 2440587.5) * 86400000.0) AS INTEGER)"


def clamp(value: str, low: str, high: str) -> str:
    """SQL for ``value`` clipped to [0, high - low] after subtracting ``low`` (portable, no LEAST/GREATEST)."""
    return f"(CASE WHEN {value} <= {low} THEN 0 WHEN {value} >= {high} THEN {high} - {low} ELSE {value} - {low} END)"


@dataclass(frozen=True)
class CalendarRows:
    first_day: int
    rows: list[tuple[int, int, int, int, int, int]]

    def values_sql(self) -> str:
        """``(day, d0, cum, a1, b1, a2, b2), ...`` as literal integers (no user input: safe to inline).

        ``d0`` is the day's midnight in epoch milliseconds (a BIGINT literal on PostgreSQL, so no int4 overflow).
        """
        return ",\n".join(f"({d}, {d * DAY_MS}, {c}, {a1}, {b1}, {a2}, {b2})"
                           for d, c, a1, b1, a2, b2 in self.rows)


def calendar_rows(cal: BusinessCalendar, first: datetime, last: datetime) -> CalendarRows:
    """Lookup rows covering every UTC day from ``first`` to ``last`` (aware instants), inclusive."""
    first_day = (first.astimezone(UTC) - _EPOCH) // timedelta(days=1)
    last_day = (last.astimezone(UTC) - _EPOCH) // timedelta(days=1)
    pieces: dict[int, list[tuple[int, int]]] = defaultdict(list)
    local = (first.astimezone(cal.zone) - timedelta(days=2)).date()
    stop = (last.astimezone(cal.zone) + timedelta(days=2)).date()
    while local <= stop:
        window = business_window(cal, local)
        local += timedelta(days=1)
        if window is None:
            continue
        start_ms = (window[0] - _EPOCH) // timedelta(milliseconds=1)
        end_ms = (window[1] - _EPOCH) // timedelta(milliseconds=1)
        while start_ms < end_ms:
            day = start_ms // DAY_MS
            piece_end = min(end_ms, (day + 1) * DAY_MS)
            pieces[day].append((start_ms - day * DAY_MS, piece_end - day * DAY_MS))
            start_ms = piece_end
    rows = []
    cum = 0
    for day in range(first_day, last_day + 1):
        parts = sorted(pieces.get(day, []))
        if len(parts) > 2:
            raise ValueError(f"more than two business windows on UTC day {date.fromordinal(719163 + day)}")
        parts += [(0, 0)] * (2 - len(parts))
        (a1, b1), (a2, b2) = parts
        rows.append((day, cum, a1, b1, a2, b2))
        cum += (b1 - a1) + (b2 - a2)
    return CalendarRows(first_day, rows)


def sla_facts_sql(dialect: str, tickets_sql: str, cal_rows: CalendarRows) -> str:
    """A ``WITH`` prefix defining CTE ``sla`` with one row per ticket of ``tickets_sql``.

    ``tickets_sql`` must select ``id, opened_at, reporter_priority, resp_stop, res_stop``: the instants the
    response and resolution clocks stop (for a running clock, the ``now`` the report is taken at).

    ``sla`` columns: ``ticket_id, resp_ms, res_ms`` (business milliseconds elapsed, holds excluded),
    ``resp_breached, res_breached`` (0/1), ``resp_target_ms, res_target_ms`` (targets in force at the stop).
    """
    ms_x = ms(dialect, "i.x")
    b_expr = (f"c.cum + {clamp(f'({ms_x} - c.d0)', 'c.a1', 'c.b1')}"
              f" + {clamp(f'({ms_x} - c.d0)', 'c.a2', 'c.b2')}")
    clock_parts = []
    for clock, stop, target_col in (("resp", "resp_stop", "first_response_minutes"),
                                    ("res", "res_stop", "resolution_minutes")):
        clock_parts.append(f"""
{clock}_seg AS (
    SELECT s.ticket_id, s.p, s.s, s.nxt, t.{stop} AS stop,
           CASE WHEN s.nxt IS NOT NULL AND s.nxt < t.{stop} THEN s.nxt ELSE t.{stop} END AS seg_end
    FROM segs s JOIN t ON t.id = s.ticket_id
    WHERE s.s < t.{stop} OR (s.s <= t.{stop} AND (s.nxt IS NULL OR s.nxt > t.{stop}))
),
{clock}_agg AS (
    SELECT g.ticket_id,
           MAX(CASE WHEN g.s < g.stop AND (g.nxt IS NULL OR g.nxt > g.s)
                     AND pe.e > CAST(st.{target_col} AS BIGINT) * 60000 THEN 1 ELSE 0 END) AS breached,
           MAX(CASE WHEN g.nxt IS NULL OR g.nxt > g.stop
                    THEN CAST(st.{target_col} AS BIGINT) * 60000 END) AS target_ms
    FROM {clock}_seg g
    JOIN pe ON pe.ticket_id = g.ticket_id AND pe.x = g.seg_end
    JOIN sla_targets st ON st.priority = g.p
    GROUP BY g.ticket_id
)""")
    return f"""WITH
cal(day, d0, cum, a1, b1, a2, b2) AS (VALUES
{cal_rows.values_sql()}
),
t AS ({tickets_sql}),
st_ev AS (
    SELECT e.ticket_id, e.at, e.new_value,
           LEAD(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.at, e.id) AS next_at
    FROM ticket_events e JOIN t ON t.id = e.ticket_id
    WHERE e.kind = 'status'
),
holds AS (SELECT ticket_id, at AS hs, next_at AS he FROM st_ev WHERE new_value = 'on_hold'),
prio AS (
    SELECT e.ticket_id, e.at, e.new_value, e.id
    FROM ticket_events e JOIN t ON t.id = e.ticket_id
    WHERE e.kind = 'priority' AND e.new_value IS NOT NULL
),
segs AS (
    SELECT ticket_id, p, s, LEAD(s) OVER (PARTITION BY ticket_id ORDER BY s, ord, eid) AS nxt
    FROM (SELECT id AS ticket_id, reporter_priority AS p, opened_at AS s, 0 AS ord, NULL AS eid FROM t
          UNION ALL
          SELECT ticket_id, new_value, CASE WHEN at < t.opened_at THEN t.opened_at ELSE at END, 1, prio.id
          FROM prio JOIN t ON t.id = prio.ticket_id) x
),
pts AS (
    SELECT id AS ticket_id, resp_stop AS x FROM t
    UNION SELECT id, res_stop FROM t
    UNION SELECT ticket_id, s FROM segs
),
inst AS (
    SELECT ticket_id, x FROM pts
    UNION SELECT ticket_id, hs FROM holds
    UNION SELECT ticket_id, he FROM holds WHERE he IS NOT NULL
),
bv AS (
    SELECT i.ticket_id, i.x, {b_expr} AS b
    FROM inst i JOIN cal c ON c.day = {ms_x} / {DAY_MS}
),
ob AS (SELECT t.id AS ticket_id, bv.b AS open_b FROM t JOIN bv ON bv.ticket_id = t.id AND bv.x = t.opened_at),
hb AS (
    SELECT h.ticket_id, h.hs, h.he, b1.b AS hs_b, b2.b AS he_b
    FROM holds h
    JOIN bv b1 ON b1.ticket_id = h.ticket_id AND b1.x = h.hs
    LEFT JOIN bv b2 ON b2.ticket_id = h.ticket_id AND b2.x = h.he
),
pe AS (
    SELECT p.ticket_id, p.x,
           pb.b - ob.open_b - COALESCE(SUM(
               CASE WHEN hb.hs IS NULL OR hb.hs >= p.x THEN 0
                    WHEN hb.he IS NULL OR hb.he >= p.x THEN pb.b - hb.hs_b
                    ELSE hb.he_b - hb.hs_b END), 0) AS e
    FROM pts p
    JOIN bv pb ON pb.ticket_id = p.ticket_id AND pb.x = p.x
    JOIN ob ON ob.ticket_id = p.ticket_id
    LEFT JOIN hb ON hb.ticket_id = p.ticket_id
    GROUP BY p.ticket_id, p.x, pb.b, ob.open_b
),{','.join(clock_parts)},
sla AS (
    SELECT t.id AS ticket_id, rp.e AS resp_ms, rs.e AS res_ms,
           COALESCE(ra.breached, 0) AS resp_breached, COALESCE(sa.breached, 0) AS res_breached,
           ra.target_ms AS resp_target_ms, sa.target_ms AS res_target_ms
    FROM t
    JOIN pe rp ON rp.ticket_id = t.id AND rp.x = t.resp_stop
    JOIN pe rs ON rs.ticket_id = t.id AND rs.x = t.res_stop
    LEFT JOIN resp_agg ra ON ra.ticket_id = t.id
    LEFT JOIN res_agg sa ON sa.ticket_id = t.id
)
"""


def typed_text(sql: str, params: Mapping[str, Any]) -> TextClause:
    """``text(sql)`` with bind types from the values: instants as UTC timestamps, UUIDs as the model's Uuid."""
    binds: list[BindParameter[Any]] = []
    used = set(re.findall(r"(?<![:\w]):(\w+)", sql))
    for key, value in params.items():
        if key not in used:
            continue
        if isinstance(value, datetime):
            binds.append(bindparam(key, value, type_=UTCDateTime()))
        elif isinstance(value, uuid.UUID):
            binds.append(bindparam(key, value, type_=Uuid()))
        else:
            binds.append(bindparam(key, value))
    return text(sql).bindparams(*binds)


def run_with_sla(session: Session, cal: BusinessCalendar, tickets_sql: str, select_sql: str,
                 params: Mapping[str, Any], until: datetime) -> list[Row[Any]]:
    """Run ``select_sql`` after the ``sla`` CTE built over ``tickets_sql`` (which may use ``params``).

    The calendar lookup spans the earliest ``opened_at`` of those tickets to ``until`` (plus a margin).
    """
    dialect = session.get_bind().dialect.name
    lo_stmt = typed_text(f"SELECT MIN(opened_at) AS lo FROM ({tickets_sql}) q", params)
    lo = session.execute(lo_stmt.columns(lo=UTCDateTime())).scalar()
    if lo is None:
        return []
    rows = calendar_rows(cal, lo - timedelta(days=1), max(until, lo) + timedelta(days=2))
    sql = sla_facts_sql(dialect, tickets_sql, rows) + select_sql
    return list(session.execute(typed_text(sql, params)))
