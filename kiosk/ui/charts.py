"""Report charts in the app: the SVG the HTML report embeds (same Chart, same matplotlib code), scaled to fit."""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.domain.reports.base import Chart

# Figure size for the app, in inches: small enough that the labels (7 pt in charts.py) come out about 12 px when
# the chart is drawn about 560 px wide (at the HTML/PDF size, 7 x 3.2, they would be 8 px).
APP_WIDTH_IN = 4.6
APP_HEIGHT_IN = 2.6


# matplotlib defines the space glyph as a path without data; Qt's SVG renderer rejects it (with a warning per
# use) although it draws nothing either way. An explicit empty move keeps Qt quiet.
_EMPTY_GLYPH = re.compile(rb'<path id="([^"]+)" transform=')


def chart_svg(chart: Chart) -> bytes:
    """Draw a report chart for the app. Slow (matplotlib): call it on a worker thread."""
    from kiosk.domain.reports import charts

    svg = charts.render(chart, "svg", width=APP_WIDTH_IN, height=APP_HEIGHT_IN)
    return _EMPTY_GLYPH.sub(rb'<path id="\1" d="M 0 0" transform=', svg)


class ChartView(QSvgWidget):
    """One chart of a report page; keeps its aspect ratio, as wide as the column it sits in."""

    def __init__(self, chart: Chart, svg: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.load(QByteArray(svg))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.setAccessibleName(chart.title)
        self.setToolTip(chart.title)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(QSize(320, 170))

    @property
    def valid(self) -> bool:
        return self.renderer().isValid()

    def _ratio(self) -> float:
        size = self.renderer().defaultSize()
        return size.height() / size.width() if size.width() > 0 else 0.55

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return int(width * self._ratio())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(616, int(616 * self._ratio()))
