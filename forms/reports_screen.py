"""Finance reports: choose the report and the period, preview the PDF, export CSV or XLSX.

The figures are queried and rendered off the GUI thread (``desktop.worker``, handed in as
``session.worker``) so that the window keeps painting; the same ``session.documents`` glue builds the
CLI's files, so a preview, a print and an export carry the same figures. The second tab is
month close (forms.month_close).

Keys: Ctrl+P preview, Ctrl+E export CSV, Ctrl+Shift+E export XLSX.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.month_close import MonthCloseWidget
from forms.pdf_preview import PdfPreviewDialog
from forms.session import Session, run_in_background
from forms.statistics_view import StatisticsTab
from models import clock, finance

KINDS = ("reconciliation", "settlement", "daily_close", "statistics")
MODES = ("day", "month", "range")
# Which period modes each report allows.
ALLOWED = {
    "reconciliation": MODES,
    "settlement": ("month",),
    "daily_close": ("day",),
    "statistics": ("month", "range"),
}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ReportsScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsScreen")
        self.session = session
        self.op = None  # the running BackgroundOp (tests wait on it)
        self.last_output: Path | None = None

        self.kind = QComboBox(self)
        self.kind.setObjectName("reportKind")
        labels = {
            "reconciliation": self.tr("Reconciliation"),
            "settlement": self.tr("Monthly settlement statement"),
            "daily_close": self.tr("Daily close per operator"),
            "statistics": self.tr("Statistics (charts)"),
        }
        for key in KINDS:
            self.kind.addItem(labels[key], key)
        self.mode = QComboBox(self)
        self.mode.setObjectName("periodMode")
        self._mode_labels = {
            "day": self.tr("One day"),
            "month": self.tr("One month"),
            "range": self.tr("Date range"),
        }
        today = clock.local_today()
        self.first = QDateEdit(_qdate(today.replace(day=1)), self)
        self.last = QDateEdit(_qdate(today), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to_label = QLabel(self.tr("to"), self)
        self.period_label = QLabel(self)
        self.period_label.setObjectName("periodLabel")
        self.period_label.setProperty("data", True)

        period_row = QHBoxLayout()
        period_row.addWidget(self.mode)
        period_row.addWidget(self.first)
        period_row.addWidget(self.to_label)
        period_row.addWidget(self.last)
        period_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("&Report:"), self.kind)
        form.addRow(self.tr("&Period:"), period_row)
        form.addRow(self.tr("Covers:"), self.period_label)
        form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.kind)
        form.itemAt(1, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.mode)

        self.preview_button = QPushButton(self.tr("Preview and print (Ctrl+P)"), self)
        self.preview_button.setObjectName("previewButton")
        self.csv_button = QPushButton(self.tr("Export CSV (Ctrl+E)"), self)
        self.xlsx_button = QPushButton(self.tr("Export XLSX (Ctrl+Shift+E)"), self)
        self.preview_button.clicked.connect(self.preview)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.csv_button, self.xlsx_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setProperty("data", True)
        self.status.setWordWrap(True)

        report_page = QWidget(self)
        page_layout = QVBoxLayout(report_page)
        page_layout.addLayout(form)
        page_layout.addLayout(buttons)
        page_layout.addWidget(self.status)
        page_layout.addStretch(1)
        self.month_close = MonthCloseWidget(session, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(report_page, self.tr("Reports"))
        self.tabs.addTab(self.month_close, self.tr("Month close"))
        self.statistics = StatisticsTab(session, self)
        self.tabs.addTab(self.statistics, self.tr("Statistics"))
        self.tabs.currentChanged.connect(
            lambda index: self.statistics.refresh() if self.tabs.widget(index) is self.statistics else None
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.first.dateChanged.connect(self._update_period_label)
        self.last.dateChanged.connect(self._update_period_label)
        for key, slot in (
            ("Ctrl+P", self.preview),
            ("Ctrl+E", lambda: self.export("csv")),
            ("Ctrl+Shift+E", lambda: self.export("xlsx")),
        ):
            QShortcut(
                QKeySequence(key), self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        for a, b in (
            (self.kind, self.mode),
            (self.mode, self.first),
            (self.first, self.last),
            (self.last, self.preview_button),
            (self.preview_button, self.csv_button),
            (self.csv_button, self.xlsx_button),
        ):
            QWidget.setTabOrder(a, b)
        self._kind_changed()
        self.set_mode("month")

    # --- choosing -----------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def current_mode(self) -> str:
        return self.mode.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(mode))

    def set_period(self, first: dt.date, last: dt.date | None = None) -> None:
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last or first))

    def _kind_changed(self, *_args) -> None:
        previous = self.mode.currentData()
        self.mode.blockSignals(True)
        self.mode.clear()
        for mode in ALLOWED[self.current_kind()]:
            self.mode.addItem(self._mode_labels[mode], mode)
        index = self.mode.findData(previous)
        self.mode.setCurrentIndex(max(index, 0))
        self.mode.blockSignals(False)
        exportable = self.current_kind() != "statistics"
        self.csv_button.setEnabled(exportable)
        self.xlsx_button.setEnabled(exportable)
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        ranged = self.current_mode() == "range"
        self.last.setVisible(ranged)
        self.to_label.setVisible(ranged)
        self.first.setDisplayFormat("yyyy-MM" if self.current_mode() == "month" else "yyyy-MM-dd")
        self._update_period_label()

    def period(self) -> tuple[dt.date, dt.date]:
        """(first, last) local dates the report covers."""
        first = _pydate(self.first.date())
        mode = self.current_mode()
        if mode == "day":
            return first, first
        if mode == "month":
            return finance.month_bounds(clock.month_of(first))
        return first, _pydate(self.last.date())

    def _update_period_label(self, *_args) -> None:
        first, last = self.period()
        text = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
        self.period_label.setText(text)

    # --- building -------------------------------------------------------------------------
    def _data_builder(self) -> Callable[[], object]:
        """A function (run in the worker) returning the report's data object."""
        documents = self.session.documents
        actor = self.session.actor
        kind = self.current_kind()
        first, last = self.period()
        if kind == "reconciliation":
            return lambda: documents.reconciliation_data(actor, first, last)
        if kind == "settlement":
            month = clock.month_of(first)
            return lambda: documents.settlement_data(actor, month, prepared_by=actor.name)
        if kind == "daily_close":
            return lambda: documents.daily_close_data(actor, first)
        raise ValueError(kind)

    def _pdf_builder(self) -> Callable[[], bytes]:
        documents = self.session.documents
        if self.current_kind() == "statistics":
            actor = self.session.actor
            first, last = self.period()
            m1, m2 = clock.month_of(first), clock.month_of(last)
            return lambda: documents.statistics_pdf(actor, m1, m2)
        build = self._data_builder()
        return lambda: documents.render(build(), "pdf")

    def _start(self, work: Callable[[], bytes], done: Callable[[bytes], None]) -> None:
        if self.op is not None and not self.op.done:
            return  # one report at a time
        self.status.setText(self.tr("Working…"))
        run = run_in_background(self.session)

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            messages.show_error(self, exc)

        self.op = run(
            lambda progress: work(),
            on_success=done,
            on_failure=failed,
            parent=self,
            label=self.tr("Preparing the report…"),
        )

    def preview(self) -> None:
        title = self.kind.currentText() + " " + self.period_label.text()
        self._start(self._pdf_builder(), lambda pdf: self._show_pdf(pdf, title))

    def _show_pdf(self, pdf: bytes, title: str) -> None:
        self.status.setText(self.tr("Report ready: %1 bytes").replace("%1", f"{len(pdf):,}"))
        self.show_preview(pdf, title)

    def show_preview(self, pdf: bytes, title: str) -> None:
        """The print preview (tests replace this)."""
        printer = self.session.printers.get("report", "")
        dialog = PdfPreviewDialog(pdf, title, printer, self)
        dialog.exec()
        dialog.deleteLater()

    def ask_save_path(self, fmt: str, suggested: str) -> str:
        """A file name from the save dialog ('' when cancelled; tests replace this)."""
        filters = {"csv": self.tr("CSV files (*.csv)"), "xlsx": self.tr("Excel workbooks (*.xlsx)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), suggested, filters[fmt])
        return path

    def export(self, fmt: str) -> None:
        if self.current_kind() == "statistics":
            return
        first, last = self.period()
        suggested = f"{self.current_kind()}-{first.isoformat()}-{last.isoformat()}.{fmt}"
        path = self.ask_save_path(fmt, suggested)
        if not path:
            return
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        documents = self.session.documents
        build = self._data_builder()
        self._start(lambda: documents.render(build(), fmt), lambda data: self._write(Path(path), data))

    def _write(self, path: Path, data: bytes) -> None:
        from models import files
        from models.errors import InvalidInput

        try:  # whole or not at all; the reason in Chinese (a folder, no permission, disk full…)
            files.write_file(files.output_file(str(path), "报表文件"), data, "报表文件")
        except InvalidInput as exc:
            messages.show_error(self, exc)
            return
        self.last_output = path
        self.status.setText(self.tr("Saved to %1").replace("%1", str(path)))

    def activate(self) -> None:
        self.kind.setFocus()
