"""Certificate printer calibration: offsets in millimetres per printer, checked with a test grid.

Every printer feeds the pre-printed form slightly differently. The desk prints the grid page
(rulers, the form's outline, a cross at each field) with the current offsets, lays it over a blank
form, measures how far off it is, adjusts dx / dy and prints again; Save stores the offsets for
that printer (``models.certificates.set_calibration``), used by every certificate printed on it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.session import Session
from models import certificates
from models.errors import FfdeskError
from reports.certificate import render_calibration_grid


def offset_box(parent: QWidget) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(-certificates.MAX_OFFSET_MM, certificates.MAX_OFFSET_MM)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" mm")
    return box


class CalibrationDialog(QDialog):
    def __init__(self, session: Session, printer: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calibrationDialog")
        self.setWindowTitle(self.tr("Certificate printer calibration"))
        self.session = session
        self.saved: certificates.Calibration | None = None
        # a hook tests replace: show the PDF (preview + print); returns whether it was printed
        self.preview: Callable[[bytes, str], bool] = self._preview
        self.printer = QComboBox(self)
        self.printer.setObjectName("printerName")
        self.printer.setEditable(True)
        names = list(QPrinterInfo.availablePrinterNames())
        default = printer or session.printers.get("certificate", "")
        if default and default not in names:
            names.insert(0, default)
        self.printer.addItems(names)
        self.printer.setCurrentText(default or (names[0] if names else ""))
        self.printer.currentTextChanged.connect(self.load)
        self.dx = offset_box(self)
        self.dx.setObjectName("dx")
        self.dy = offset_box(self)
        self.dy.setObjectName("dy")
        form = QFormLayout()
        form.addRow(self.tr("&Printer:"), self.printer)
        form.addRow(self.tr("&Horizontal offset (right +):"), self.dx)
        form.addRow(self.tr("&Vertical offset (down +):"), self.dy)
        help_text = QLabel(
            self.tr(
                "Print the test grid, lay it over a blank form and measure how far the blue outline "
                "is off; adjust the offsets, print again, then save."
            ),
            self,
        )
        help_text.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("calibrationMessage")
        self.message.setProperty("data", True)
        self.message.setWordWrap(True)
        self.grid_button = QPushButton(self.tr("Print &test grid…"), self)
        self.grid_button.setObjectName("gridButton")
        self.grid_button.clicked.connect(self.print_grid)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.grid_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.load()
        self.dx.setFocus()

    def printer_name(self) -> str:
        return self.printer.currentText().strip()

    def load(self, *_args) -> None:
        """Show the offsets saved for the printer chosen (zero for a new printer)."""
        saved = certificates.get_calibration(self.printer_name()) if self.printer_name() else None
        saved = saved or certificates.Calibration()
        self.dx.setValue(saved.dx_mm)
        self.dy.setValue(saved.dy_mm)

    def print_grid(self) -> bytes | None:
        try:
            offsets = certificates.check_offsets(self.dx.value(), self.dy.value())
            pdf = render_calibration_grid(
                dx_mm=offsets.dx_mm, dy_mm=offsets.dy_mm, printer=self.printer_name()
            )
        except FfdeskError as exc:
            self.message.setText(exc.message)
            return None
        self.preview(pdf, self.tr("Calibration test grid"))
        return pdf

    def save(self) -> None:
        try:
            self.saved = certificates.set_calibration(
                self.session.actor, self.printer_name(), self.dx.value(), self.dy.value()
            )
        except FfdeskError as exc:
            self.message.setText(exc.message)
            return
        self.accept()

    def _preview(self, pdf: bytes, title: str) -> bool:
        from forms.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(pdf, title, self.printer_name(), self)
        dialog.exec()
        return dialog.printed
