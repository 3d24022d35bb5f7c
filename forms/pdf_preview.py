"""Print preview of PDF bytes (QtPdf) and printing them, page images painted on white.

Why by hand: QPdfView's fit modes showed the narrow 80 mm roll page blank, so the zoom is set
from the page width; ``QPdfDocument.render`` gives a transparent image, so pages are painted
on a white background before they go to the printer.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QPointF,
    QRect,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QVBoxLayout, QWidget

# What can go wrong between "Print" and paper in the tray. Each gets its own Chinese message.
CANCELLED, NO_PRINTER, OFFLINE, OUT_OF_PAPER, FAILED = (
    "cancelled",
    "no_printer",
    "offline",
    "out_of_paper",
    "failed",
)


def problem_text(problem: str, printer: str) -> str:
    """The Chinese sentence for ``problem`` on ``printer`` (named, so the desk knows which one)."""
    texts = {
        CANCELLED: QCoreApplication.translate(
            "Printing", "Printing was cancelled: nothing was sent to the printer %1."
        ),
        NO_PRINTER: QCoreApplication.translate("Printing", "Printer %1 was not found: nothing was printed."),
        OFFLINE: QCoreApplication.translate(
            "Printing", "Printer %1 is offline or switched off: nothing was printed."
        ),
        OUT_OF_PAPER: QCoreApplication.translate(
            "Printing", "Printer %1 is out of paper: load paper, then print again."
        ),
        FAILED: QCoreApplication.translate(
            "Printing", "Printer %1 did not accept the job: nothing was printed."
        ),
    }
    name = printer or QCoreApplication.translate("Printing", "(no printer)")
    return texts.get(problem, texts[FAILED]).replace("%1", f"“{name}”")


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print: truthy only when the printer accepted the job."""

    printed: bool
    printer: str = ""
    problem: str = ""
    pages: int = 0

    def __bool__(self) -> bool:
        return self.printed

    @property
    def message(self) -> str:
        return "" if self.printed else problem_text(self.problem, self.printer)


def problem_from_state(state: QPrinter.PrinterState | None, reasons: str = "") -> str:
    """A printer's state (and CUPS state reasons, if any) as one of the problems, or ''."""
    reasons = reasons.lower()
    if "media-empty" in reasons or "media-needed" in reasons:
        return OUT_OF_PAPER
    if any(word in reasons for word in ("offline", "connecting-to-device", "shutdown", "paused")):
        return OFFLINE
    if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return OFFLINE
    return ""


def _cups_reasons(name: str) -> str:
    """The CUPS printer-state-reasons line of ``name`` (empty when there is no CUPS client)."""
    lpstat = shutil.which("lpstat")
    if not lpstat or not name:
        return ""
    try:
        out = subprocess.run([lpstat, "-l", "-p", name], capture_output=True, text=True, timeout=2)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout + out.stderr


def printer_problem(name: str) -> tuple[str, str]:
    """(problem or '', the printer's name) for the named printer, or the default when unnamed."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        return NO_PRINTER, name
    resolved = info.printerName()
    return problem_from_state(info.state(), _cups_reasons(resolved)), resolved


def send_to_printer(document: QPdfDocument, printer_name: str = "", pdf_output: str = "") -> PrintOutcome:
    """The one real print path: checks the printer, sends every page, says whether it was accepted.

    Tests replace this function to simulate accepted, cancelled, missing, offline and empty printers.
    """
    if pdf_output:
        pages = print_document(document, make_printer(pdf_path=pdf_output))
        return PrintOutcome(True, pdf_output, pages=pages)
    problem, resolved = printer_problem(printer_name)
    if problem:
        return PrintOutcome(False, resolved, problem)
    printer = make_printer(resolved)
    try:
        pages = print_document(document, printer)
    except RuntimeError:
        return PrintOutcome(False, resolved, FAILED)
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return PrintOutcome(False, resolved, FAILED)
    return PrintOutcome(pages > 0, resolved, "" if pages > 0 else FAILED, pages)


def ask_pdf_path(parent: QWidget | None, suggested: str) -> str:
    """The file to save a PDF to (tests replace this); empty when the user cancels."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("Printing", "Save as PDF"), suggested, "PDF (*.pdf)"
    )
    return path


def save_as_pdf(parent: QWidget | None, pdf: bytes, title: str) -> str:
    """Ask where and write the PDF there; returns the path written, or '' (cancelled or failed)."""
    path = ask_pdf_path(parent, f"{title}.pdf")
    if not path:
        return ""
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        Path(path).write_bytes(pdf)
    except OSError:
        return ""
    return path


def load_document(pdf: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument on ``pdf`` (keep the buffer alive as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document, buffer


def render_page(document: QPdfDocument, page: int, dpi: float) -> QImage:
    """Page ``page`` at ``dpi`` on an opaque white background."""
    points = document.pagePointSize(page)
    size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
    transparent = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(QPointF(0, 0), transparent)
    painter.end()
    return image


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Send every page to ``printer``; returns the number of pages printed."""
    first = document.pagePointSize(0)
    printer.setPageSize(QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point))
    dpi = max(150, printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("printer could not start")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = render_page(document, page, dpi)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)
    finally:
        painter.end()
    return document.pageCount()


def make_printer(name: str = "", pdf_path: str = "") -> QPrinter:
    """The named printer (or the default), or a PDF file when ``pdf_path`` is given (tests, export)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if pdf_path:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(pdf_path)
    elif name:
        info = QPrinterInfo.printerInfo(name)
        if not info.isNull():
            printer.setPrinterName(name)
    printer.setFullPage(True)
    return printer


class PdfPreviewDialog(QDialog):
    """Shows the document zoomed to the window width; Enter prints (``printed`` tells if it did)."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        printer_name: str = "",
        parent: QWidget | None = None,
        pdf_output: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.printer_name = printer_name
        self.pdf_output = pdf_output
        self.printed = False
        self.document, self._buffer = load_document(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setStyleSheet("background: #808080;")
        self.info = QLabel(self)
        self.info.setProperty("data", True)
        pages = self.document.pageCount()
        self.info.setText(
            self.tr("%1 page(s), printer: %2")
            .replace("%1", str(pages))
            .replace("%2", printer_name or self.tr("system default"))
        )
        self.problem = QLabel(self)
        self.problem.setObjectName("printProblem")
        self.problem.setProperty("data", True)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.hide()
        self.pdf = pdf
        self.title = title
        self.outcome = PrintOutcome(False, printer_name, CANCELLED)
        self.saved_path = ""
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(self.tr("Print"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.save_button = buttons.addButton(self.tr("Save as PDF"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("savePdfButton")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_pdf)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.print_now)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        narrow = self.document.pagePointSize(0).width() < 300 if pages else False
        self.resize(460 if narrow else 760, 820)
        self.print_button.setFocus()

    def fit_width(self) -> None:
        if not self.document.pageCount():
            return
        page_px = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72
        available = self.view.viewport().width() - 24
        if page_px > 0 and available > 0:
            self.view.setZoomFactor(min(3.0, available / page_px))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_width()

    def print_now(self) -> None:
        """Print; on any failure stay open with the reason, so the desk can retry or save a PDF."""
        self.outcome = send_to_printer(self.document, self.printer_name, self.pdf_output)
        if self.outcome.printed:
            self.printed = True
            self.accept()
            return
        self.show_problem(self.outcome.message)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def save_pdf(self) -> str:
        self.saved_path = save_as_pdf(self, self.pdf, self.title)
        if self.saved_path:
            self.show_problem(self.tr("Saved as %1 (not counted as printed).").replace("%1", self.saved_path))
        return self.saved_path
