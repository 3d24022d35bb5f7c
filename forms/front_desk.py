"""Front desk: find or register a client, open an episode, check packages, issue, print the slip.

Keyboard path for a returning client: type or scan the ID number, Enter (the client opens, the
first eligible package of the open episode is selected), Enter (issue), Enter (print in the
preview) — three keys after the ID number. Ctrl+N registers, Ctrl+P re-prints the selected
issuance (with a reason), Ctrl+D voids one of its unused vouchers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages, printing
from forms.actions import run_action, run_read, voided_by_me
from forms.scanner_input import scanner_field
from forms.session import Session
from models import clients, clock, eligibility, episodes, issuance, vouchers
from models.errors import FfdeskError
from models.identity import ID_TYPE_LABELS

ELIGIBLE_COLOUR = "#1b7f3b"
NOT_ELIGIBLE_COLOUR = "#8a8a8a"


class RegisterDialog(QDialog):
    """A new client; a resident ID fills birth date and sex in the service."""

    def __init__(self, session: Session, id_number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerDialog")
        self.setWindowTitle(self.tr("Register a client"))
        self.session = session
        self.result_view: clients.ClientView | None = None
        self.id_type = QComboBox(self)
        for code, label in ID_TYPE_LABELS.items():
            if code != "none":
                self.id_type.addItem(label, code)
        self.id_number = scanner_field(QLineEdit(id_number, self))  # the ID card reader types here
        self.id_number.setObjectName("idNumber")
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.phone = scanner_field(QLineEdit(self), digits_only=True)
        self.phone.setObjectName("phone")
        self.residency = QComboBox(self)
        for code, label in clients.RESIDENCY_LABELS.items():
            self.residency.addItem(label, code)
        self.address = QLineEdit(self)
        form = QFormLayout()
        form.addRow(self.tr("ID &type:"), self.id_type)
        form.addRow(self.tr("ID &number:"), self.id_number)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Mobile:"), self.phone)
        form.addRow(self.tr("&Residency:"), self.residency)
        form.addRow(self.tr("&Address:"), self.address)
        self.error = QLabel(self)
        self.error.setProperty("data", True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        save = buttons.addButton(self.tr("Register"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        (self.name if id_number else self.id_number).setFocus()

    def save(self) -> None:
        try:
            result = clients.register_client(
                self.session.actor,
                id_type=self.id_type.currentData(),
                id_number=self.id_number.text(),
                name=self.name.text(),
                phone=self.phone.text(),
                address=self.address.text(),
                residency=self.residency.currentData(),
            )
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return
        self.result_view = result.client
        self.accept()


class FrontDeskScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frontDeskScreen")
        self.session = session
        self.client: clients.ClientView | None = None
        self.episode_views: list[episodes.EpisodeView] = []
        self.results: list[eligibility.EligibilityResult] = []
        self.issuances: list[issuance.IssuanceView] = []
        # hooks tests replace: the preview dialog and the reason prompt
        self.preview: Callable[[bytes, str], object] = self._preview  # truthy: printed
        self.ask_text: Callable[[str, str], tuple[str, bool]] = self._ask_text

        self.search = QLineEdit(self)
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText(
            self.tr("ID number, mobile, name or pinyin initials — Enter to search")
        )
        self.search.returnPressed.connect(self.do_search)
        # the ID card reader and the scanner type here: past the input method (names by pinyin)
        scanner_field(self.search)
        self.register_button = QPushButton(self.tr("Register (Ctrl+N)"), self)
        self.register_button.clicked.connect(self.register)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.register_button)

        self.found = QListWidget(self)
        self.found.setObjectName("foundList")
        self.found.setMaximumHeight(110)
        self.found.itemActivated.connect(lambda item: self.open_client(item.data(Qt.ItemDataRole.UserRole)))
        self.found.hide()

        self.header = QLabel(self)
        self.header.setObjectName("clientHeader")
        self.header.setProperty("data", True)
        font = self.header.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.header.setFont(font)

        self.episode_box = QComboBox(self)
        self.episode_box.setObjectName("episodeBox")
        self.episode_box.currentIndexChanged.connect(self._episode_changed)
        self.new_pregnancy = QPushButton(self.tr("New pregnancy episode…"), self)
        self.new_pregnancy.clicked.connect(self.open_pregnancy)
        episode_row = QHBoxLayout()
        episode_row.addWidget(QLabel(self.tr("Episode:"), self))
        episode_row.addWidget(self.episode_box, 1)
        episode_row.addWidget(self.new_pregnancy)
        from forms.episode_dialogs import EpisodeActions  # pre-pregnancy, child, newborn, delivery

        self.episode_actions = EpisodeActions(self)
        episode_row.addWidget(self.episode_actions.button)

        self.packages = QTableWidget(0, 3, self)
        self.packages.setObjectName("packageTable")
        self.packages.setHorizontalHeaderLabels(
            [self.tr("Package"), self.tr("Eligible"), self.tr("Reason / rule")]
        )
        self._table_setup(self.packages)
        self.packages.installEventFilter(self)
        self.issue_button = QPushButton(self.tr("Issue and print (Enter)"), self)
        self.issue_button.setObjectName("issueButton")
        self.issue_button.clicked.connect(self.issue_selected)
        package_box = QGroupBox(self.tr("Packages"), self)
        package_layout = QVBoxLayout(package_box)
        package_layout.addWidget(self.packages)
        package_layout.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignRight)

        self.issued = QTableWidget(0, 4, self)
        self.issued.setObjectName("issuedTable")
        self.issued.setHorizontalHeaderLabels(
            [self.tr("Slip"), self.tr("Package"), self.tr("Issued"), self.tr("Vouchers")]
        )
        self._table_setup(self.issued)
        self.reprint_button = QPushButton(self.tr("Re-print (Ctrl+P)"), self)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.void_button = QPushButton(self.tr("Void a voucher (Ctrl+D)"), self)
        self.void_button.clicked.connect(self.void_selected)
        issued_box = QGroupBox(self.tr("Issued"), self)
        issued_layout = QVBoxLayout(issued_box)
        issued_layout.addWidget(self.issued)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reprint_button)
        row.addWidget(self.void_button)
        issued_layout.addLayout(row)

        self.status = QLabel(self)
        self.status.setObjectName("statusLine")
        self.status.setProperty("data", True)
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addWidget(self.header)
        layout.addLayout(episode_row)
        layout.addWidget(package_box, 3)
        layout.addWidget(issued_box, 2)
        layout.addWidget(self.status)
        for key, slot in (
            ("Ctrl+N", self.register),
            ("Ctrl+P", self.reprint_selected),
            ("Ctrl+D", self.void_selected),
            ("Ctrl+F", self.activate),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_client_widgets(False)

    @staticmethod
    def _table_setup(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def activate(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.packages
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.issue_selected()
            return True
        return super().eventFilter(watched, event)

    def _set_client_widgets(self, enabled: bool) -> None:
        for w in (
            self.episode_box,
            self.new_pregnancy,
            self.episode_actions.button,
            self.packages,
            self.issue_button,
            self.issued,
            self.reprint_button,
            self.void_button,
        ):
            w.setEnabled(enabled)

    def say(self, text: str) -> None:
        self.status.setText(text)

    # --- search and register ------------------------------------------------------------
    def clear_client(self) -> None:
        """Nobody on screen: the previous client's name, packages and actions all go."""
        self.client = None
        self.episode_views = []
        self.results = []
        self.issuances = []
        self.header.clear()
        self.episode_box.blockSignals(True)
        self.episode_box.clear()
        self.episode_box.blockSignals(False)
        self.packages.setRowCount(0)
        self.issued.setRowCount(0)
        self._set_client_widgets(False)

    def do_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self.clear_client()  # whatever the search finds, the previous client is gone
        self.found.clear()
        self.found.hide()
        try:
            found = run_read(lambda: clients.find_clients(self.session.actor, text))
        except FfdeskError as exc:
            self.say(exc.message)
            return
        if len(found) == 1:
            self.open_client(found[0].id)
            return
        if not found:
            self.say(self.tr("Nobody found. Ctrl+N registers a new client."))
            return
        for view in found:
            item = QListWidgetItem(f"{view.name_masked}　{view.id_number_masked}　{view.phone_masked}")
            item.setData(Qt.ItemDataRole.UserRole, view.id)
            self.found.addItem(item)
        self.found.show()
        self.found.setCurrentRow(0)
        self.found.setFocus()
        self.say(
            self.tr("%1 clients found: choose one with the arrow keys and Enter.").replace(
                "%1", str(len(found))
            )
        )

    def register(self) -> None:
        text = self.search.text().strip()
        dialog = RegisterDialog(self.session, text if any(c.isdigit() for c in text) else "", self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_view is not None:
            self.open_client(dialog.result_view.id)

    # --- client page ------------------------------------------------------------------------
    def open_client(self, client_id: int) -> None:
        actor = self.session.actor
        try:
            self.client, self.episode_views = run_read(
                lambda: (clients.get_client(actor, client_id), episodes.episodes_of(actor, client_id))
            )
        except FfdeskError as exc:
            self.clear_client()
            messages.show_error(self, exc)
            return
        c = self.client
        age = "" if c.age_years is None else self.tr("%1 years").replace("%1", str(c.age_years))
        self.header.setText(
            f"{c.name_masked}　{c.sex_label}　{age}　{c.id_number_masked}　{c.phone_masked}　{c.residency_label}"
        )
        self._set_client_widgets(True)
        self.found.hide()
        self.episode_box.blockSignals(True)
        self.episode_box.clear()
        for ep in self.episode_views:
            detail = ep.gestation_label or ep.age_label or ""
            self.episode_box.addItem(f"{ep.kind_label}（{ep.status_label}）{detail}", ep.id)
        self.episode_box.blockSignals(False)
        open_index = next((i for i, ep in enumerate(self.episode_views) if ep.status == "open"), 0)
        self.episode_box.setCurrentIndex(open_index if self.episode_views else -1)
        self._episode_changed()
        if not self.episode_views:
            self.say(self.tr("No episode yet: open a pregnancy episode to issue packages."))
            self.new_pregnancy.setFocus()

    def current_episode_id(self) -> int | None:
        return self.episode_box.currentData()

    def _episode_changed(self, *_args) -> None:
        """Another client or episode chosen: a new action, so the hint replaces what was said."""
        self.refresh_packages()
        self.refresh_issued()
        if any(res.eligible for res in self.results):
            self.say(self.tr("Enter issues the selected package and prints its slip."))

    def refresh_packages(self) -> None:
        self.packages.setRowCount(0)
        episode_id = self.current_episode_id()
        if episode_id is None:
            self.results = []
            return
        self.results = eligibility.check_eligibility(self.session.actor, episode_id)
        self.packages.setRowCount(len(self.results))
        first_eligible = -1
        for row, res in enumerate(self.results):
            yes = self.tr("Eligible") if res.eligible else self.tr("Not eligible")
            reason = "；".join(res.reasons or [res.window_text, *res.notes])
            cells = [QTableWidgetItem(res.package_name), QTableWidgetItem(yes), QTableWidgetItem(reason)]
            cells[1].setForeground(Qt.GlobalColor.darkGreen if res.eligible else Qt.GlobalColor.gray)
            for col, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, res.package_code)
                self.packages.setItem(row, col, cell)
            if res.eligible and first_eligible < 0:
                first_eligible = row
        if first_eligible >= 0:
            self.packages.selectRow(first_eligible)
            self.packages.setFocus()

    def refresh_issued(self) -> None:
        self.issued.setRowCount(0)
        episode_id = self.current_episode_id()
        if episode_id is None:
            self.issuances = []
            return
        self.issuances = issuance.issuances_of_episode(self.session.actor, episode_id)
        self.issued.setRowCount(len(self.issuances))
        for row, view in enumerate(self.issuances):
            states: dict[str, int] = {}
            for v in view.vouchers:
                states[v.state_label] = states.get(v.state_label, 0) + 1
            summary = "、".join(f"{k} {n}" for k, n in states.items())
            slip = view.slip_no if view.print_count else view.slip_no + self.tr(" (not printed)")
            for col, text in enumerate([slip, view.package_name, view.issued_at, summary]):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, view.id)
                self.issued.setItem(row, col, cell)

    # --- actions ------------------------------------------------------------------------------
    def open_pregnancy(self) -> None:
        """The pregnancy dialog: the last menstrual period is empty until the desk types it."""
        if self.client is None:
            return
        from forms.episode_dialogs import PregnancyDialog

        dialog = PregnancyDialog(self.session, self.client, self)
        if self.episode_actions.run(dialog) and dialog.result_view is not None:
            self.open_client(self.client.id)

    def open_pregnancy_on(self, lmp: dt.date) -> None:
        try:
            episodes.open_pregnancy(self.session.actor, self.client.id, lmp)
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.open_client(self.client.id)

    def issue_selected(self) -> None:
        row = self.packages.currentRow()
        episode_id = self.current_episode_id()
        if self.client is None or not 0 <= row < len(self.results) or episode_id is None:
            return
        res = self.results[row]
        if not res.eligible:
            self.say("；".join(res.reasons) or self.tr("Not eligible"))
            return
        try:
            view = run_action(  # issuance is idempotent: a re-run returns the existing issuance
                self,
                lambda: issuance.issue_package(self.session.actor, episode_id, res.package_code),
                idempotent=True,
            )
        except FfdeskError as exc:
            self.say(exc.message)
            return
        issued_text = (
            self.tr("Issued %1: slip %2, %3 vouchers worth %4.")
            .replace("%1", view.package_name)
            .replace("%2", view.slip_no)
            .replace("%3", str(len(view.vouchers)))
            .replace("%4", view.total_value_text)
        )
        self.refresh_packages()
        self.refresh_issued()
        if self.print_slip(view.id):
            self.say(issued_text)
        else:
            self.say(issued_text + "\n" + self.status.text())

    def print_slip(self, issuance_id: int, reason: str = "") -> bool:
        """Print the slip; it counts as printed (and the next one as a reprint) only when the
        printer accepted it. Otherwise the status line says why and how to print it later."""
        documents = self.session.documents
        if documents is None:
            return False
        actor = self.session.actor
        try:
            pdf = documents.slip_pdf_to_print(
                actor, issuance_id, printing.paper_for(self.session, "slip"), reason
            )
        except FfdeskError as exc:
            self.say(exc.message)
            return False
        outcome = self.preview(pdf, self.tr("Voucher slip"))
        if outcome:
            try:
                run_action(self, lambda: issuance.record_slip_print(actor, issuance_id, reason))
            except FfdeskError as exc:
                self.say(exc.message)
        else:
            why = getattr(outcome, "message", "") or self.tr("Printing was cancelled.")
            self.say(
                self.tr("The slip was NOT printed. %1 Ctrl+P prints it (no reason needed).").replace(
                    "%1", why
                )
            )
        self.refresh_issued()
        self.search.setFocus()
        self.search.selectAll()
        return bool(outcome)

    def _preview(self, pdf: bytes, title: str) -> printing.PrintOutcome:
        """Straight to the slip printer when this desk has one set; else the preview."""
        return printing.print_or_preview(self, self.session, "slip", pdf, title)

    def _ask_text(self, title: str, label: str) -> tuple[str, bool]:
        return QInputDialog.getText(self, title, label)

    def _selected_issuance(self) -> issuance.IssuanceView | None:
        if self.client is None:
            return None
        row = self.issued.currentRow()
        if row < 0 and self.issued.rowCount() == 1:
            row = 0
        return self.issuances[row] if 0 <= row < len(self.issuances) else None

    def reprint_selected(self) -> None:
        view = self._selected_issuance()
        if view is None:
            return
        reason = ""
        if view.print_count > 0:
            reason, ok = self.ask_text(self.tr("Re-print slip"), self.tr("Reason for the re-print:"))
            if not ok:
                return
        self.print_slip(view.id, reason)

    def void_selected(self) -> None:
        view = self._selected_issuance()
        if view is None:
            return
        unused = [v for v in view.vouchers if v.state == "issued"]
        if not unused:
            self.say(self.tr("This slip has no unused voucher left."))
            return
        names = [f"{v.item_name}　{v.code_display}" for v in unused]
        choice, ok = (
            QInputDialog.getItem(self, self.tr("Void a voucher"), self.tr("Voucher:"), names, 0, False)
            if self.ask_text is self._ask_text
            else (names[0], True)
        )
        if not ok:
            return
        voucher = unused[names.index(choice)]
        reason, ok = self.ask_text(self.tr("Void a voucher"), self.tr("Reason:"))
        if not ok:
            return
        try:
            actor = self.session.actor
            run_action(
                self,
                lambda: vouchers.void_voucher(actor, voucher.code, reason),
                check_done=voided_by_me(actor, voucher.code, reason),
            )
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.say(self.tr("Voided %1.").replace("%1", voucher.item_name))
        self.refresh_issued()


def _today() -> dt.date:
    return clock.local_today()
