"""Printing from the kiosk: Qt's print dialog in a window, straight to the default printer in kiosk mode.

A kiosk in a school shows no file-system or printer-setup dialog to whoever stands at it: in kiosk mode a
document goes to the system's default printer (or a clear message says none is set up). ``to_file`` prints to
a PDF file instead (the technician's "save as PDF", and the tests).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget


class PrintError(Exception):
    """A message for the screen: no printer, or the dialog was cancelled."""


class Printing:
    def __init__(self, *, kiosk_mode: bool, parent: QWidget | None = None) -> None:
        self.kiosk_mode = kiosk_mode
        self.parent = parent
        self.to_file: Path | None = None  # print to this PDF instead of a printer

    def _printer(self) -> QPrinter:
        if self.to_file is not None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.to_file))
            printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Portrait,
                                              printer.pageLayout().margins()))
            return printer
        if self.kiosk_mode:
            info = QPrinterInfo.defaultPrinter()
            if info.isNull():
                raise PrintError("no printer is set up on this kiosk: ask the district to set a default printer")
            return QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise PrintError("printing cancelled")
        return printer

    def print_html(self, html: str) -> str:
        """Print an HTML document; returns where it went, for the screen."""
        printer = self._printer()
        doc = QTextDocument()
        doc.setHtml(html)
        doc.print_(printer)
        if self.to_file is not None:
            return str(self.to_file)
        return printer.printerName() or "the printer"


def table_html(title: str, subtitle: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain printable table (escaped)."""
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<h2>{escape(title)}</h2><p>{escape(subtitle)}</p>"
            f"<table border='1' cellspacing='0' cellpadding='6' width='100%'><tr>{head}</tr>{body}</table>"
            "<p>Checked: ____ &nbsp; Found: ____ &nbsp; Signed: ____________</p>")
