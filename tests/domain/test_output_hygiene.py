"""What the product writes out is inert: CSV cells never run as formulas, the CLI never prints control codes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from kiosk.cli import CleanOutput
from kiosk.domain.reports.base import Page, Report, Table
from kiosk.domain.reports.render import to_csv


def test_report_csv_neutralises_formulas_in_text_but_keeps_numbers() -> None:
    table = Table(key="followups", title="Follow-ups", columns=["ticket", "comment", "minutes"],
                  rows=[["C1-2345AB", '=HYPERLINK("http://evil.example","click")', -5],
                        ["C1-2345AC", "@SUM(A1)", 3], ["C1-2345AD", "+1 555", 0], ["C1-2345AE", "fine", 1]])
    report = Report(name="followups", title="Follow-ups", period=None, campus=None,
                    generated_at=datetime(2026, 9, 14, tzinfo=UTC), pages=[Page(key="p", title="P", tables=[table])])
    rows = [r for r in csv.reader(io.StringIO(to_csv(report))) if r and not r[0].startswith("#")][1:]
    assert [r[1] for r in rows] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1)", "'+1 555", "fine"]
    assert rows[0][2] == "-5"  # a number is not text someone typed


def test_the_command_line_strips_terminal_escapes_from_what_it_prints() -> None:
    out = io.StringIO()
    CleanOutput(out).write("note: \x1b[2J\x1b]0;owned\x07hello\u202eevil\r\nnext\tcol\n")
    assert out.getvalue() == "note: [2J]0;ownedhelloevil\r\nnext\tcol\n"
