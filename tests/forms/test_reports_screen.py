"""Finance screen: reports built off the GUI thread, previewed and exported; month close."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from desktop import documents, worker
from forms import messages
from forms.reports_screen import ReportsScreen
from forms.session import Session
from models import clients, clock, episodes, finance, issuance, periods, redemption
from reports.text import fen_to_yuan
from tests.gui import english_words
from tests.helpers import make_actor, resident_id
from tests.reports.helpers import flat_text, require_font


def at(local: str) -> None:
    clock.set_now(dt.datetime.fromisoformat(local).replace(tzinfo=clock.LOCAL_TZ))


@pytest.fixture
def september(db_url):
    """One early-pregnancy package issued on 10 September 2026, two of its vouchers redeemed."""
    desk, nurse = make_actor("frontdesk"), make_actor("nurse")
    at("2026-09-10 09:30")
    woman = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19950203", "F"), name="李晓梅", phone="13812345678"
    ).client
    episode = episodes.open_pregnancy(desk, woman.id, dt.date(2026, 8, 1))
    view = issuance.issue_package(desk, episode.id, "HN-ZY")
    for v in view.vouchers[:2]:
        redemption.redeem(nurse, v.code, v.service_point)
    at("2026-10-05 10:00")
    return view


@pytest.fixture
def clerk(september):
    return make_actor("finance", full_name="孙会计")


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_error", lambda parent, exc, title=None: shown.append(messages.error_text(exc))
    )
    return shown


def _screen(qtbot, db_url, actor) -> ReportsScreen:
    screen = ReportsScreen(Session(actor=actor, db_url=db_url, documents=documents, worker=worker))
    qtbot.addWidget(screen)
    screen.previews = []
    screen.show_preview = lambda pdf, title: screen.previews.append((pdf, title))
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _wait(qtbot, op) -> None:
    qtbot.waitUntil(lambda: op is not None and op.done, timeout=30_000)


def test_month_reconciliation_preview_matches_the_database(qtbot, zh_app, db_url, clerk, errors):
    require_font()
    screen = _screen(qtbot, db_url, clerk)
    screen.set_kind("reconciliation")
    screen.set_mode("month")
    screen.set_period(dt.date(2026, 9, 15))
    assert screen.period() == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    screen.preview()
    assert isinstance(screen.op, worker.BackgroundOp)  # built in a worker thread
    _wait(qtbot, screen.op)
    assert errors == []
    [(pdf, title)] = screen.previews
    assert "2026-09-01" in title
    totals = finance.reconciliation(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30)).totals()
    text = flat_text(pdf)
    redeemed = f"{totals.redeemed_count}{fen_to_yuan(totals.redeemed_fen)}"  # count, then yuan
    assert totals.redeemed_fen > 0 and "合计" in text and redeemed in text.split("合计")[-1]
    assert english_words(screen) == []


def test_settlement_exports_xlsx_to_the_chosen_file(qtbot, zh_app, db_url, clerk, errors, tmp_path):
    screen = _screen(qtbot, db_url, clerk)
    screen.set_kind("settlement")
    assert [screen.mode.itemData(i) for i in range(screen.mode.count())] == ["month"]
    screen.set_period(dt.date(2026, 9, 1))
    target = tmp_path / "九月结算"
    screen.ask_save_path = lambda fmt, suggested: str(target)
    screen.export("xlsx")
    _wait(qtbot, screen.op)
    assert errors == []
    saved = tmp_path / "九月结算.xlsx"
    assert screen.last_output == saved
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    totals = finance.reconciliation(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30)).totals()
    assert totals.redeemed_fen > 0 and totals.redeemed_fen in cells  # integer fen column


@pytest.mark.parametrize("where", ["a file where a folder should be", "a place root cannot write"])
def test_export_to_a_place_that_cannot_be_written_says_so_in_chinese(
    qtbot, zh_app, db_url, clerk, errors, tmp_path, where
):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plain.txt").write_text("x")
    target = tmp_path / "out" / "plain.txt" / "日结" if where.startswith("a file") else "/sys/ffdesk-export"
    screen = _screen(qtbot, db_url, clerk)
    screen.set_kind("daily_close")
    screen.set_period(dt.date(2026, 9, 10))
    screen.ask_save_path = lambda fmt, suggested: str(target)
    screen.export("csv")
    _wait(qtbot, screen.op)
    assert len(errors) == 1 and "无法写入报表文件" in errors[0], errors
    assert "Errno" not in errors[0] and "denied" not in errors[0], (
        "the reason in Chinese, not the OS's English"
    )
    assert screen.last_output is None
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plain.txt"]


def test_daily_close_csv_and_statistics_pdf(qtbot, zh_app, db_url, clerk, errors, tmp_path):
    screen = _screen(qtbot, db_url, clerk)
    screen.set_kind("daily_close")
    assert [screen.mode.itemData(i) for i in range(screen.mode.count())] == ["day"]
    screen.set_period(dt.date(2026, 9, 10))
    screen.ask_save_path = lambda fmt, suggested: str(tmp_path / suggested)
    screen.export("csv")
    _wait(qtbot, screen.op)
    text = screen.last_output.read_bytes().decode("utf-8-sig")
    assert screen.last_output.suffix == ".csv" and "2026-09-10" in screen.last_output.name
    assert "测试" in text  # the operators' names (tests.helpers names staff 测试…)
    screen.set_kind("statistics")
    assert not screen.csv_button.isEnabled() and not screen.xlsx_button.isEnabled()
    screen.preview()
    _wait(qtbot, screen.op)
    assert errors == []
    assert len(screen.previews) == 1 and screen.previews[0][0].startswith(b"%PDF")


def test_month_close_with_confirmation_and_chinese_refusals(qtbot, zh_app, db_url, clerk, errors):
    screen = _screen(qtbot, db_url, clerk)
    panel = screen.month_close
    screen.tabs.setCurrentWidget(panel)
    assert panel.selected_month() == "2026-09"  # the previous month is proposed
    panel.confirm = lambda month: False
    panel.close_selected_month()
    assert not periods.is_closed("2026-09")
    panel.confirm = lambda month: True
    panel.close_selected_month()
    _wait(qtbot, panel.op)
    assert periods.is_closed("2026-09")
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "2026-09" and panel.table.item(0, 3).text() == "孙会计"
    panel.close_selected_month()
    _wait(qtbot, panel.op)
    assert len(errors) == 1 and "不能重复月结" in errors[0]
    panel.month.setDate(panel.month.date().addMonths(1))  # October is not over
    panel.close_selected_month()
    _wait(qtbot, panel.op)
    assert len(errors) == 2 and "尚未结束" in errors[1]
    assert english_words(screen) == []


def test_front_desk_cannot_close(qtbot, zh_app, db_url, september):
    supervisor = make_actor("supervisor")
    screen = _screen(qtbot, db_url, supervisor)
    assert not screen.month_close.close_button.isEnabled()


def test_month_close_proposes_the_next_month_in_order(qtbot, zh_app, db_url, clerk, errors):
    at("2026-12-05 10:00")
    screen = _screen(qtbot, db_url, clerk)
    panel = screen.month_close
    panel.confirm = lambda month: True
    assert panel.selected_month() == "2026-09"  # the first month with data, not November
    panel.month.setDate(panel.month.date().addMonths(2))
    panel.close_selected_month()
    _wait(qtbot, panel.op)
    assert errors == ["请先结账 2026-10：月份必须按顺序月结，下一个应月结的是 2026-09"]
    panel.refresh()
    panel.close_selected_month()
    _wait(qtbot, panel.op)
    assert periods.is_closed("2026-09") and panel.selected_month() == "2026-10"
    assert english_words(screen) == []
