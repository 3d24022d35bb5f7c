"""A fresh database without staff: the desk asks for the first administrator instead of a sign-in
nobody can pass, signs them in, and shows the administrator's pages."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop import app as desk_app
from desktop.settings import DeskSettings
from forms.first_admin import FirstAdminDialog
from forms.login import LoginDialog
from models import audit, staff
from tests.gui import english_words
from tests.helpers import make_actor

GOOD = "Erste-Admin-2026"


def _when_modal(action) -> list:
    seen: list = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        action(dialog)

    QTimer.singleShot(0, poll)
    return seen


def test_first_start_creates_the_administrator_and_signs_in(qtbot, zh_app, db_url):
    assert staff.no_staff_yet()
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    qtbot.addWidget(desk.window)

    def fill(dialog: FirstAdminDialog):
        assert english_words(dialog) == []
        dialog.full_name.setText("郑管理")
        dialog.password.setText(GOOD)
        dialog.repeat.setText("something else")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "不一致" in dialog.error.text() and dialog.isVisible()
        dialog.password.setText("short")
        dialog.repeat.setText("short")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "8" in dialog.error.text() and staff.no_staff_yet()
        dialog.password.setText(GOOD)
        dialog.repeat.setText(GOOD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    seen = _when_modal(fill)
    assert desk.sign_in()
    assert isinstance(seen[0], FirstAdminDialog)
    actor = desk.session.actor
    assert actor.staff.username == "admin" and actor.name == "郑管理" and "admin" in actor.roles
    assert "staff" in desk.window.pages and "backup" in desk.window.pages
    actions = [e.action for e in audit.list_events(actor, limit=10)]
    assert "staff.create" in actions and "staff.login" in actions


def test_with_staff_the_usual_sign_in_is_shown(qtbot, zh_app, db_url):
    make_actor("nurse")
    assert not staff.no_staff_yet()
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    qtbot.addWidget(desk.window)
    seen = _when_modal(lambda dialog: dialog.reject())
    assert not desk.sign_in()
    assert isinstance(seen[0], LoginDialog)
