"""Browse: filters, sorting, windowed fetching, and a voucher's history opened with Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from forms.browse import BrowseScreen
from forms.session import Session
from forms.voucher_history import VoucherHistoryDialog
from forms.voucher_model import MAX_PAGES, PAGE_SIZE, VoucherModel
from models import redemption, vouchers
from models.browse import VoucherFilter
from tests.gui import english_words
from tests.helpers import make_actor


def _screen(qtbot, db_url, actor) -> BrowseScreen:
    screen = BrowseScreen(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(screen)
    screen.shown = []
    screen.show_dialog = screen.shown.append
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _voucher(issued, item_code):
    return next(v for v in issued.vouchers if v.item_code == item_code)


def test_model_passes_the_model_tester(qtmodeltester, zh_app, db_url, issued, frontdesk):
    model = VoucherModel(frontdesk)
    assert model.rowCount() == len(issued.vouchers) > 0
    qtmodeltester.check(model)
    model.sort(3, Qt.SortOrder.AscendingOrder)  # value
    values = [
        model.data(model.index(r, 3), Qt.ItemDataRole.UserRole + 1)["value_fen"]
        for r in range(model.rowCount())
    ]
    assert values == sorted(values)
    qtmodeltester.check(model)


def test_a_million_rows_are_fetched_in_windows(qtmodeltester, zh_app, db_url, frontdesk):
    """Scrolling to the last of 1,000,000 rows asks for one window, never the whole table."""
    asked: list[tuple[int, int]] = []

    def window(actor, flt, offset, limit, sort, descending):
        asked.append((offset, limit))
        return [{"code": f"{offset + i:020d}", "code_display": str(offset + i)} for i in range(limit)]

    model = VoucherModel(frontdesk, window=window, counter=lambda actor, flt: 1_000_000)
    assert model.rowCount() == 1_000_000
    last = model.index(999_999, 0)
    assert model.data(last) == "999999"
    assert asked == [(999_800, PAGE_SIZE)]
    for row in range(0, 1_000_000, 10_007):
        model.data(model.index(row, 0))
    assert model.cached_rows() <= MAX_PAGES * PAGE_SIZE


def test_filters_sort_and_history(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse", full_name="赵护士")
    code = _voucher(issued, "EARLY_TEST").code
    redemption.redeem(nurse, code, "LAB")
    screen = _screen(qtbot, db_url, nurse)
    total = len(issued.vouchers)
    assert screen.model.rowCount() == total
    assert f"{total}" in screen.count_label.text()

    screen.state.setCurrentIndex(screen.state.findData("redeemed"))
    assert screen.model.rowCount() == 1
    assert screen.model.data(screen.model.index(0, 4)) == "已核销"
    screen.state.setCurrentIndex(screen.state.findData("issued"))
    assert screen.model.rowCount() == total - 1
    screen.state.setCurrentIndex(0)

    screen.point.setCurrentIndex(screen.point.findData("LAB"))
    lab = screen.model.rowCount()
    assert 1 <= lab < total
    screen.point.setCurrentIndex(0)

    screen.use_dates.setChecked(True)  # the last 30 days hold today's issuance
    assert screen.model.rowCount() == total
    screen.date_to.setDate(screen.date_from.date())
    assert screen.model.rowCount() == 0
    screen.use_dates.setChecked(False)

    screen.code.setText(code[:12])
    screen.apply_filter()
    assert screen.model.rowCount() == 1

    screen.table.setFocus()
    screen.table.selectRow(0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    [dialog] = screen.shown
    assert isinstance(dialog, VoucherHistoryDialog)
    lines = dialog.history_texts()
    assert len(lines) == 2
    assert "发放" in lines[0] and "核销" in lines[1] and "赵护士" in lines[1]
    assert dialog.fields["state"].text().startswith("已核销")
    assert english_words(screen) == []
    assert english_words(dialog) == []


def test_history_shows_reversal_and_void(qtbot, zh_app, db_url, issued, frontdesk):
    supervisor = make_actor("supervisor", full_name="钱主管")
    code = _voucher(issued, "EARLY_TEST").code
    redemption.redeem(supervisor, code, "LAB")
    redemption.reverse(supervisor, code, "误核销")
    dialog = VoucherHistoryDialog(supervisor, code)
    qtbot.addWidget(dialog)
    lines = dialog.history_texts()
    assert len(lines) == 3 and "冲正" in lines[2] and "误核销" in lines[2] and "钱主管" in lines[2]
    other = next(v for v in issued.vouchers if v.code != code)
    vouchers.void_voucher(frontdesk, other.code, "重复发放")
    dialog = VoucherHistoryDialog(supervisor, other.code)
    qtbot.addWidget(dialog)
    assert "作废" in dialog.history_texts()[-1] and dialog.fields["state"].text() == "已作废"


def test_model_filter_by_package(zh_app, db_url, issued, frontdesk):
    model = VoucherModel(frontdesk, VoucherFilter(package_code="HN-ZY"))
    assert model.rowCount() == len(issued.vouchers)
    model.set_filter(VoucherFilter(package_code="HN-YQ"))
    assert model.rowCount() == 0


def test_a_filter_that_finds_nothing_leaves_no_voucher_to_open(qtbot, zh_app, db_url, issued, frontdesk):
    """Right person on screen: after a filter that matches nothing, Enter opens no one's history;
    after a filter that matches one voucher, Enter opens exactly that one."""
    screen = _screen(qtbot, db_url, frontdesk)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.code.setText("99999999999999999999")
    screen.apply_filter()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    screen.open_history()
    assert screen.shown == []
    wanted = _voucher(issued, "EARLY_TEST")
    screen.code.setText(wanted.code)
    screen.apply_filter()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    [dialog] = screen.shown
    assert isinstance(dialog, VoucherHistoryDialog) and wanted.code_display in " ".join(
        label.text() for label in dialog.findChildren(type(screen.count_label))
    )
