"""Birth certificate screen, void tab: void a form with the approving supervisor's user name and
password; mark voided forms destroyed with date and witness.

Assembled with the other tabs in forms/certificates.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.certificate_widgets import ERROR_STYLE, date_edit, fill_table, message_label, read_only_table
from forms.session import Session
from models import certificates, clock, staff
from models.errors import FfdeskError


class VoidTab(QWidget):
    """Void a form with a supervisor's approval (user name + password); destroy voided forms."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateVoidTab")
        self.session = session
        void = QGroupBox(self.tr("Void a form"), self)
        vf = QFormLayout(void)
        self.void_serial = QLineEdit(self)
        self.void_serial.setObjectName("voidSerial")
        self.void_reason = QLineEdit(self)
        self.void_reason.setObjectName("voidReason")
        self.void_reason.setPlaceholderText(self.tr("e.g. misaligned print, smudged"))
        self.void_reason.setMinimumWidth(220)
        self.approver = QLineEdit(self)
        self.approver.setObjectName("approver")
        self.approver_password = QLineEdit(self)
        self.approver_password.setObjectName("approverPassword")
        self.approver_password.setEchoMode(QLineEdit.EchoMode.Password)
        void_button = QPushButton(self.tr("Void"), self)
        void_button.setObjectName("voidButton")
        void_button.clicked.connect(self.void)
        self.approver_password.returnPressed.connect(self.void)
        vf.addRow(self.tr("Serial:"), self.void_serial)
        vf.addRow(self.tr("Reason:"), self.void_reason)
        vf.addRow(self.tr("Approving supervisor:"), self.approver)
        vf.addRow(self.tr("Supervisor's password:"), self.approver_password)
        vf.addRow("", void_button)

        destroy = QGroupBox(self.tr("Destroy a voided form"), self)
        df = QFormLayout(destroy)
        self.destroy_serial = QLineEdit(self)
        self.destroy_serial.setObjectName("destroySerial")
        self.destroyed_on = date_edit(self, clock.local_today())
        self.witness = QLineEdit(self)
        self.witness.setObjectName("witness")
        destroy_button = QPushButton(self.tr("Mark destroyed"), self)
        destroy_button.setObjectName("destroyButton")
        destroy_button.clicked.connect(self.destroy)
        df.addRow(self.tr("Serial:"), self.destroy_serial)
        df.addRow(self.tr("Destroyed on:"), self.destroyed_on)
        df.addRow(self.tr("Witness:"), self.witness)
        df.addRow("", destroy_button)
        destroy.setEnabled(session.can("certificate.stock"))

        self.table = read_only_table(
            self,
            [
                self.tr("Serial"),
                self.tr("State"),
                self.tr("Reason"),
                self.tr("Approved by"),
                self.tr("Destroyed"),
            ],
        )
        self.table.setObjectName("voidRegister")
        self.table.itemActivated.connect(
            lambda item: self.destroy_serial.setText(self.table.item(item.row(), 0).text())
        )
        self.status = message_label(self, "voidStatus")
        left = QVBoxLayout()
        left.addWidget(void)
        left.addWidget(destroy)
        left.addStretch(1)
        register = QGroupBox(self.tr("Void register"), self)
        QVBoxLayout(register).addWidget(self.table)
        row = QHBoxLayout()
        row.addLayout(left)
        row.addWidget(register, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        self.refresh()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def refresh(self) -> None:
        rows = []
        for state in (certificates.VOIDED, certificates.DESTROYED):
            for form in certificates.list_forms(state):
                destroyed = f"{form.destroyed_on or ''} {form.destroy_witness or ''}".strip()
                rows.append(
                    [
                        form.serial,
                        form.state_label,
                        form.void_reason or "",
                        form.void_approved_by or "",
                        destroyed,
                    ]
                )
        fill_table(self.table, rows)

    def void(self) -> certificates.FormView | None:
        actor = self.session.actor
        username = self.approver.text().strip()
        password = self.approver_password.text()
        self.approver_password.clear()
        try:
            if not username or username == actor.staff.username:
                approver = staff.reauthenticate(actor, password)
            else:
                approver = staff.authenticate(username, password)
            view = certificates.void_form(actor, self.void_serial.text(), self.void_reason.text(), approver)
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        self._say(
            self.tr("Form %1 voided (approved by %2).")
            .replace("%1", view.serial)
            .replace("%2", view.void_approved_by or "")
        )
        self.destroy_serial.setText(view.serial)
        self.refresh()
        return view

    def destroy(self) -> certificates.FormView | None:
        try:
            view = certificates.destroy_form(
                self.session.actor,
                self.destroy_serial.text(),
                self.destroyed_on.date().toPython(),
                self.witness.text(),
            )
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        self._say(self.tr("Form %1 marked destroyed.").replace("%1", view.serial))
        self.refresh()
        return view
