"""Audit log screen: newest events with Chinese action names, filter by kind, chain check."""

from __future__ import annotations

from desktop import worker
from forms.audit_log import GREEN, RED, AuditScreen
from forms.session import Session
from models import staff
from tests.gui import english_words
from tests.helpers import make_actor
from tests.models.test_audit import drop_guards, raw


def _screen(qtbot, db_url, actor) -> AuditScreen:
    screen = AuditScreen(Session(actor=actor, db_url=db_url, worker=worker))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _column(screen: AuditScreen, col: int) -> list[str]:
    return [screen.table.item(r, col).text() for r in range(screen.table.rowCount())]


def test_events_listed_newest_first_and_filtered(qtbot, zh_app, db_url):
    admin = make_actor("admin", full_name="郑管理")
    staff.add_staff(admin, "wuhs", "吴护士", frozenset({"nurse"}), "Temp-Pass-2026x")
    screen = _screen(qtbot, db_url, admin)
    seqs = [int(s) for s in _column(screen, 0)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) >= 2
    assert _column(screen, 4)[0] == "新增员工" and _column(screen, 2)[0] == "郑管理"
    assert "wuhs" in _column(screen, 6)[0]
    screen.kind.setCurrentIndex(screen.kind.findData("voucher."))
    assert screen.table.rowCount() == 0
    screen.kind.setCurrentIndex(screen.kind.findData("staff."))
    assert screen.table.rowCount() == 2
    assert english_words(screen) == []


def test_verify_chain_ok_then_names_the_tampered_event(qtbot, zh_app, db_url):
    auditor = make_actor("finance")
    make_actor("nurse")
    screen = _screen(qtbot, db_url, auditor)
    screen.verify()
    qtbot.waitUntil(lambda: screen.op.done, timeout=30_000)
    assert screen.result.property("colour") == GREEN and "完整" in screen.result.text()
    drop_guards()
    raw(
        "UPDATE audit_event SET staff_name = %s WHERE seq = 2"
        if db_url.startswith("postgres")
        else "UPDATE audit_event SET staff_name = ? WHERE seq = 2",
        "冒名",
    )
    screen.refresh()
    screen.verify()
    qtbot.waitUntil(lambda: screen.op.done, timeout=30_000)
    assert screen.result.property("colour") == RED and "#2" in screen.result.text()
    assert screen.table.item(screen.table.currentRow(), 0).text() == "2"


def test_verify_shows_progress_and_names_a_money_row_changed_by_sql(qtbot, zh_app, db_url):
    from models.schema import StaffRole

    auditor = make_actor("finance")
    nurse = make_actor("nurse")
    screen = _screen(qtbot, db_url, auditor)
    seen: list[tuple[int, int]] = []
    screen.verify_progress.connect(lambda done, total: seen.append((done, total)))
    screen.verify()
    qtbot.waitUntil(lambda: screen.op.done and bool(seen), timeout=30_000)
    assert screen.result.property("colour") == GREEN and "行金额数据与审计事件一致" in screen.result.text()
    assert screen.progress.isVisible() and screen.progress.value() == screen.progress.maximum()
    assert seen and seen[-1][0] == seen[-1][1] > 0, "the bar reached the end of the events and rows"
    role = StaffRole.get(StaffRole.staff == nurse.staff.id)
    raw(
        "UPDATE staff_role SET role = %s WHERE id = %s"
        if db_url.startswith("postgres")
        else "UPDATE staff_role SET role = ? WHERE id = ?",
        "admin",
        role.id,
    )
    screen.verify()
    qtbot.waitUntil(lambda: screen.op.done, timeout=30_000)
    text = screen.result.text()
    assert screen.result.property("colour") == RED
    assert f"员工角色（staff_role）#{role.id} 字段 role" in text and "'admin'" in text and "'nurse'" in text
    assert english_words(screen) == []
