"""Staff administration: add with roles and a temporary password, change roles, disable, reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from forms import messages
from forms.session import Session
from forms.staff_admin import StaffDialog, StaffScreen
from models import staff
from models.errors import FfdeskError
from tests.gui import english_words
from tests.helpers import make_actor


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_error", lambda parent, exc, title=None: shown.append(messages.error_text(exc))
    )
    return shown


def _screen(qtbot, db_url, actor) -> StaffScreen:
    screen = StaffScreen(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(screen)
    screen.informed = []
    screen.inform = lambda title, text: screen.informed.append(text)
    screen.confirm = lambda title, text: True
    screen.show()
    qtbot.waitExposed(screen)
    screen.windowHandle().requestActivate()
    qtbot.waitUntil(screen.isActiveWindow)
    return screen


def _fill(name: str, full_name: str, roles: set[str]):
    def run(dialog: StaffDialog) -> bool:
        if not dialog.username.isReadOnly():
            dialog.username.setText(name)
            dialog.full_name.setText(full_name)
        for role, box in dialog.roles.items():
            box.setChecked(role in roles)
        return True

    return run


def test_add_staff_with_roles_then_they_sign_in_with_the_temporary_password(qtbot, zh_app, db_url, errors):
    admin = make_actor("admin")
    screen = _screen(qtbot, db_url, admin)
    screen.run_dialog = _fill("zhouhs", "周护士", {"nurse"})
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert errors == []
    assert screen.selected().username == "zhouhs"
    assert screen.selected().role_labels == ("核销员",)
    [text] = screen.informed
    password = text.split("：")[1].split("\n")[0].strip()
    actor = staff.authenticate("zhouhs", password)
    assert actor.roles == {"nurse"} and actor.must_change_password
    row = screen.table.currentRow()
    assert "须改密码" in screen.table.item(row, 3).text()
    assert english_words(screen) == []


def test_change_roles_disable_enable_and_reset(qtbot, zh_app, db_url, errors):
    admin = make_actor("admin")
    nurse = make_actor("nurse", full_name="吴护士")
    screen = _screen(qtbot, db_url, admin)
    screen.select(nurse.staff.username)
    screen.run_dialog = _fill("", "", {"nurse", "supervisor"})
    screen.change_roles()
    assert set(screen.selected().roles) == {"nurse", "supervisor"}

    screen.disable_selected()
    assert not screen.selected().active
    assert screen.table.item(screen.table.currentRow(), 3).text() == "已停用"
    with pytest.raises(FfdeskError):
        staff.authenticate(nurse.staff.username, "Desk-Pass-2026")
    assert screen.enable_button.isEnabled() and not screen.disable_button.isEnabled()
    screen.enable_selected()
    assert screen.selected().active

    screen.reset_selected()
    password = screen.informed[-1].split("：")[1].split("\n")[0].strip()
    assert staff.authenticate(nurse.staff.username, password).must_change_password
    assert errors == []


def test_refusals_are_shown_in_chinese(qtbot, zh_app, db_url, errors):
    admin = make_actor("admin")
    screen = _screen(qtbot, db_url, admin)
    screen.select(admin.staff.username)
    screen.disable_selected()
    assert errors and "不能停用自己的账号" in errors[0]
    screen.run_dialog = _fill(admin.staff.username, "重复", {"nurse"})
    screen.add_staff()
    assert len(errors) == 2 and not any(
        c.isascii() and c.isalpha() for c in errors[1].replace(admin.staff.username, "")
    )
