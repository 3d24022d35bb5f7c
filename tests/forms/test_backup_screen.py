"""Backup screen: a backup made in a worker thread appears in the list and passes the check."""

from __future__ import annotations

import pytest

from desktop import worker
from forms import messages
from forms.backup_screen import BackupScreen
from forms.session import Session
from tests.gui import english_words
from tests.helpers import make_actor


def test_back_up_now_then_check_it(qtbot, zh_app, db_url, monkeypatch):
    if not db_url.startswith("sqlite"):
        pytest.skip("pg_dump backups are tested in tests/reliability/test_backup.py")
    admin = make_actor("admin")
    screen = BackupScreen(Session(actor=admin, db_url=db_url, worker=worker))
    qtbot.addWidget(screen)
    screen.show()
    assert screen.table.rowCount() == 0
    screen.back_up()
    qtbot.waitUntil(lambda: screen.op.done, timeout=30_000)
    assert screen.table.rowCount() == 1 and "已保存" in screen.status.text()
    screen.table.selectRow(0)
    screen.check_selected()
    assert "完好" in screen.status.text()
    errors: list[str] = []
    monkeypatch.setattr(
        messages, "show_error", lambda parent, exc, title=None: errors.append(messages.error_text(exc))
    )
    screen.files[0].write_bytes(b"not a database")
    screen.check_selected()
    assert len(errors) == 1 and "不是 ffdesk 备份文件" in errors[0]
    assert english_words(screen) == []
