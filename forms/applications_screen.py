"""线上申领: the pending online applications, oldest first; import a file, approve or reject.

Approving issues the package through :func:`models.applications.approve` (client matched or
registered, episode opened, eligibility checked by the service) and prints the slip unless
"approve without printing" was chosen. Rejecting asks for the reason. The file import runs off
the GUI thread with a progress bar; a bad file is answered with its row:field list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages, printing
from forms.session import Session, run_in_background
from models import application_file, applications
from models.errors import FfdeskError, InvalidInput


class ApplicationsScreen(QWidget):
    """``count_changed(n)`` tells the window how many applications are pending."""

    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicationsScreen")
        self.session = session
        self.op = None
        self.rows: list[applications.ApplicationView] = []
        self.import_button = QPushButton(self.tr("&Import applications file…"), self)
        self.import_button.setObjectName("importApplications")
        self.import_button.clicked.connect(self.choose_file)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("pendingCount")
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("applicationTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Application no."),
                self.tr("Submitted"),
                self.tr("Name"),
                self.tr("ID number"),
                self.tr("Package"),
                self.tr("Stage data"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.approve_button = QPushButton(self.tr("&Approve and print slip"), self)
        self.approve_button.setObjectName("approvePrint")
        self.approve_button.clicked.connect(lambda: self.approve_selected(print_slip=True))
        self.approve_quiet = QPushButton(self.tr("Approve &without printing"), self)
        self.approve_quiet.setObjectName("approveNoPrint")
        self.approve_quiet.clicked.connect(lambda: self.approve_selected(print_slip=False))
        self.reject_button = QPushButton(self.tr("&Reject…"), self)
        self.reject_button.setObjectName("rejectApplication")
        self.reject_button.clicked.connect(self.reject_selected)
        self.message = QLabel(self)
        self.message.setObjectName("applicationMessage")
        self.message.setWordWrap(True)
        self.message.setProperty("data", True)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.count_label)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.approve_quiet)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def activate(self) -> None:
        self.refresh()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def refresh(self) -> None:
        self.rows = applications.list_applications(self.session.actor)
        self.table.setRowCount(len(self.rows))
        for r, app in enumerate(self.rows):
            values = [
                app.application_no,
                app.submitted_at,
                app.name_masked,
                app.id_number_masked,
                app.package_name,
                app.stage_text,
            ]
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        count = applications.pending_count()
        self.count_label.setText(self.tr("%1 applications waiting").replace("%1", str(count)))
        if self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()
        self.count_changed.emit(count)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.approve_button, self.approve_quiet, self.reject_button):
            button.setEnabled(chosen)

    def selected(self) -> applications.ApplicationView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # --- import -------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = self.ask_file()
        if path:
            self.import_path(path)

    def ask_file(self) -> str:
        """The file to import (tests replace this)."""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import applications"), "", self.tr("Applications (*.csv *.xlsx *.json)")
        )
        return name

    def import_path(self, text: str) -> None:
        path = Path(text)
        try:
            fmt = application_file.format_of(path)
            data = path.read_bytes()
        except InvalidInput as exc:
            self.say(exc.message)
            return
        except OSError as exc:
            self.say(self.tr("Cannot read %1: %2").replace("%1", str(path)).replace("%2", exc.strerror or ""))
            return
        actor = self.session.actor

        def work(progress) -> applications.ImportResult:
            report = progress.update if progress is not None else None
            return applications.import_file(actor, data, fmt, path.name, report)

        def done(result: applications.ImportResult) -> None:
            self.say(
                self.tr("%1 applications in the file: %2 imported, %3 already imported (unchanged).")
                .replace("%1", str(result.file_rows))
                .replace("%2", str(result.imported))
                .replace("%3", str(result.unchanged))
            )
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FfdeskError):
                self.say(exc.message)
            else:
                messages.show_error(self, exc)

        self.op = run_in_background(self.session)(
            work, on_success=done, on_failure=failed, parent=self, label=self.tr("Importing applications…")
        )

    # --- decisions ----------------------------------------------------------------------
    def approve_selected(self, print_slip: bool = True) -> None:
        app = self.selected()
        if app is None:
            return
        try:
            decision = applications.approve(self.session.actor, app.id)
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.say(decision.message)
        self.refresh()
        if print_slip and decision.issuance is not None and decision.issuance.created:
            self.print_slip(decision.issuance.id)

    def print_slip(self, issuance_id: int) -> bool:
        documents = self.session.documents
        if documents is None:
            return False
        try:
            pdf = documents.slip_pdf(
                self.session.actor, issuance_id, printing.paper_for(self.session, "slip")
            )
        except FfdeskError as exc:
            self.say(exc.message)
            return False
        return self.preview(pdf, self.tr("Voucher slip"))

    def preview(self, pdf: bytes, title: str) -> bool:
        """Straight to the slip printer when this desk has one set; else the preview (tests replace this)."""
        return printing.print_or_preview(self, self.session, "slip", pdf, title)

    def ask_reason(self) -> tuple[str, bool]:
        """The reason for rejecting (tests replace this)."""
        return QInputDialog.getText(self, self.tr("Reject application"), self.tr("Reason for rejecting:"))

    def reject_selected(self) -> None:
        app = self.selected()
        if app is None:
            return
        reason, ok = self.ask_reason()
        if not ok:
            return
        try:
            decision = applications.reject(self.session.actor, app.id, reason)
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.say(decision.message)
        self.refresh()
