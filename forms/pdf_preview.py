"""Print preview of PDF bytes (QtPdf) and printing them, page images painted on white.

Why by hand: QPdfView's fit modes showed the narrow 80 mm roll page blank, so the zoom is set
from the page width; ``QPdfDocument.render`` gives a transparent image, so pages are painted
on a white background before they go to the printer.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


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
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(self.tr("Print"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.print_now)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
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
        printer = make_printer(self.printer_name, self.pdf_output)
        print_document(self.document, printer)
        self.printed = True
        self.accept()
