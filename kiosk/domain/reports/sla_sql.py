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
* **Overrides.** Only tickets with ``override_priority`` set (every override sets it) are searched for priority
  events, so the other 90% of tickets cost no event lookups. Priority segments are the reporter's priority from ``opened_at`` and each priority event from
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

from sqlalchemy import BindParameter, Date, Row, TextClause, Uuid, bindparam, text
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

    ``sla`` columns: every column of ``tickets_sql``, then ``ticket_id, resp_ms, res_ms`` (business
    milliseconds elapsed, holds excluded), ``resp_breached, res_breached`` (0/1), ``resp_target_ms,
    res_target_ms`` (targets in force at the stop).

    Most tickets have neither holds nor overrides: they take the short path (three lookups); only tickets
    with hold or priority events go through the per-hold and per-segment joins.
    """

    def b(expr: str, c: str) -> str:
        m = ms(dialect, expr)
        return (f"({c}.cum + {clamp(f'({m} - {c}.d0)', f'{c}.a1', f'{c}.b1')}"
                f" + {clamp(f'({m} - {c}.d0)', f'{c}.a2', f'{c}.b2')})")

    def day(expr: str) -> str:
        return f"{ms(dialect, expr)} / {DAY_MS}"

    def held(x: str, bx: str) -> str:
        return (f"CASE WHEN hb.hs >= {x} THEN 0 WHEN hb.he IS NULL OR hb.he >= {x} THEN {bx} - hb.hs_b "
                f"ELSE hb.he_b - hb.hs_b END")

    clock_parts = []
    for clock, stop, col in (("resp", "resp_stop", "first_response_minutes"),
                             ("res", "res_stop", "resolution_minutes")):
        target = f"CAST(st.{col} AS BIGINT) * 60000"
        clock_parts.append(f"""
ovr_{clock} AS (
    SELECT g.ticket_id,
           MAX(CASE WHEN g.s < tbe.{stop} AND (g.nxt IS NULL OR g.nxt > g.s)
                     AND (CASE WHEN g.nxt IS NOT NULL AND g.nxt < tbe.{stop} THEN ope.e ELSE tbe.e_{clock} END)
                         > {target}
                    THEN 1 ELSE 0 END) AS breached,
           MAX(CASE WHEN g.s <= tbe.{stop} AND (g.nxt IS NULL OR g.nxt > tbe.{stop}) THEN {target} END) AS target_ms
    FROM segs g JOIN tbe ON tbe.id = g.ticket_id
    LEFT JOIN ope ON ope.ticket_id = g.ticket_id AND ope.x = g.nxt
    JOIN sla_targets st ON st.priority = g.p
    GROUP BY g.ticket_id
)""")
    return f"""WITH
cal(day, d0, cum, a1, b1, a2, b2) AS (VALUES
{cal_rows.values_sql()}
),
t AS ({tickets_sql}),
st_ev AS (
    SELECT ticket_id, at, new_value, LEAD(at) OVER (PARTITION BY ticket_id ORDER BY at, id) AS next_at
    FROM sla_ev WHERE kind = 'status'
),
holds AS (SELECT ticket_id, at AS hs, next_at AS he FROM st_ev WHERE new_value = 'on_hold'),
prio AS (
    SELECT e.ticket_id, e.new_value, e.id, CASE WHEN e.at < t.opened_at THEN t.opened_at ELSE e.at END AS x
    FROM sla_ev e JOIN t ON t.id = e.ticket_id WHERE e.kind = 'priority'
),
tb AS (
    SELECT t.*, {b('t.opened_at', 'c0')} AS open_b, {b('t.resp_stop', 'c1')} AS resp_b,
           {b('t.res_stop', 'c2')} AS res_b
    FROM t JOIN cal c0 ON c0.day = {day('t.opened_at')}
    JOIN cal c1 ON c1.day = {day('t.resp_stop')}
    JOIN cal c2 ON c2.day = {day('t.res_stop')}
),
hb AS (
    SELECT h.ticket_id, h.hs, h.he, {b('h.hs', 'c1')} AS hs_b, {b('h.he', 'c2')} AS he_b
    FROM holds h JOIN cal c1 ON c1.day = {day('h.hs')} LEFT JOIN cal c2 ON c2.day = {day('h.he')}
),
hsum AS (
    SELECT tb.id AS ticket_id, SUM({held('tb.resp_stop', 'tb.resp_b')}) AS held_resp,
           SUM({held('tb.res_stop', 'tb.res_b')}) AS held_res
    FROM tb JOIN hb ON hb.ticket_id = tb.id GROUP BY tb.id
),
tbe AS (
    SELECT tb.*, tb.resp_b - tb.open_b - COALESCE(hs.held_resp, 0) AS e_resp,
           tb.res_b - tb.open_b - COALESCE(hs.held_res, 0) AS e_res
    FROM tb LEFT JOIN hsum hs ON hs.ticket_id = tb.id
),
op AS (
    SELECT p.ticket_id, p.x, {b('p.x', 'c')} AS bx
    FROM (SELECT DISTINCT ticket_id, x FROM prio) p JOIN cal c ON c.day = {day('p.x')}
),
ope AS (
    SELECT op.ticket_id, op.x, op.bx - tb.open_b - COALESCE(SUM({held('op.x', 'op.bx')}), 0) AS e
    FROM op JOIN tb ON tb.id = op.ticket_id LEFT JOIN hb ON hb.ticket_id = op.ticket_id
    GROUP BY op.ticket_id, op.x, op.bx, tb.open_b
),
segs AS (
    SELECT ticket_id, p, s, LEAD(s) OVER (PARTITION BY ticket_id ORDER BY s, ord, eid) AS nxt
    FROM (SELECT t.id AS ticket_id, t.reporter_priority AS p, t.opened_at AS s, 0 AS ord, NULL AS eid
          FROM t WHERE t.id IN (SELECT ticket_id FROM prio)
          UNION ALL
          SELECT ticket_id, new_value, x, 1, id FROM prio) x
),{','.join(clock_parts)},
sla AS (
    SELECT tbe.*, tbe.id AS ticket_id, tbe.e_resp AS resp_ms, tbe.e_res AS res_ms,
           COALESCE(o1.breached, CASE WHEN tbe.e_resp > CAST(st.first_response_minutes AS BIGINT) * 60000
                                      THEN 1 ELSE 0 END) AS resp_breached,
           COALESCE(o2.breached, CASE WHEN tbe.e_res > CAST(st.resolution_minutes AS BIGINT) * 60000
                                      THEN 1 ELSE 0 END) AS res_breached,
           COALESCE(o1.target_ms, CAST(st.first_response_minutes AS BIGINT) * 60000) AS resp_target_ms,
           COALESCE(o2.target_ms, CAST(st.resolution_minutes AS BIGINT) * 60000) AS res_target_ms
    FROM tbe LEFT JOIN sla_targets st ON st.priority = tbe.reporter_priority
    LEFT JOIN ovr_resp o1 ON o1.ticket_id = tbe.id
    LEFT JOIN ovr_res o2 ON o2.ticket_id = tbe.id
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
        elif isinstance(value, date):
            binds.append(bindparam(key, value, type_=Date()))
        elif isinstance(value, uuid.UUID):
            binds.append(bindparam(key, value, type_=Uuid()))
        else:
            binds.append(bindparam(key, value))
    return text(sql).bindparams(*binds)


EVENTS_TABLE = "sla_ev"
TICKETS_TABLE = "sla_t"


def _stage_events(session: Session, dialect: str, tickets_sql: str, params: Mapping[str, Any]) -> None:
    """Copy the few events the clocks need into temporary table ``sla_ev``.

    Status events of tickets that were ever on hold, and priority events of tickets with an override recorded
    (``override_priority`` set; every override sets it). Done as a separate statement so that PostgreSQL can
    use index lookups here while the big query runs without nested loops.
    """
    uuid_type, ts_type = ("UUID", "TIMESTAMP WITH TIME ZONE") if dialect == "postgresql" else ("CHAR(32)", "DATETIME")
    session.execute(text(f"DROP TABLE IF EXISTS {EVENTS_TABLE}"))
    session.execute(text(f"CREATE TEMPORARY TABLE {EVENTS_TABLE} (ticket_id {uuid_type}, at {ts_type}, "
                         f"kind VARCHAR(24), new_value VARCHAR(64), id {uuid_type})"))
    session.execute(typed_text(f"""
INSERT INTO {EVENTS_TABLE} (ticket_id, at, kind, new_value, id)
WITH t AS ({tickets_sql}),
hold_t AS (
    SELECT DISTINCT e.ticket_id FROM ticket_events e
    WHERE e.kind = 'status' AND e.new_value = 'on_hold' AND e.ticket_id IN (SELECT id FROM t)
)
SELECT e.ticket_id, e.at, e.kind, e.new_value, e.id FROM ticket_events e
WHERE e.kind = 'status' AND e.ticket_id IN (SELECT ticket_id FROM hold_t)
UNION ALL
SELECT e.ticket_id, e.at, e.kind, e.new_value, e.id FROM ticket_events e
WHERE e.kind = 'priority' AND e.new_value IS NOT NULL
  AND e.ticket_id IN (SELECT id FROM tickets WHERE id IN (SELECT id FROM t) AND override_priority IS NOT NULL)
""", params))
    if dialect == "postgresql":
        session.execute(text(f"ANALYZE {EVENTS_TABLE}"))


def run_with_sla(session: Session, cal: BusinessCalendar, tickets_sql: str, select_sql: str,
                 params: Mapping[str, Any], until: datetime) -> list[Row[Any]]:
    """Run ``select_sql`` after the ``sla`` CTE built over ``tickets_sql`` (which may use ``params``).

    The calendar lookup spans the earliest ``opened_at`` of those tickets to ``until`` (plus a margin).
    """
    dialect = session.get_bind().dialect.name
    # The tickets are read once, into a temporary table: the three statements below each read them, and on a
    # big district a week's tickets are spread over tens of thousands of table pages.
    session.execute(text(f"DROP TABLE IF EXISTS {TICKETS_TABLE}"))
    session.execute(typed_text(f"CREATE TEMPORARY TABLE {TICKETS_TABLE} AS {tickets_sql}", params))
    if dialect == "postgresql":
        session.execute(text(f"ANALYZE {TICKETS_TABLE}"))
    tickets_sql = f"SELECT * FROM {TICKETS_TABLE}"
    span = text(f"SELECT MIN(opened_at) AS lo, MAX(res_stop) AS hi1, MAX(resp_stop) AS hi2 FROM {TICKETS_TABLE}")
    lo, hi1, hi2 = session.execute(span.columns(lo=UTCDateTime(), hi1=UTCDateTime(), hi2=UTCDateTime())).one()
    if lo is None:
        session.execute(text(f"DROP TABLE IF EXISTS {TICKETS_TABLE}"))
        return []
    # The lookup covers every instant a clock reads (a ticket whose stop fell outside it would drop out of the
    # joins): from the earliest opening to the latest stop or ``until``, whichever is later.
    hi = max(x for x in (until, lo, hi1, hi2) if x is not None)
    rows = calendar_rows(cal, lo - timedelta(days=1), hi + timedelta(days=2))
    sql = sla_facts_sql(dialect, tickets_sql, rows) + select_sql
    if dialect == "postgresql":
        # The planner's cost estimate for these many CTE joins is huge, which triggers JIT compilation that
        # costs seconds and saves nothing; and its row estimates for the CTEs are far too low, which makes
        # nested loops over CTE scans quadratic. Both off, for this transaction only.
        session.execute(text("SET LOCAL jit = off"))
    _stage_events(session, dialect, tickets_sql, params)
    if dialect == "postgresql":
        session.execute(text("SET LOCAL enable_nestloop = off"))
    result = list(session.execute(typed_text(sql, params)))
    # (On an error the transaction rolls back, which drops the table and the settings too.)
    if dialect == "postgresql":
        session.execute(text("SET LOCAL enable_nestloop = on"))
    session.execute(text(f"DROP TABLE IF EXISTS {EVENTS_TABLE}"))
    session.execute(text(f"DROP TABLE IF EXISTS {TICKETS_TABLE}"))
    return result
