"""Staff and roles (administrator): list, add with roles, change roles, disable/enable,
reset a password (a temporary one shown once, to be changed at first sign-in), unlock.

Keys: Ctrl+N add, Ctrl+R roles, Ctrl+D disable, Ctrl+Shift+P reset password, F5 reload.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.session import Session
from models import clock, staff
from models.errors import FfdeskError
from models.permissions import ROLE_LABELS
from models.staff import StaffView


class StaffDialog(QDialog):
    """User name, full name and roles; for an existing account only the roles can change."""

    def __init__(self, parent: QWidget | None = None, existing: StaffView | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle(self.tr("Change roles") if existing else self.tr("Add staff member"))
        self.username = QLineEdit(self)
        self.full_name = QLineEdit(self)
        self.roles: dict[str, QCheckBox] = {}
        roles_box = QWidget(self)
        roles_layout = QHBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        for role, label in ROLE_LABELS.items():
            box = QCheckBox(label, roles_box)
            self.roles[role] = box
            roles_layout.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Full name:"), self.full_name)
        form.addRow(self.tr("Roles:"), roles_box)
        if existing is not None:
            self.username.setText(existing.username)
            self.full_name.setText(existing.full_name)
            self.username.setReadOnly(True)
            self.full_name.setReadOnly(True)
            for role in existing.roles:
                if role in self.roles:
                    self.roles[role].setChecked(True)
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton(self.tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.roles[next(iter(self.roles))] if existing else self.username).setFocus()

    def chosen_roles(self) -> frozenset[str]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())


class StaffScreen(QWidget):
    COLUMNS = 5

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffScreen")
        self.session = session
        self.rows: list[StaffView] = []
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("staffTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User name"),
                self.tr("Full name"),
                self.tr("Roles"),
                self.tr("Status"),
                self.tr("Last sign-in"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("&Add… (Ctrl+N)"), self)
        self.roles_button = QPushButton(self.tr("&Roles… (Ctrl+R)"), self)
        self.disable_button = QPushButton(self.tr("&Disable (Ctrl+D)"), self)
        self.enable_button = QPushButton(self.tr("&Enable"), self)
        self.reset_button = QPushButton(self.tr("Reset &password (Ctrl+Shift+P)"), self)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        actions = (
            (self.add_button, self.add_staff, "Ctrl+N"),
            (self.roles_button, self.change_roles, "Ctrl+R"),
            (self.disable_button, self.disable_selected, "Ctrl+D"),
            (self.enable_button, self.enable_selected, None),
            (self.reset_button, self.reset_selected, "Ctrl+Shift+P"),
            (self.unlock_button, self.unlock_selected, None),
        )
        buttons = QHBoxLayout()
        previous: QWidget = self.table
        for button, slot, key in actions:
            button.clicked.connect(slot)
            buttons.addWidget(button)
            QWidget.setTabOrder(previous, button)
            previous = button
            if key:
                QShortcut(
                    QKeySequence(key),
                    self,
                    activated=slot,
                )
        QShortcut(
            QKeySequence("F5"),
            self,
            activated=self.refresh,
        )
        buttons.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("staffStatus")
        self.status.setProperty("data", True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.refresh()

    # --- list ---------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        self.rows = staff.list_staff(self.session.actor)
        self.table.setRowCount(len(self.rows))
        for r, view in enumerate(self.rows):
            values = [
                view.username,
                view.full_name,
                "、".join(view.role_labels),
                self._status_text(view),
                clock.format_local(view.last_login_at) if view.last_login_at else "",
            ]
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if select and view.username == select:
                self.table.selectRow(r)
        self._update_buttons()

    def _status_text(self, view: StaffView) -> str:
        if not view.active:
            return self.tr("Disabled")
        parts = [self.tr("Active")]
        if view.locked:
            parts.append(self.tr("locked"))
        if view.must_change_password:
            parts.append(self.tr("must change password"))
        return self.tr(", ").join(parts)

    def selected(self) -> StaffView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for r, view in enumerate(self.rows):
            if view.username == username:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        view = self.selected()
        for button in (self.roles_button, self.reset_button, self.unlock_button):
            button.setEnabled(view is not None)
        self.disable_button.setEnabled(view is not None and view.active)
        self.enable_button.setEnabled(view is not None and not view.active)

    # --- hooks tests replace --------------------------------------------------------------
    def run_dialog(self, dialog: StaffDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def confirm(self, title: str, text: str) -> bool:
        return messages.confirm(self, title, text)

    def inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    # --- actions ---------------------------------------------------------------------------
    def _do(self, work) -> bool:
        try:
            work()
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return False
        return True

    def add_staff(self) -> None:
        dialog = StaffDialog(self)
        if not self.run_dialog(dialog):
            return
        username = dialog.username.text().strip()
        password = staff.generate_temporary_password()
        if self._do(
            lambda: staff.add_staff(
                self.session.actor, username, dialog.full_name.text().strip(), dialog.chosen_roles(), password
            )
        ):
            self.refresh(select=username)
            self._show_password(username, password)

    def _show_password(self, username: str, password: str) -> None:
        self.inform(
            self.tr("Temporary password"),
            self.tr("Temporary password for %1: %2\nThey must change it at their first sign-in.")
            .replace("%1", username)
            .replace("%2", password),
        )

    def change_roles(self) -> None:
        view = self.selected()
        if view is None:
            return
        dialog = StaffDialog(self, view)
        if self.run_dialog(dialog) and self._do(
            lambda: staff.set_roles(self.session.actor, view.username, dialog.chosen_roles())
        ):
            self.refresh(select=view.username)

    def disable_selected(self) -> None:
        view = self.selected()
        if view is None or not view.active:
            return
        if not self.confirm(
            self.tr("Disable account"),
            self.tr("Disable %1? They can no longer sign in; their records stay.").replace(
                "%1", view.full_name
            ),
        ):
            return
        if self._do(lambda: staff.disable_staff(self.session.actor, view.username)):
            self.refresh(select=view.username)

    def enable_selected(self) -> None:
        view = self.selected()
        if view is not None and self._do(lambda: staff.enable_staff(self.session.actor, view.username)):
            self.refresh(select=view.username)

    def reset_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        if not self.confirm(
            self.tr("Reset password"),
            self.tr("Give %1 a new temporary password?").replace("%1", view.full_name),
        ):
            return
        result: list[str] = []
        if self._do(lambda: result.append(staff.reset_password(self.session.actor, view.username))):
            self.refresh(select=view.username)
            self._show_password(view.username, result[0])

    def unlock_selected(self) -> None:
        view = self.selected()
        if view is not None and self._do(lambda: staff.unlock_staff(self.session.actor, view.username)):
            self.refresh(select=view.username)
            self.status.setText(self.tr("%1 can sign in again.").replace("%1", view.full_name))

    def activate(self) -> None:
        self.table.setFocus()
