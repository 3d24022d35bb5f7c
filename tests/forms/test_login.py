"""Sign-in, forced password change and the idle-lock unlock dialog, as a user types them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from forms.login import LoginDialog, UnlockDialog
from models import staff
from tests.helpers import PASSWORD, make_actor


def _login(qtbot) -> LoginDialog:
    dialog = LoginDialog("LAB")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_sign_in_with_the_keyboard(qtbot, zh_app, db_url):
    nurse = make_actor("nurse")
    dialog = _login(qtbot)
    qtbot.keyClicks(dialog.username, nurse.staff.username)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.staff.id == nurse.staff.id
    assert dialog.actor.service_point == "LAB"


def test_wrong_password_says_so_in_chinese_and_stays_open(qtbot, zh_app, db_url):
    nurse = make_actor("nurse")
    dialog = _login(qtbot)
    dialog.username.setText(nurse.staff.username)
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.actor is None
    assert "密码错误" in dialog.error.text()
    assert dialog.password.text() == ""


def test_reset_password_must_be_changed_before_entering(qtbot, zh_app, db_url):
    admin = make_actor("admin")
    desk = make_actor("frontdesk")
    temporary = staff.reset_password(admin, desk.staff.username)
    dialog = _login(qtbot)
    dialog.username.setText(desk.staff.username)
    dialog.password.setText(temporary)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1 and dialog.actor is None
    dialog.new_password.setText("Brand-New-2026x")
    dialog.repeat_password.setText("Brand-New-2026y")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不一致" in dialog.error.text()
    dialog.repeat_password.setText("Brand-New-2026x")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.can("voucher.issue")
    assert staff.authenticate(desk.staff.username, "Brand-New-2026x").staff.id == desk.staff.id


def test_unlock_needs_the_same_persons_password_and_ignores_escape(qtbot, zh_app, db_url):
    nurse = make_actor("nurse")
    dialog = UnlockDialog(nurse)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.password, "not-it")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and "密码错误" in dialog.error.text()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
