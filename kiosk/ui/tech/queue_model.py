"""The work queue as a Qt table model plus a filter/sort proxy (no item widgets; 10,000 rows stay quick)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from kiosk.domain.queue import QueueRow
from kiosk.ui.language import catalog, status

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 10
ROW_ROLE = Qt.ItemDataRole.UserRole + 11


def format_span(seconds: float) -> str:
    """'3d 4h', '2h 05m', '-1h 10m' (negative when past due)."""
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    days, rem = divmod(s, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{sign}{days}d {hours}h"
    return f"{sign}{hours}h {minutes:02d}m"


class TicketQueueModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("TicketQueueModel", "Ticket"), QT_TRANSLATE_NOOP("TicketQueueModel", "Priority"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Status"), QT_TRANSLATE_NOOP("TicketQueueModel", "SLA left"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Respond"), QT_TRANSLATE_NOOP("TicketQueueModel", "Escalated"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Age"), QT_TRANSLATE_NOOP("TicketQueueModel", "Room"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Category"), QT_TRANSLATE_NOOP("TicketQueueModel", "Device"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Assigned"),
               QT_TRANSLATE_NOOP("TicketQueueModel", "Description"), QT_TRANSLATE_NOOP("TicketQueueModel", "Campus"))
    (TICKET, PRIORITY, STATUS, SLA, RESPOND, ESCALATED, AGE, ROOM, CATEGORY, DEVICE, ASSIGNED, DESCRIPTION,
     CAMPUS) = range(13)

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []
        self.now = now
        self.sort_column = self.SLA
        self.sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[QueueRow], now: datetime) -> None:
        self.beginResetModel()
        self.now = now
        self.rows = sorted(rows, key=self._key(self.sort_column),
                           reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def _key(self, column: int) -> Any:
        """A plain Python sort key per column: sorting 10,000 rows this way takes milliseconds."""
        if column == self.SLA:
            return lambda r: (self.sla_seconds(r) is None, self.sla_seconds(r) or 0.0)
        if column == self.RESPOND:
            return lambda r: (self.respond_seconds(r) is None, self.respond_seconds(r) or 0.0)
        if column == self.AGE:
            return lambda r: -r.opened_at.timestamp()
        if column == self.ESCALATED:
            return lambda r: {"breached": 0, "warn": 1}.get(r.escalation or "", 2)
        fields = {self.TICKET: "number", self.PRIORITY: "priority", self.STATUS: "status", self.ROOM: "room",
                  self.CATEGORY: "category", self.DEVICE: "device_tag", self.ASSIGNED: "assignee",
                  self.CAMPUS: "campus", self.DESCRIPTION: "description"}
        name = fields[column]
        return lambda r: (getattr(r, name) or "").lower()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def set_now(self, now: datetime) -> None:
        self.now = now
        if self.rows:
            self.dataChanged.emit(self.index(0, self.SLA), self.index(len(self.rows) - 1, self.AGE))

    def overridden_count(self) -> int:
        return sum(1 for r in self.rows if r.overridden)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(str(self.COLUMNS[section]))
        return None

    def sla_seconds(self, row: QueueRow) -> float | None:
        """Time left on the resolution clock as of ``now``: frozen while on hold, none once resolved."""
        if row.status == "resolved":
            return None
        if row.paused_left_seconds is not None:
            return row.paused_left_seconds
        due = row.resolution_due_at
        return None if due is None else (due - self.now).total_seconds()

    def respond_seconds(self, row: QueueRow) -> float | None:
        """Time left to the first response, until it is met."""
        if row.first_response_at is not None or row.response_due_at is None or row.status == "resolved":
            return None
        return (row.response_due_at - self.now).total_seconds()

    def _sla_text(self, r: QueueRow) -> str:
        if r.status == "resolved":
            return self.tr("closes after {0}").format(r.closes_on.strftime("%a %d %b")) if r.closes_on else ""
        left = self.sla_seconds(r)
        if left is None:
            return "—"
        if r.paused_left_seconds is not None:
            return self.tr("paused · {0}").format(format_span(left))
        return format_span(left)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            if col == self.PRIORITY:
                return r.priority
            if col == self.SLA:
                left = self.sla_seconds(r)
                return float("inf") if left is None else left
            if col == self.RESPOND:
                left = self.respond_seconds(r)
                return float("inf") if left is None else left
            if col == self.AGE:
                return -r.opened_at.timestamp()
            return self.data(index, Qt.ItemDataRole.DisplayRole) or ""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.TICKET:
                return r.number
            if col == self.PRIORITY:
                return f"{r.priority}*" if r.overridden else r.priority
            if col == self.STATUS:
                return status(r.status)
            if col == self.SLA:
                return self._sla_text(r)
            if col == self.RESPOND:
                left = self.respond_seconds(r)
                if left is None:
                    return self.tr("met") if r.first_response_at is not None else ""
                return format_span(left)
            if col == self.DESCRIPTION:
                return r.description if len(r.description) <= 60 else r.description[:59] + "…"
            if col == self.ESCALATED:
                return {"breached": self.tr("breached"), "warn": self.tr("75% used")}.get(r.escalation or "", "")
            if col == self.AGE:
                return format_span((self.now - r.opened_at).total_seconds())
            if col == self.ROOM:
                return r.room or ""
            if col == self.CATEGORY:
                return catalog(r.category)
            if col == self.DEVICE:
                return r.device_tag or ""
            if col == self.ASSIGNED:
                return r.assignee or ""
            return r.campus
        if role == Qt.ItemDataRole.ToolTipRole and col == self.PRIORITY and r.overridden:
            return self.tr("Reporter said {0}; a technician changed it").format(r.reporter_priority)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.DESCRIPTION:
            return r.description
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.SLA, self.RESPOND):
            left = self.sla_seconds(r) if col == self.SLA else self.respond_seconds(r)
            if left is not None and left < 0:
                return QColor("#9b0000")
            if col == self.SLA and r.paused_left_seconds is not None:
                return QColor("#555555")
        if role == Qt.ItemDataRole.ForegroundRole and col == self.ESCALATED and r.escalation == "breached":
            return QColor("#9b0000")
        return None


class QueueFilter(QSortFilterProxyModel):
    """Filters by status, priority, room, category and a free text (ticket number or device tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self.status = ""
        self.priority = ""
        self.room = ""
        self.category = ""
        self.text = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts its list (fast); the proxy keeps the source's order and only filters."""
        model = self.sourceModel()
        if isinstance(model, TicketQueueModel):
            model.sort(column, order)

    def set_filter(self, **values: str) -> None:
        self.beginFilterChange()
        for key, value in values.items():
            setattr(self, key, value.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt's API
        model = self.sourceModel()
        assert isinstance(model, TicketQueueModel)
        r = model.rows[source_row]
        if self.status and r.status != self.status:
            return False
        if self.priority and r.priority != self.priority:
            return False
        if self.room and self.room.lower() not in (r.room or "").lower():
            return False
        if self.category and r.category != self.category:
            return False
        if self.text:
            t = self.text.upper()
            return t in r.number or t.replace(" ", "") == (r.device_tag or "") or \
                self.text.lower() in r.description.lower()
        return True
