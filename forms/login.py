"""Sign-in, forced password change, and the idle-lock unlock dialog.

Errors show inline (a red line under the fields) rather than in a message box: the person is
at the keyboard and simply types again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models import catalog, staff
from models.errors import FfdeskError
from models.permissions import Actor


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("errorLabel")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.setProperty("data", True)  # shows service messages (already Chinese)
    return label


class LoginDialog(QDialog):
    """Username and password; then, if an administrator reset the password, a new one."""

    def __init__(self, service_point: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in"))
        self.service_point = service_point
        self.actor: Actor | None = None
        self._old_password = ""

        self.pages = QStackedWidget(self)
        # page 0: sign in
        sign_in = QWidget(self)
        self.heading = QLabel(self.tr("Fertility-friendly service desk"), sign_in)
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.heading.setFont(font)
        self.username = QLineEdit(sign_in)
        self.username.setObjectName("username")
        self.password = QLineEdit(sign_in)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(sign_in)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        self.pages.addWidget(sign_in)
        # page 1: forced password change
        change = QWidget(self)
        notice = QLabel(self.tr("Your password was set by an administrator. Choose a new one."), change)
        notice.setWordWrap(True)
        self.new_password = QLineEdit(change)
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password = QLineEdit(change)
        self.repeat_password.setObjectName("repeatPassword")
        self.repeat_password.setEchoMode(QLineEdit.EchoMode.Password)
        change_form = QFormLayout()
        change_form.addRow(self.tr("&New password:"), self.new_password)
        change_form.addRow(self.tr("&Repeat:"), self.repeat_password)
        change_layout = QVBoxLayout(change)
        change_layout.addWidget(notice)
        change_layout.addLayout(change_form)
        self.pages.addWidget(change)
        # page 2: a nurse at a desk without a service point chooses where she redeems
        where = QWidget(self)
        where_notice = QLabel(
            self.tr("This desk has no service point yet. Where do you redeem vouchers today?"), where
        )
        where_notice.setWordWrap(True)
        where_notice.setMinimumWidth(440)
        self.point_box = QComboBox(where)
        self.point_box.setObjectName("servicePointBox")
        where_form = QFormLayout()
        where_form.addRow(self.tr("&Service point:"), self.point_box)
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(where_notice)
        where_layout.addLayout(where_form)
        self.pages.addWidget(where)
        self.chosen_point: str | None = None  # the service point chosen here (the desk keeps it)
        self._pending: Actor | None = None

        self.error = _error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("signInButton")
        self.ok_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        main = QVBoxLayout(self)
        main.addWidget(self.pages)
        main.addWidget(self.error)
        main.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.username.setFocus()

    def submit(self) -> None:
        page = self.pages.currentIndex()
        if page == 0:
            self._sign_in()
        elif page == 1:
            self._change()
        else:
            self._choose_point()

    def _sign_in(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.error.setText(self.tr("Enter your username."))
            self.username.setFocus()
            return
        try:
            actor = staff.authenticate(username, self.password.text(), service_point=self.service_point)
        except FfdeskError as exc:
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        if actor.must_change_password:
            self._old_password = self.password.text()
            self.password.clear()
            self.error.clear()
            self.pages.setCurrentIndex(1)
            self.ok_button.setText(self.tr("Change password"))
            self.new_password.setFocus()
            return
        self._finish(actor)

    def _finish(self, actor: Actor) -> None:
        """Signed in; a nurse at a desk without a service point chooses one before she starts."""
        if self.service_point is None and "nurse" in actor.roles:
            points = catalog.service_points()
            if points:
                self._pending = actor
                self.point_box.clear()
                for point in points:
                    self.point_box.addItem(point.name, point.code)
                self.error.clear()
                self.pages.setCurrentIndex(2)
                self.ok_button.setText(self.tr("Start"))
                self.point_box.setFocus()
                return
        self.actor = actor
        self.accept()

    def _choose_point(self) -> None:
        code = self.point_box.currentData()
        if self._pending is None or not code:
            self.error.setText(self.tr("Choose a service point."))
            return
        self.chosen_point = code
        self.actor = staff.actor_for(self._pending.staff, code)
        self.accept()

    def _change(self) -> None:
        if self.new_password.text() != self.repeat_password.text():
            self.error.setText(self.tr("The two new passwords differ."))
            self.repeat_password.clear()
            self.repeat_password.setFocus()
            return
        try:
            actor = staff.change_password(
                self.username.text().strip(), self._old_password, self.new_password.text()
            )
        except FfdeskError as exc:
            self.error.setText(exc.message)
            self.new_password.setFocus()
            return
        self._old_password = ""
        if self.service_point is None:
            self._finish(actor)
            return
        self.actor = staff.actor_for(actor.staff, self.service_point)
        self.accept()


class UnlockDialog(QDialog):
    """Idle lock: the same person types the password again; the screen behind is kept.

    Accepted: unlocked (``actor`` is refreshed). Rejected: "switch user" was chosen.
    Esc does nothing — a locked desk must not open by a key press.
    """

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle(self.tr("Screen locked"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.actor = actor
        text = self.tr("The desk was locked. %1, enter your password to continue.").replace("%1", actor.name)
        self.message = QLabel(text, self)
        self.message.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label(self)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("Switch user"), self)
        self.switch_button.setObjectName("switchButton")
        self.switch_button.setAutoDefault(False)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.switch_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.clicked.connect(self.submit)
        self.switch_button.clicked.connect(self._switch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        form = QFormLayout()
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.password.setFocus()

    def submit(self) -> None:
        try:
            self.actor = staff.reauthenticate(self.actor, self.password.text())
        except FfdeskError as exc:
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def _switch(self) -> None:
        QDialog.reject(self)

    def reject(self) -> None:  # Esc and the window manager's close: stay locked
        self.password.setFocus()
