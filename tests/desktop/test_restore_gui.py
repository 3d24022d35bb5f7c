"""Restore from the backup screen: choose, check, confirm; the shell signs out, closes the
connection, restores, reconnects and asks for a sign-in on the restored database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop import app as desk_app
from desktop.settings import DeskSettings
from forms import messages
from forms.login import LoginDialog
from models import audit, backup, staff
from models.errors import Refused
from tests.helpers import PASSWORD, make_actor


def _sign_in_when_asked(qtbot, username: str) -> list:
    seen: list = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        dialog.username.setText(username)
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, poll)
    return seen


def _desk(qtbot, db_url, actor, monkeypatch):
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    qtbot.addWidget(desk.window)
    desk.set_actor(actor)
    desk.window.show()
    said: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda parent, title, text: said.append(text))
    monkeypatch.setattr(
        messages,
        "show_error",
        lambda parent, exc, title=None: said.append("错误:" + messages.error_text(exc)),
    )
    return desk, said


def _backup_screen(desk, path: Path, confirmed: bool = True):
    screen = desk.window.show_page("backup")
    screen.choose_restore_file = lambda: path
    screen.confirm_restore = lambda p, check: confirmed
    return screen


def test_restore_replaces_the_database_and_asks_to_sign_in_again(
    qtbot, zh_app, db_url, monkeypatch, tmp_path
):
    admin = make_actor("admin", username="zhengadmin")
    made = backup.create_backup(admin, out=tmp_path / "before.backup", url=db_url)
    later = make_actor("nurse", username="after_backup")
    desk, said = _desk(qtbot, db_url, admin, monkeypatch)

    _backup_screen(desk, made.path, confirmed=False).restore()
    assert staff.get_staff(later.staff.username)  # not confirmed: nothing changed

    seen = _sign_in_when_asked(qtbot, "zhengadmin")
    _backup_screen(desk, made.path).restore()
    assert len(seen) == 1, said
    assert any("已从" in t or made.path.name in t for t in said), said
    assert desk.session.actor is not None and desk.session.actor.staff.username == "zhengadmin"
    assert "backup" in desk.window.pages  # pages rebuilt for the signed-in administrator
    assert not any(s.username == "after_backup" for s in staff.list_staff(desk.session.actor))
    assert audit.list_events(desk.session.actor, limit=5, action="backup.")[0].action == "backup.restore"
    assert audit.verify(desk.session.actor).ok


def test_a_bad_file_is_refused_in_chinese_and_nothing_changes(qtbot, zh_app, db_url, monkeypatch, tmp_path):
    admin = make_actor("admin")
    bad = tmp_path / "junk.backup"
    bad.write_bytes(b"not a database")
    desk, said = _desk(qtbot, db_url, admin, monkeypatch)
    _backup_screen(desk, bad).restore()
    assert len(said) == 1 and said[0].startswith("错误:") and "不是 ffdesk 备份文件" in said[0]
    assert desk.session.actor is admin


def test_a_failed_restore_shows_the_reason_reconnects_and_asks_to_sign_in(
    qtbot, zh_app, db_url, monkeypatch, tmp_path
):
    admin = make_actor("admin", username="wangadmin")
    made = backup.create_backup(admin, out=tmp_path / "ok.backup", url=db_url)
    desk, said = _desk(qtbot, db_url, admin, monkeypatch)

    def fail(actor, source, url=None):
        raise Refused("恢复失败：磁盘已满")

    monkeypatch.setattr(backup, "restore_backup", fail)
    seen = _sign_in_when_asked(qtbot, "wangadmin")
    _backup_screen(desk, made.path).restore()
    assert said == ["错误:恢复失败：磁盘已满"] and len(seen) == 1
    assert desk.session.actor.staff.username == "wangadmin"  # same database, connected again
