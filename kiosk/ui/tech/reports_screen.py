"""Admin reports in technician mode: pick a report, campus and period; read its tables and charts; export it."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.reports import ReportChoice, ReportForm
from kiosk.domain.reports.base import Page, Report, Table
from kiosk.domain.reports.render import cell_text
from kiosk.domain.reports.render import facts as report_facts
from kiosk.domain.reports.render import headers as report_headers
from kiosk.ui import theme
from kiosk.ui.charts import ChartView
from kiosk.ui.qt_models import Index, RowsModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.screens import table as table_view
from kiosk.ui.widgets import CurrentPageStack, button, label

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow

EXPORTS = (("html", "HTML", "Web page (*.html)"), ("csv", "CSV", "Spreadsheet (*.csv)"),
           ("pdf", "PDF", "PDF document (*.pdf)"))


# the theme styles QSpinBox and QComboBox; a date field should look like them
DATE_STYLE = ("QDateEdit { min-height: 48px; border: 3px solid #111111; border-radius: 8px; padding: 2px 10px; "
              "font-size: 21px; background: #ffffff; } QDateEdit:focus { border: 4px solid " + theme.FOCUS + "; }")
TABLES_SHARE = 0.56  # of the width, when the page has charts beside its tables


class ReportTableModel(RowsModel):
    """One report table: its headers, cells written as in the CSV/HTML/PDF outputs, numbers right-aligned."""

    def __init__(self, t: Table) -> None:
        super().__init__(tuple(report_headers(t)))
        self.key = t.key
        self.set_rows([tuple(r) for r in t.rows])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float) \
                and not isinstance(value, bool):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


@dataclass(frozen=True)
class Request:
    """What the admin asked for: passed to ``reports.generate`` as is."""

    name: str
    campus: str | None
    week: str | None
    first: date | None
    last: date | None


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsScreen(Screen):
    """The report, its campus and period at the top; the chosen page's facts, tables and charts below."""

    show_report = Signal(object)  # Request
    export = Signal(str, str)  # format, path

    def __init__(self) -> None:
        super().__init__(self.tr("Reports"))
        self.form: ReportForm | None = None
        self.report: Report | None = None
        self.svgs: dict[tuple[str, str], bytes] = {}
        self.folder = Path.home()
        self.choose_path: Callable[[str, str, str], str] = self._ask_path
        controls = QHBoxLayout()
        controls.setSpacing(10)
        self.which = QComboBox()
        self.campus = QComboBox()
        self.period = CurrentPageStack()
        self.week = QComboBox()
        range_box = QWidget()
        rb = QHBoxLayout(range_box)
        rb.setContentsMargins(0, 0, 0, 0)
        self.first = QDateEdit()
        self.last = QDateEdit()
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setMinimumHeight(48)
            d.setStyleSheet(DATE_STYLE)
        rb.addWidget(self.first, 1)
        rb.addWidget(label("–", wrap=False))
        rb.addWidget(self.last, 1)
        self.as_of_now = label(self.tr("As of now"), "muted", wrap=False)
        for w in (self.week, range_box, self.as_of_now):
            self.period.addWidget(w)
        for w in (self.which, self.campus, self.week):
            w.setMinimumHeight(48)
        controls.addWidget(self.which, 2)
        controls.addWidget(self.campus, 2)
        controls.addWidget(self.period, 3)
        self.go = button(self.tr("Show"), self._go, "primary")
        controls.addWidget(self.go)
        self.outer.addLayout(controls)

        status = QHBoxLayout()
        self.summary = label("", "muted")
        status.addWidget(self.summary, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: no percentage to give
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(False)
        self.progress.hide()
        status.addWidget(self.progress)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, name, _ in EXPORTS:
            b = button(self.tr("Export {0}…").format(name), name="small")
            b.clicked.connect(lambda _c=False, f=fmt: self._export(f))
            b.setEnabled(False)
            self.export_buttons[fmt] = b
            status.addWidget(b)
        self.outer.addLayout(status)

        page_row = QHBoxLayout()
        self.page = QComboBox()
        self.page.setMinimumHeight(48)
        self.page.currentIndexChanged.connect(self._show_page)
        page_row.addWidget(self.page)
        self.facts = label("")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page_row.addWidget(self.facts, 1)
        self.outer.addLayout(page_row)

        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.tables = QTabWidget()
        self.tables.setDocumentMode(True)
        self.body.addWidget(self.tables)
        self.charts_area = QScrollArea()
        self.charts_area.setWidgetResizable(True)
        self.charts_box = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_box)
        self.charts_layout.setContentsMargins(4, 0, 4, 0)
        self.charts_area.setWidget(self.charts_box)
        self.body.addWidget(self.charts_area)
        self.body.setStretchFactor(0, 5)
        self.body.setStretchFactor(1, 4)
        self.outer.addWidget(self.body, 1)
        self.outer.addWidget(self.error_label)
        self.which.currentIndexChanged.connect(self._choice_changed)
        self.models: list[ReportTableModel] = []
        self.views: list[QTableView] = []
        self.charts: list[ChartView] = []
        self._clear_report()

    # --- choices ----------------------------------------------------------------------------------------------
    def set_form(self, form: ReportForm, folder: Path) -> None:
        self.form, self.folder = form, folder
        current = self.which.currentData()
        self.which.blockSignals(True)
        self.which.clear()
        for r in form.reports:
            self.which.addItem(r.name.capitalize(), r.name)
            self.which.setItemData(self.which.count() - 1, r.title, Qt.ItemDataRole.ToolTipRole)
        self.which.setCurrentIndex(max(0, self.which.findData(current)))
        self.which.blockSignals(False)
        campus = self.campus.currentData()
        self.campus.clear()
        self.campus.addItem(self.tr("All campuses"), None)
        for code, name in form.campuses:
            self.campus.addItem(f"{name} ({code})", code)
        self.campus.setCurrentIndex(max(0, self.campus.findData(campus)))
        self.week.clear()
        for iso, monday, sunday in form.weeks:
            self.week.addItem(f"{iso}  ({monday:%d %b} – {sunday:%d %b %Y})", iso)
        today = _qdate(form.today)
        for d in (self.first, self.last):
            d.setMaximumDate(today)
        self._choice_changed()

    def choice(self) -> ReportChoice | None:
        if self.form is None:
            return None
        name = self.which.currentData()
        return next((r for r in self.form.reports if r.name == name), None)

    def _choice_changed(self) -> None:
        c = self.choice()
        if c is None:
            return
        self.period.setCurrentIndex({"week": 0, "range": 1, "none": 2}[c.period])
        if c.period == "week" and c.week:
            self.week.setCurrentIndex(max(0, self.week.findData(c.week)))
        if c.period == "range" and c.first and c.last:
            self.first.setDate(_qdate(c.first))
            self.last.setDate(_qdate(c.last))
        self.which.setToolTip(c.title)

    def request(self) -> Request | None:
        c = self.choice()
        if c is None:
            return None
        campus = self.campus.currentData()
        if c.period == "week":
            return Request(c.name, campus, self.week.currentData(), None, None)
        if c.period == "range":
            return Request(c.name, campus, None, _date(self.first.date()), _date(self.last.date()))
        return Request(c.name, campus, None, None, None)

    def _go(self) -> None:
        req = self.request()
        if req is None:
            return
        self.show_error("")
        self.set_busy(True, self.tr("Building the {0} report…").format(req.name))
        self.show_report.emit(req)

    # --- busy state ---------------------------------------------------------------------------------------------
    def set_busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.go.setEnabled(not busy)
        for b in self.export_buttons.values():
            b.setEnabled(not busy and self.report is not None)
        if text:
            self.summary.setText(text)

    def show_error(self, text: str) -> None:
        super().show_error(text)
        if text:
            self.set_busy(False, self._summary_text())

    # --- the report ---------------------------------------------------------------------------------------------
    def set_report(self, report: Report, svgs: dict[tuple[str, str], bytes]) -> None:
        self.report, self.svgs = report, svgs
        self.page.blockSignals(True)
        self.page.clear()
        for p in report.pages:
            self.page.addItem(p.title, p.key)
        self.page.blockSignals(False)
        self.page.setVisible(len(report.pages) > 1)
        self.set_busy(False, self._summary_text())
        self._show_page()

    def _summary_text(self) -> str:
        r = self.report
        if r is None:
            return self.tr("Choose a report, a campus and a period, then Show.")
        parts = [r.title, r.period.label if r.period else self.tr("as of {0}").format(
            r.generated_at.strftime("%Y-%m-%d %H:%M")), self.tr("campus {0}").format(r.campus) if r.campus
            else self.tr("all campuses")]
        return " · ".join(parts) + "".join(f"\n{n}" for n in r.notes)

    def current_page(self) -> Page | None:
        if self.report is None or not self.report.pages:
            return None
        return self.report.pages[max(0, self.page.currentIndex())]

    def _show_page(self) -> None:
        page = self.current_page()
        self.tables.clear()
        self.models, self.views = [], []
        for chart_view in self.charts:
            chart_view.setParent(None)
            chart_view.deleteLater()
        self.charts = []
        if page is None:
            self.facts.setText("")
            self.charts_area.hide()
            return
        self.facts.setText(" · ".join(f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in report_facts(page)))
        for t in page.tables:
            model = ReportTableModel(t)
            view = table_view(model)
            view.setSortingEnabled(False)
            view.resizeColumnsToContents()
            self.models.append(model)
            self.views.append(view)
            self.tables.addTab(view, f"{t.title} ({len(t.rows)})")
        if not page.tables:
            self.tables.addTab(label(self.tr("This page has no tables."), "muted"), self.tr("Tables"))
        while self.charts_layout.count():
            self.charts_layout.takeAt(0)
        for chart in page.charts:
            svg = self.svgs.get((page.key, chart.key))
            if svg is None:
                continue
            chart_view = ChartView(chart, svg)
            self.charts.append(chart_view)
            self.charts_layout.addWidget(chart_view)
        self.charts_layout.addStretch(1)
        self.charts_area.setVisible(bool(self.charts))
        if self.charts:
            width = max(self.body.width(), 800)
            self.body.setSizes([int(width * TABLES_SHARE), width - int(width * TABLES_SHARE)])

    def _clear_report(self) -> None:
        self.report, self.svgs = None, {}
        self.page.clear()
        self.page.hide()
        self._show_page()
        self.set_busy(False, self._summary_text())

    # --- export -------------------------------------------------------------------------------------------------
    def default_name(self, fmt: str) -> str:
        r = self.report
        if r is None:
            return f"report.{fmt}"
        when = r.period.label.replace(" to ", "_") if r.period else r.generated_at.strftime("%Y-%m-%d")
        return f"{r.name}-{when}{'-' + r.campus if r.campus else ''}.{fmt}".replace(" ", "_")

    def _ask_path(self, title: str, suggested: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, filters)
        return path

    def _export(self, fmt: str) -> None:
        if self.report is None:
            return
        name, filters = next((n, f) for k, n, f in EXPORTS if k == fmt)
        path = self.choose_path(self.tr("Export the report as {0}").format(name),
                                str(self.folder / self.default_name(fmt)), filters)
        if not path:
            return
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        self.show_error("")
        self.set_busy(True, self.tr("Writing {0}…").format(path))
        self.export.emit(fmt, path)

    def exported(self, path: str) -> None:
        self.set_busy(False, self._summary_text())
        self.summary.setText(self.tr("Saved {0}").format(path))

    def reset(self) -> None:
        super().reset()
        self._clear_report()


class AdminReports(QObject):
    """The domain calls behind the report screen, each on a worker through the technician flow."""

    def __init__(self, flow: TechFlow, screen: ReportsScreen) -> None:
        super().__init__(flow)
        self.flow, self.screen = flow, screen
        screen.show_report.connect(self.load)
        screen.export.connect(self.export)

    def _staff(self) -> uuid.UUID | None:
        return self.flow.staff_id if self.flow.admin else None

    def open(self) -> None:
        if not self.flow.admin:  # the button is hidden too; this is the second lock
            self.flow.home.show_error(self.tr("Reports are for district admins."))
            return
        staff = self._staff()

        def load() -> tuple[ReportForm, Path]:
            from kiosk.domain import reports
            from kiosk.settings import data_dir

            with self.flow.db.unit() as ctx:
                reports.require_admin(ctx.session, staff)
                form = reports.form(ctx.session, ctx.clock.now())
            folder = data_dir() / "reports"
            folder.mkdir(parents=True, exist_ok=True)
            return form, folder

        def shown(result: tuple[ReportForm, Path]) -> None:
            self.screen.set_form(*result)
            self.screen.set_busy(False)
            self.flow.window.show_screen(self.screen)

        self.flow.work(load, shown)

    def load(self, req: Request) -> None:
        staff = self._staff()

        def run() -> tuple[Report, dict[tuple[str, str], bytes]]:
            from kiosk.domain import reports
            from kiosk.ui.charts import chart_svg

            with self.flow.db.unit() as ctx:
                reports.require_admin(ctx.session, staff)
                report = reports.generate(ctx.session, req.name, now=ctx.clock.now(), campus=req.campus,
                                          week=req.week, first=req.first, last=req.last)
            svgs = {(p.key, c.key): chart_svg(c) for p in report.pages for c in p.charts}
            return report, svgs

        self.flow.work(run, lambda result: self.screen.set_report(*result))

    def export(self, fmt: str, path: str) -> None:
        report = self.screen.report
        if report is None:
            return

        def run() -> str:
            from kiosk.domain.reports.render import write_file

            return str(write_file(report, fmt, Path(path)))

        self.flow.work(run, self.screen.exported)
