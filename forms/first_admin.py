"""First start on a database without any staff: create the first administrator and sign in.

Without it a fresh ``ffdesk --db postgresql://…`` would show a sign-in that nobody can pass.
``models.staff.create_first_admin`` refuses once an administrator exists, so two desks starting
on the same new database at once cannot both create one.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms.login import _error_label
from models import staff
from models.errors import FfdeskError
from models.permissions import Actor


class FirstAdminDialog(QDialog):
    def __init__(self, service_point: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdminDialog")
        self.setWindowTitle(self.tr("Create the first administrator"))
        self.service_point = service_point
        self.actor: Actor | None = None
        notice = QLabel(
            self.tr(
                "This database has no staff yet. Create the administrator account: the administrator "
                "then adds the other staff and their roles."
            ),
            self,
        )
        notice.setWordWrap(True)
        self.username = QLineEdit("admin", self)
        self.username.setObjectName("adminUsername")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("adminFullName")
        self.password = QLineEdit(self)
        self.password.setObjectName("adminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("adminRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        rules = QLabel(
            self.tr("At least 8 characters, with three of: lower case, upper case, digits, symbols."), self
        )
        rules.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Full name:"), self.full_name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        form.addRow("", rules)
        self.error = _error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("Create and sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("createAdminButton")
        self.ok_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.full_name.setFocus()

    def submit(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.error.setText(self.tr("Enter a username."))
            self.username.setFocus()
            return
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            staff.create_first_admin(username, self.password.text(), self.full_name.text().strip())
            self.actor = staff.authenticate(username, self.password.text(), service_point=self.service_point)
        except FfdeskError as exc:
            self.error.setText(exc.message)
            self.password.setFocus()
            return
        self.accept()
