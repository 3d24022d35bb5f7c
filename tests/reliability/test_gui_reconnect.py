"""PostgreSQL restarted mid-session: the desk reconnects and tells the user done-once or not-done.

A server restart terminates the desk's backend; here a second connection does it
(``pg_terminate_backend``) at the chosen moment: inside the action's work, just before its
COMMIT, or just after a COMMIT whose answer is then lost. What the user sees (the message
box, the banner or status line) and what the database holds are both checked.
"""

from __future__ import annotations

import datetime as dt
import random

import peewee
import psycopg
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import documents
from forms.front_desk import FrontDeskScreen
from forms.redeem import GREEN, RED, RedeemScreen
from forms.session import Session
from models import audit, catalog, clients, clock, db, episodes, issuance, redemption, resilience, vouchers
from models.schema import Issuance, LedgerEntry, Voucher
from tests.helpers import PASSWORD, make_actor, resident_id

pytestmark = pytest.mark.pg


@pytest.fixture
def zh_app(qapp):
    from desktop import i18n

    i18n.install_translators(qapp, "zh_CN")
    i18n.install_font(qapp)
    return qapp


@pytest.fixture
def desk_db(pg_url):
    catalog.load_catalog(catalog.default_catalog_path())
    return pg_url


@pytest.fixture
def admin_conn(desk_db):
    with psycopg.connect(desk_db, autocommit=True) as conn:
        yield conn


class Server:
    """Terminates this process's backend, as a restart would."""

    def __init__(self, admin_conn) -> None:
        self.admin = admin_conn
        self.kills = 0

    def kill_session(self) -> None:
        pid = db.database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        self.admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        self.kills += 1

    def kill_in_audit(self, monkeypatch, action: str) -> None:
        """Lose the connection inside the work: when the action's audit event is written, once."""
        real = audit.record

        def record(actor, act, *args, **kwargs):
            if act == action and not self.kills:
                self.kill_session()
            return real(actor, act, *args, **kwargs)

        monkeypatch.setattr(audit, "record", record)

    def kill_at_commit(self, monkeypatch, *, reached: bool) -> None:
        """Lose the connection at the next COMMIT: before it reaches the server, or after (answer lost)."""
        cls = type(db.database.obj)
        real = cls.commit

        def commit(self_db):
            monkeypatch.setattr(cls, "commit", real)
            if reached:
                real(self_db)
            self.kill_session()
            self_db.execute_sql("SELECT 1")  # the dead connection fails here
            return real(self_db)

        monkeypatch.setattr(cls, "commit", commit)


@pytest.fixture
def server(admin_conn):
    return Server(admin_conn)


class Boxes:
    """Answers every message box as the user would (OK), keeping what it said."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.seen.append((widget.objectName(), widget.text()))
                widget.done(0)

    def texts(self) -> str:
        return "\n".join(text for _name, text in self.seen)


@pytest.fixture
def boxes(qapp):
    b = Boxes()
    yield b
    b.timer.stop()


def _issued(actor):
    number = resident_id("19940512", "F", rng=random.Random(5))
    client = clients.register_client(
        actor, id_type="resident", id_number=number, name="王小红", phone="13812345678"
    ).client
    episode = episodes.open_pregnancy(actor, client.id, clock.local_today() - dt.timedelta(weeks=10))
    return number, episode, issuance.issue_package(actor, episode.id, "HN-ZY")


def _redeem_screen(qtbot, url, actor) -> RedeemScreen:
    screen = RedeemScreen(Session(actor=actor, db_url=url, service_point="LAB"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _lab_code(view) -> str:
    return next(v.code for v in view.vouchers if v.item_code == "EARLY_TEST")


def _scan(qtbot, screen, code) -> None:
    qtbot.keyClicks(screen.code, code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)


def _ledger(code: str) -> list[str]:
    voucher = Voucher.get(Voucher.code == code)
    return [
        e.kind for e in LedgerEntry.select().where(LedgerEntry.voucher == voucher).order_by(LedgerEntry.id)
    ]


@pytest.fixture
def redeem_case(qtbot, zh_app, desk_db, boxes):
    desk = make_actor("frontdesk")
    _number, _episode, view = _issued(desk)
    nurse = make_actor("nurse", full_name="赵护士")
    screen = _redeem_screen(qtbot, desk_db, nurse)
    code = _lab_code(view)
    _scan(qtbot, screen, code)
    assert screen.pending is not None
    return screen, code


def _assert_redeemed_once(screen, code, boxes, said: str) -> None:
    assert screen.banner.property("colour") == GREEN and "已核销" in screen.banner.text()
    assert said in boxes.texts() and "只执行了一次" in boxes.texts()
    assert _ledger(code) == ["redeem"]
    assert Voucher.get(Voucher.code == code).state == "redeemed"
    assert screen.today.rowCount() == 1
    assert audit.verify_chain().ok


def test_redeem_lost_while_working_is_done_once_and_said(qtbot, redeem_case, server, boxes, monkeypatch):
    screen, code = redeem_case
    server.kill_in_audit(monkeypatch, "voucher.redeem")
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert server.kills == 1
    _assert_redeemed_once(screen, code, boxes, "已重新执行")


def test_redeem_lost_before_commit_is_checked_then_done_once(qtbot, redeem_case, server, boxes, monkeypatch):
    screen, code = redeem_case
    server.kill_at_commit(monkeypatch, reached=False)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert server.kills == 1
    _assert_redeemed_once(screen, code, boxes, "已重新执行")


def test_redeem_whose_commit_answer_was_lost_is_reported_done_not_redone(
    qtbot, redeem_case, server, boxes, monkeypatch
):
    screen, code = redeem_case
    calls = []
    real = redemption.redeem
    monkeypatch.setattr(redemption, "redeem", lambda *a, **k: calls.append(1) or real(*a, **k))
    server.kill_at_commit(monkeypatch, reached=True)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert server.kills == 1 and len(calls) == 1, "the check found it committed: not run again"
    _assert_redeemed_once(screen, code, boxes, "已完成")


def test_redeem_with_the_server_still_down_says_not_done(qtbot, redeem_case, server, boxes, monkeypatch):
    screen, code = redeem_case
    real_reconnect = resilience.reconnect

    def still_down(wait=15.0):
        raise peewee.OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(resilience, "reconnect", still_down)
    server.kill_in_audit(monkeypatch, "voucher.redeem")
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert "未执行" in boxes.texts()
    assert screen.banner.property("colour") == RED and "未执行" in screen.banner.text()
    real_reconnect()
    assert _ledger(code) == [] and Voucher.get(Voucher.code == code).state == "issued"


def test_a_connection_lost_while_idle_is_reconnected_on_the_next_scan(qtbot, redeem_case, server, boxes):
    screen, code = redeem_case
    server.kill_session()  # the server restarted while the nurse talked to the patient
    screen.clear()
    _scan(qtbot, screen, code)
    assert screen.pending is not None, "the look-up reconnected and read again"
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert screen.banner.property("colour") == GREEN
    assert boxes.seen == [], "a reconnect before the action needs no message"
    assert _ledger(code) == ["redeem"]


def test_reversal_lost_while_working_is_done_once(qtbot, zh_app, desk_db, server, boxes, monkeypatch):
    desk = make_actor("frontdesk")
    _number, _episode, view = _issued(desk)
    supervisor = make_actor("supervisor", full_name="钱主管")
    code = _lab_code(view)
    redemption.redeem(supervisor, code, "LAB")
    screen = _redeem_screen(qtbot, desk_db, supervisor)
    screen.ask_reason = lambda: ("误核销", True)
    screen.today.selectRow(0)
    server.kill_in_audit(monkeypatch, "voucher.reverse")
    screen.reverse_selected()
    assert server.kills == 1
    assert screen.banner.property("colour") == GREEN and "已冲正" in screen.banner.text()
    assert "只执行了一次" in boxes.texts()
    assert _ledger(code) == ["redeem", "reverse"]
    assert Voucher.get(Voucher.code == code).state == "issued"


def test_reversal_whose_commit_answer_was_lost_is_not_redone(
    qtbot, zh_app, desk_db, server, boxes, monkeypatch
):
    desk = make_actor("frontdesk")
    _number, _episode, view = _issued(desk)
    supervisor = make_actor("supervisor", full_name="钱主管")
    code = _lab_code(view)
    redemption.redeem(supervisor, code, "LAB")
    screen = _redeem_screen(qtbot, desk_db, supervisor)
    screen.ask_reason = lambda: ("误核销", True)
    screen.today.selectRow(0)
    # the look-up before the reversal commits too: lose the connection at the reversal's commit
    real_reverse = redemption.reverse

    def reverse(*args, **kwargs):
        server.kill_at_commit(monkeypatch, reached=True)
        return real_reverse(*args, **kwargs)

    monkeypatch.setattr(redemption, "reverse", reverse)
    screen.reverse_selected()
    assert server.kills == 1
    assert "已完成" in boxes.texts() and screen.banner.property("colour") == GREEN
    assert _ledger(code) == ["redeem", "reverse"]


def _front_desk(qtbot, url, actor) -> FrontDeskScreen:
    screen = FrontDeskScreen(Session(actor=actor, db_url=url, documents=documents))
    screen.printed = []
    screen.preview = lambda pdf, title: screen.printed.append(pdf) or True
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_issue_whose_commit_answer_was_lost_gives_one_issuance(
    qtbot, zh_app, desk_db, server, boxes, monkeypatch
):
    desk = make_actor("frontdesk")
    number = resident_id("19940512", "F", rng=random.Random(9))
    client = clients.register_client(desk, id_type="resident", id_number=number, name="李春玥").client
    episodes.open_pregnancy(desk, client.id, clock.local_today() - dt.timedelta(weeks=10))
    screen = _front_desk(qtbot, desk_db, desk)
    screen.search.setText(number)
    screen.do_search()
    real_issue = issuance.issue_package
    calls = []

    def issue(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            server.kill_at_commit(monkeypatch, reached=True)
        return real_issue(*args, **kwargs)

    monkeypatch.setattr(issuance, "issue_package", issue)
    screen.issue_selected()
    assert server.kills == 1 and len(calls) == 2, "issuance is idempotent: simply asked again"
    assert "只执行了一次" in boxes.texts()
    assert screen.issued.item(0, 1).text() == "湘护早孕包"
    assert Issuance.select().count() == 1
    [only] = Issuance.select()
    assert Voucher.select().where(Voucher.issuance == only).count() == len(
        issuance.get_issuance(desk, only.id).vouchers
    )
    assert screen.issued.rowCount() == 1 and len(screen.printed) == 1
    assert audit.verify_chain().ok


def test_void_lost_while_working_is_done_once(qtbot, zh_app, desk_db, server, boxes, monkeypatch):
    desk = make_actor("frontdesk", full_name="孙前台")
    number, _episode, _view = _issued(desk)
    screen = _front_desk(qtbot, desk_db, desk)
    screen.search.setText(number)
    screen.do_search()
    screen.ask_text = lambda title, label: ("客户放弃", True)
    screen.issued.selectRow(0)
    server.kill_in_audit(monkeypatch, "voucher.void")
    screen.void_selected()
    assert server.kills == 1
    assert "只执行了一次" in boxes.texts()
    assert "已作废" in screen.issued.item(0, 3).text()
    assert Voucher.select().where(Voucher.state == "voided").count() == 1


def test_void_whose_commit_answer_was_lost_is_not_redone(qtbot, zh_app, desk_db, server, boxes, monkeypatch):
    desk = make_actor("frontdesk", full_name="孙前台")
    number, _episode, _view = _issued(desk)
    screen = _front_desk(qtbot, desk_db, desk)
    screen.search.setText(number)
    screen.do_search()
    screen.ask_text = lambda title, label: ("客户放弃", True)
    screen.issued.selectRow(0)
    real_void = vouchers.void_voucher
    calls = []

    def void(*args, **kwargs):
        calls.append(1)
        server.kill_at_commit(monkeypatch, reached=True)
        return real_void(*args, **kwargs)

    monkeypatch.setattr(vouchers, "void_voucher", void)
    screen.void_selected()
    assert len(calls) == 1 and "已完成" in boxes.texts()
    assert Voucher.select().where(Voucher.state == "voided").count() == 1


# --- the command line: one process, no reconnect, but it says done or not -------------------------


def _cli(args: list[str], capsys) -> tuple[int, str]:
    from desktop.cli import main

    code = main(args)
    return code, capsys.readouterr().err


@pytest.fixture
def cli_redeem(desk_db, monkeypatch):
    desk = make_actor("frontdesk")
    _number, _episode, view = _issued(desk)
    nurse = make_actor("nurse", username="nurse_cli")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    return nurse, _lab_code(view), ["--db", desk_db, "--as", "nurse_cli", "redeem"]


def test_cli_lost_while_working_says_not_done(cli_redeem, server, monkeypatch, capsys):
    _nurse, code, argv = cli_redeem
    server.kill_in_audit(monkeypatch, "voucher.redeem")
    exit_code, err = _cli([*argv, code, "--point", "LAB"], capsys)
    assert exit_code == 1 and "未执行" in err and "Traceback" not in err
    db.connect(cli_redeem[2][1])
    assert _ledger(code) == []


def test_cli_lost_at_commit_says_check_before_redoing(cli_redeem, server, monkeypatch, capsys):
    _nurse, code, argv = cli_redeem
    real_redeem = redemption.redeem

    def redeem(*args, **kwargs):
        server.kill_at_commit(monkeypatch, reached=True)
        return real_redeem(*args, **kwargs)

    monkeypatch.setattr(redemption, "redeem", redeem)
    exit_code, err = _cli([*argv, code, "--point", "LAB"], capsys)
    assert exit_code == 1 and "无法确定" in err and "核对" in err
    db.connect(cli_redeem[2][1])
    assert _ledger(code) == ["redeem"], "it was in fact done: the user is told to check, not to redo"
