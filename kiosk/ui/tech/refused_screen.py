"""'Changes the server refused': edits this kiosk made that the district server will not take, and discarding them."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from kiosk.sync.local import RefusedChange
from kiosk.ui.qt_models import RowsModel, local_time
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.screens import table
from kiosk.ui.widgets import button, label

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow


class RefusedScreen(Screen):
    """A table of refused edits (when, which record, what changed, the server's reason) and a Discard button."""

    discard = Signal(int)  # the outbox seq of the refused edit

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Changes the server refused"))
        self.tz = tz
        self.outer.addWidget(label(self.tr(
            "The district server will not take these edits made on this kiosk, so they are not part of the "
            "district's records. Each one stays here until you discard it; redo the change if it is still "
            "needed (for example at the device's new campus)."), "muted"))
        self.model = RowsModel(("When", "Record", "What was changed", "Why the server refused it"))
        self.view = table(self.model)
        self.view.setWordWrap(True)
        # wrapped cells need their rows re-measured whenever a column's width changes (the last one stretches)
        self.view.horizontalHeader().sectionResized.connect(lambda *_: self.view.resizeRowsToContents())
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self.outer.addWidget(self.view, 1)
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.discard_button = button(self.tr("Discard the selected change"), self._discard, "primary")
        self.discard_button.setEnabled(False)
        self.outer.addWidget(self.discard_button)
        self.outer.addWidget(self.error_label)

    def set_items(self, items: list[RefusedChange]) -> None:
        self.model.set_rows([(local_time(i.at, self.tz, "%Y-%m-%d %H:%M"), i.record, i.change, i.reason)
                             for i in items], list(items))
        self.view.resizeColumnsToContents()
        for col, most in ((1, 260), (2, 380)):  # leaves the reason room for one line at 1366 px
            self.view.setColumnWidth(col, min(self.view.columnWidth(col), most))
        self.view.resizeRowsToContents()
        if not items:
            self.result.setText(self.result.text() or self.tr("Nothing refused: every change reached the server."))
        self._selection()

    def selected(self) -> RefusedChange | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def _selection(self) -> None:
        self.discard_button.setEnabled(self.selected() is not None)

    def _discard(self) -> None:
        item = self.selected()
        if item is not None:
            self.discard_button.setEnabled(False)
            self.show_error("")
            self.discard.emit(item.seq)

    def discarded(self, item: RefusedChange, undone: bool) -> None:
        self.result.setText(self.tr("Discarded: {0}, {1}.{2}").format(
            item.record, item.change,
            self.tr(" This kiosk's copy is back to what it was.") if undone else ""))

    def reset(self) -> None:
        super().reset()
        self.result.clear()


class RefusedEdits(QObject):
    """Lists and discards refused edits on a worker, through the technician flow."""

    def __init__(self, flow: TechFlow, screen: RefusedScreen) -> None:
        super().__init__(flow)
        self.flow, self.screen = flow, screen
        screen.discard.connect(self.discard)

    def refresh_count(self) -> None:
        """Shows the count on the home screen's button (hidden when there is nothing refused)."""
        from kiosk.sync import local

        self.flow.work(lambda: local.rejected_count(self.flow.db), self.flow.home.set_refused)

    def open(self, *, keep_result: bool = False) -> None:
        from kiosk.sync import local

        def shown(items: list[RefusedChange]) -> None:
            if not keep_result:
                self.screen.result.clear()
            self.screen.set_items(items)
            self.flow.home.set_refused(len(items))
            self.flow.window.show_screen(self.screen)

        self.flow.work(lambda: local.refused_changes(self.flow.db), shown)

    def discard(self, seq: int) -> None:
        from kiosk.sync import local

        actor = self.flow.actor

        def done(result: tuple[RefusedChange, bool]) -> None:
            self.screen.discarded(*result)
            self.open(keep_result=True)

        self.flow.work(lambda: local.discard_refused(self.flow.db, seq, actor), done)
