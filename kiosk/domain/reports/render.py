"""Render a report as JSON, CSV, HTML (one page per section, SVG charts) or PDF (reportlab, PNG charts)."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from kiosk.domain.reports.base import Money, Page, Report, Table, label

FORMATS = ("text", "json", "csv", "html", "pdf")
PDF_MAX_ROWS = 500  # a PDF is for reading; longer tables are cut (with a note), CSV and JSON keep every row


def _cell(value: Any, machine: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return repr(float(value)) if machine else value.text()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def cell_text(value: Any) -> str:
    """A table cell or fact as people read it (text, HTML, PDF and the app; CSV keeps plain numbers)."""
    return _cell(value)


def headers(table: Table) -> list[str]:
    """A table's column headers as people read them."""
    return table.headers or [label(c) for c in table.columns]


def facts(page: Page) -> list[tuple[str, str]]:
    """A page's facts (not the nested ones) as (label, text) pairs, the way every human-facing output shows them."""
    return [(label(k), _cell(v)) for k, v in page.facts.items() if not isinstance(v, dict)]


def generated_text(report: Report) -> str:
    """When the report was taken, in the district's local time with the zone."""
    from kiosk.domain.reports.base import local_text

    return local_text(report.generated_at, report.zone) if report.zone else report.generated_at.isoformat(
        timespec="minutes")


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, default=str, ensure_ascii=False) + "\n"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting with one as a formula


def _formula_safe(value: object, text: str) -> str:
    """Text someone typed (a comment, a note) that a spreadsheet would run as a formula gets a leading
    apostrophe, as the device export does; numbers stay numbers."""
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


def to_csv(report: Report) -> str:
    """Every table of every page as a block: a ``# page / table`` line, the header, the rows, a blank line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for page in report.pages:
        for table in page.tables:
            writer.writerow([f"# {page.key} / {table.key}"])
            writer.writerow(table.columns)
            for row in table.rows:
                writer.writerow([_formula_safe(v, _cell(v, machine=True)) for v in row])
            writer.writerow([])
    return buf.getvalue()


def to_text(report: Report) -> str:
    lines = [f"{report.title}" + (f" - {report.period.label}" if report.period else "")
             + (f" - campus {report.campus}" if report.campus else ""), f"Generated {generated_text(report)}"]
    for page in report.pages:
        lines += ["", f"== {page.title}"]
        lines += [f"  {k}: {v}" for k, v in facts(page)]
        for table in page.tables:
            lines += ["", f"-- {table.title}", "  " + " | ".join(headers(table))]
            lines += ["  " + " | ".join(_cell(v) for v in row) for row in table.rows] or ["  (none)"]
    return "\n".join(lines) + "\n"


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers(table))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in table.rows) or f'<tr><td colspan="{len(table.columns)}">none</td></tr>'
    return f"<h3>{html.escape(table.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_page(page: Page, charts: bool) -> str:
    from kiosk.domain.reports import charts as chart_mod

    fact_html = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts(page))
    svgs = ""
    if charts:
        for chart in page.charts:
            svg = chart_mod.render(chart, "svg").decode()
            svgs += f'<figure class="chart">{svg[svg.index("<svg"):]}</figure>'
    tables = "".join(_html_table(t) for t in page.tables)
    return (f'<section class="page" id="{html.escape(page.key)}"><h2>{html.escape(page.title)}</h2>'
            f"<dl>{fact_html}</dl>{svgs}{tables}</section>")


CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;font-size:.9em}th{background:#f2f2f2}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}
.page{page-break-after:always;margin-bottom:3em}figure.chart svg{max-width:100%;height:auto}"""


def to_html(report: Report, charts: bool = True) -> str:
    title = html.escape(report.title + (f" - {report.period.label}" if report.period else ""))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
    pages = "".join(_html_page(p, charts) for p in report.pages)
    campus = f" - campus {html.escape(report.campus)}" if report.campus else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body><h1>{title}{campus}</h1>"
            f"<p>Generated {html.escape(generated_text(report))}</p>"
            f"<ul>{notes}</ul>{pages}</body></html>\n")


def to_pdf(report: Report) -> bytes:
    """A PDF with one page (or more, if long) per report page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from kiosk.domain.reports import charts as chart_mod

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(letter), title=report.title, author="kiosk",
                            leftMargin=0.5 * inch, rightMargin=0.5 * inch, topMargin=0.5 * inch,
                            bottomMargin=0.5 * inch)
    story: list[Any] = []
    heading = report.title + (f" - {report.period.label}" if report.period else "")
    for i, page in enumerate(report.pages):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(html.escape(heading), styles["Title"]))
        story.append(Paragraph(html.escape(page.title), styles["Heading2"]))
        if i == 0:
            story.append(Paragraph(html.escape(f"Generated {generated_text(report)}"), small))
        for k, v in facts(page):
            story.append(Paragraph(f"<b>{html.escape(k)}</b>: {html.escape(v)}", styles["BodyText"]))
        for chart in page.charts:
            story.append(Image(io.BytesIO(chart_mod.render(chart, "png")), width=7 * inch, height=3.2 * inch))
        for table in page.tables:
            story.append(Spacer(1, 8))
            story.append(Paragraph(html.escape(table.title), styles["Heading3"]))
            rows = table.rows[:PDF_MAX_ROWS]
            if len(table.rows) > PDF_MAX_ROWS:
                story.append(Paragraph(f"First {PDF_MAX_ROWS} of {len(table.rows)} rows; the CSV and JSON "
                                       "outputs have them all.", small))
            data = [[Paragraph(html.escape(h), small) for h in headers(table)]]
            data += [[Paragraph(html.escape(_cell(v)), small) for v in row] for row in rows]
            if not table.rows:
                data.append([Paragraph("none", small)] + [""] * (len(table.columns) - 1))
            t = PdfTable(data, repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
    if not report.pages:
        story.append(Paragraph(html.escape(heading), styles["Title"]))
    doc.build(story)
    return buf.getvalue()


def render(report: Report, fmt: str) -> str | bytes:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        return to_html(report)
    if fmt == "pdf":
        return to_pdf(report)
    return to_text(report)


def write_file(report: Report, fmt: str, path: Path) -> Path:
    """Render ``report`` as ``fmt`` into ``path`` (written whole or not at all); InvalidInput when it cannot."""
    import os
    import tempfile

    from kiosk.domain.errors import InvalidInput

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    data = render(report, fmt)
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise InvalidInput(f"could not write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
    return path
