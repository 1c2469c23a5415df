"""Printing from the kiosk: Qt's print dialog in a window, straight to the default printer in kiosk mode.

A kiosk in a school shows no file-system or printer-setup dialog to whoever stands at it: in kiosk mode a
document goes to the system's default printer (or a clear message says none is set up). ``to_file`` prints to
a PDF file instead (the technician's "save as PDF", and the tests).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
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

    def _printer_or_none(self) -> QPrinterInfo | None:
        """The default printer kiosk mode would use, or None when none is set up."""
        info = QPrinterInfo.defaultPrinter()
        return None if info.isNull() else info

    def pdf_destination(self) -> tuple[str, int] | Path:
        """Where a ready PDF (labels, exact scale) goes: (printer name, copies), or a file to copy it to.

        Asked on the GUI thread (the dialog); the sending itself is :func:`send_pdf`, on a worker."""
        if self.to_file is not None:
            return self.to_file
        if self.kiosk_mode:
            info = QPrinterInfo.defaultPrinter()
            if info.isNull():
                raise PrintError("no printer is set up on this kiosk: ask the district to set a default printer")
            return info.printerName(), 1
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise PrintError("printing cancelled")
        if printer.outputFileName():
            return Path(printer.outputFileName())
        return printer.printerName(), max(1, printer.copyCount())

    def print_html(self, html: str, images: dict[str, bytes] | None = None) -> str:
        """Print an HTML document; returns where it went, for the screen. ``images``: PNGs the HTML shows as
        ``<img src="name">`` (a receipt's QR code)."""
        printer = self._printer()
        doc = QTextDocument()
        for name, data in (images or {}).items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage.fromData(data))
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


def send_pdf(pdf: Path, destination: tuple[str, int] | Path) -> str:
    """Send a PDF to a CUPS printer at 100 % (labels must not be scaled), or copy it to a file; returns where."""
    import shutil
    import subprocess

    if isinstance(destination, Path):
        shutil.copyfile(pdf, destination)
        return str(destination)
    name, copies = destination
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError("this kiosk cannot print: the CUPS 'lp' command is not installed")
    done = subprocess.run([lp, "-d", name, "-n", str(copies), "-o", "fit-to-page=false", "-o", "scaling=100",
                           str(pdf)], capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise PrintError(f"the printer {name} refused the job: {(done.stderr or done.stdout).strip()[:200]}")
    return name
