from __future__ import annotations

import re
from datetime import date

import pytest

from models.money import format_fen
from reports.figures import DailyCloseData, Figures, SettlementData
from reports.reconciliation import render_daily_close, render_reconciliation, render_settlement
from reports.text import fen_to_chinese_upper
from tests.reports.helpers import flat_text, page_texts, require_font
from tests.reports.samples import INSTITUTION, item_rows, label_rows, recon


@pytest.fixture(autouse=True)
def _font() -> None:
    require_font()


def _money(fen: int) -> str:
    return format_fen(fen, symbol=False)


def test_reconciliation_totals_row_is_the_sum_of_the_rows_to_the_fen() -> None:
    data = recon()
    text = flat_text(render_reconciliation(data))
    rows = data.by_item
    expected = []
    for measure in ("issued", "redeemed", "reversed", "voided", "expired", "outstanding"):
        count = sum(getattr(r.figures, f"{measure}_count") for r in rows)
        fen = sum(getattr(r.figures, f"{measure}_fen") for r in rows)
        expected.append(f"{count:,}{_money(fen)}")
    assert "合计" + "".join(expected) in text
    for heading in ["按服务包及项目", "按服务点", "按操作员", "期末未核销", "作废", "冲正", "赵子堃"]:
        assert heading in text
    assert "已结账（数据已冻结）" in text


def test_multi_page_report_numbers_every_page_and_repeats_headers() -> None:
    pages = page_texts(render_reconciliation(recon(repeat=5)))
    total = len(pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        squashed = "".join(page.split())
        assert f"第{number}页共{total}页" in squashed
        assert INSTITUTION in squashed and "生育友好服务电子券对账报表" in squashed
        assert "服务包" in squashed and "金额(元)" in squashed
    assert "第 1 页 共 " in pages[0]


def test_stated_totals_that_differ_from_rows_are_refused() -> None:
    rows = item_rows()
    good = Figures.total(r.figures for r in rows)
    recon(totals=good)  # equal: accepted
    off_by_one_fen = good + Figures(redeemed_fen=1)
    with pytest.raises(ValueError, match="合计"):
        recon(totals=off_by_one_fen)


def test_closed_month_reprints_byte_identical() -> None:
    assert render_reconciliation(recon()) == render_reconciliation(recon())
    assert render_reconciliation(recon()) != render_reconciliation(recon(closed=False))


def test_settlement_statement_for_the_commission() -> None:
    rows = item_rows()
    data = SettlementData(
        INSTITUTION, "连云港市卫生健康委员会", "2025年3月", date(2025, 3, 1), date(2025, 3, 31),
        "2025-04-01 09:00", True, rows, prepared_by="周珺",
    )  # fmt: skip
    pdf = render_settlement(data)
    text = flat_text(pdf)
    net_count = sum(r.figures.redeemed_count - r.figures.reversed_count for r in rows)
    net_fen = sum(r.figures.redeemed_fen - r.figures.reversed_fen for r in rows)
    assert f"本期应结算{net_count}人次，金额{format_fen(net_fen)}" in text
    assert f"人民币大写：{fen_to_chinese_upper(net_fen)}" in text
    for label in [
        "连云港市卫生健康委员会",
        "制表人：周珺",
        "制表人：",
        "审核人：",
        "负责人：",
        "日期：",
        "单位盖章",
    ]:
        assert label in text
    assert re.search(r"第1页共1页", text)


def test_daily_close_per_operator() -> None:
    ops = label_rows(["王小红", "李晓玥"])
    data = DailyCloseData(INSTITUTION, date(2025, 3, 12), "2025-03-12 17:30", ops)
    text = flat_text(render_daily_close(data))
    assert "日期：2025-03-12" in text and "王小红" in text and "李晓玥" in text
    issued = sum(r.figures.issued_fen for r in ops)
    assert _money(issued) in text
    assert "交班人：" in text and "复核人：" in text


@pytest.mark.parametrize(
    ("fen", "capitals"),
    [
        (197_300, "壹仟玖佰柒拾叁元整"),
        (100_005, "壹仟元零伍分"),
        (0, "零元整"),
        (50, "伍角整"),
        (1_000_150, "壹万零壹元伍角整"),
        (1_000_100_00, "壹佰万零壹佰元整"),
        (11_731_680, "壹拾壹万柒仟叁佰壹拾陆元捌角整"),
        (-1_001, "负壹拾元零壹分"),
    ],
)
def test_amount_in_capitals(fen: int, capitals: str) -> None:
    assert fen_to_chinese_upper(fen) == capitals
