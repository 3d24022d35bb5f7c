"""线上申领 screen: import a file, the queue oldest first with its count in the navigation,
approve (printing or not) and reject with a reason (issue 19 point 1)."""

from __future__ import annotations

from importlib import resources

from desktop import documents
from desktop.main_window import MainWindow
from forms.applications_screen import ApplicationsScreen
from forms.session import Session
from models.schema import Application, Issuance
from tests.gui import english_words
from tests.models.lifecycle import freeze
from tests.reports.helpers import flat_text


def _example(tmp_path):
    path = tmp_path / "申请.csv"
    path.write_bytes(resources.files("resources.applications").joinpath("example.csv").read_bytes())
    return path


def _screen(qtbot, db_url, actor) -> ApplicationsScreen:
    freeze()
    screen = ApplicationsScreen(Session(actor=actor, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.resize(1100, 600)
    screen.show()
    qtbot.waitExposed(screen)
    printed: list[bytes] = []
    screen.preview = lambda pdf, title: printed.append(pdf) or True
    screen.printed = printed
    return screen


def _numbers(screen) -> list[str]:
    return [screen.table.item(r, 0).text() for r in range(screen.table.rowCount())]


def test_import_approve_print_and_reject(qtbot, zh_app, db_url, frontdesk, tmp_path):
    screen = _screen(qtbot, db_url, frontdesk)
    assert screen.table.rowCount() == 0 and not screen.approve_button.isEnabled()
    screen.ask_file = lambda: str(_example(tmp_path))
    screen.import_button.click()
    assert "新导入 3 条" in screen.message.text()
    assert _numbers(screen) == ["HN2026030100001", "HN2026030100002", "HN2026030200003"]
    assert screen.count_label.text() == "待审核 3 条"
    assert screen.table.item(0, 2).text() == "王*红"  # masked on the queue
    assert english_words(screen) == []

    screen.table.selectRow(0)
    screen.approve_button.click()
    assert "券单号" in screen.message.text()
    assert len(screen.printed) == 1 and "湘伴孕产包" in flat_text(screen.printed[0])
    assert Issuance.get().print_count == 1
    assert _numbers(screen) == ["HN2026030100002", "HN2026030200003"]

    screen.table.selectRow(1)
    screen.approve_quiet.click()
    assert len(screen.printed) == 1  # approved without printing
    assert Application.get(Application.application_no == "HN2026030200003").status == "approved"

    screen.ask_reason = lambda: ("", True)
    screen.table.selectRow(0)
    screen.reject_button.click()
    assert "原因" in screen.message.text() and screen.table.rowCount() == 1
    screen.ask_reason = lambda: ("已在外院领取", True)
    screen.reject_button.click()
    assert "已驳回" in screen.message.text() and screen.table.rowCount() == 0
    assert screen.count_label.text() == "待审核 0 条"


def test_bad_file_shows_row_and_field_and_imports_nothing(qtbot, zh_app, db_url, frontdesk, tmp_path):
    screen = _screen(qtbot, db_url, frontdesk)
    bad = tmp_path / "bad.csv"
    bad.write_text("application_no,submitted_at,name\nA1,昨天,王小红\n", encoding="utf-8")
    screen.import_path(str(bad))
    assert "第 2 行 申请时间（submitted_at）" in screen.message.text()
    assert screen.table.rowCount() == 0 and Application.select().count() == 0
    screen.import_path(str(tmp_path / "x.txt"))
    assert "CSV、XLSX 或 JSON" in screen.message.text()


def test_navigation_shows_the_pending_count(qtbot, zh_app, db_url, frontdesk, tmp_path):
    freeze()
    window = MainWindow(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(window)
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert "线上申领" in titles
    screen = window.show_page("applications")
    screen.import_path(str(_example(tmp_path)))
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert "线上申领（3）" in titles
