"""Qt table and list models for the kiosk screens (presentation lives here, not in item widgets)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


def local_time(value: datetime | None, tz: ZoneInfo, fmt: str = "%a %d %b, %I:%M %p") -> str:
    if value is None:
        return ""
    from kiosk.ui.language import dates

    return dates(value.astimezone(tz).strftime(fmt).replace(" 0", " "))


class RoomListModel(QAbstractListModel):
    """The campus's rooms, for 'Problem with a room'."""

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.rooms: list[tuple[uuid.UUID, str]] = []

    def set_rooms(self, rooms: list[tuple[uuid.UUID, str]]) -> None:
        self.beginResetModel()
        self.rooms = list(rooms)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.rooms)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        room_id, name = self.rooms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == self.IdRole:
            return room_id
        return None


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows: headers plus one tuple of display values per row.

    Keeps the item objects in ``items`` so a screen can act on the selected one.
    """

    def __init__(self, headers: tuple[str, ...]) -> None:
        super().__init__()
        self.headers = headers
        self.rows: list[tuple[Any, ...]] = []
        self.items: list[Any] = []

    def set_rows(self, rows: list[tuple[Any, ...]], items: list[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.items = items if items is not None else list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.headers[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self.rows[index.row()][index.column()]
        return "" if value is None else str(value)
