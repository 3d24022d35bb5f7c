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


def test_a_nurse_at_a_desk_without_a_service_point_chooses_one_at_sign_in(qtbot, zh_app, db_url):
    from models import catalog
    from tests.gui import english_words

    nurse = make_actor("nurse")
    dialog = LoginDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, nurse.staff.username)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.pages.currentIndex() == 2  # not in yet: where?
    names = [dialog.point_box.itemText(i) for i in range(dialog.point_box.count())]
    assert names == [p.name for p in catalog.service_points()] and len(names) > 1
    assert english_words(dialog) == []
    dialog.point_box.setCurrentIndex(1)
    qtbot.keyClick(dialog.point_box, Qt.Key.Key_Return)  # Enter presses 开始
    assert dialog.result() == QDialog.DialogCode.Accepted
    code = catalog.service_points()[1].code
    assert dialog.chosen_point == code and dialog.actor.service_point == code


def test_front_desk_staff_and_desks_with_a_point_are_not_asked(qtbot, zh_app, db_url):
    for roles, point in ((("frontdesk",), None), (("nurse",), "LAB")):
        actor = make_actor(*roles)
        dialog = LoginDialog(point)
        qtbot.addWidget(dialog)
        dialog.username.setText(actor.staff.username)
        dialog.password.setText(PASSWORD)
        dialog.submit()
        assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen_point is None


def test_the_desk_keeps_the_chosen_point_for_the_redeem_screen(qtbot, zh_app, db_url, monkeypatch):
    from desktop import app as desk_app
    from desktop.settings import DeskSettings

    nurse = make_actor("nurse")
    desk = desk_app.DeskApp(db_url, DeskSettings())
    qtbot.addWidget(desk.window)

    def choose(dialog):
        dialog.username.setText(nurse.staff.username)
        dialog.password.setText(PASSWORD)
        dialog.submit()
        dialog.point_box.setCurrentIndex(dialog.point_box.findData("LAB"))
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", choose)
    assert desk.sign_in()
    assert desk.session.service_point == "LAB" and desk.session.actor.service_point == "LAB"
    assert DeskSettings.load().service_point == "LAB"
