from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from models.money import format_fen
from reports.exports import export, to_csv, to_xlsx
from reports.figures import SettlementData
from reports.reconciliation import render_reconciliation, render_settlement
from reports.text import fen_to_yuan
from tests.reports.helpers import flat_text, require_font
from tests.reports.samples import INSTITUTION, item_rows, recon

MEASURES = ("发放", "核销", "冲正", "作废", "过期", "期末未核销")


def _csv_table(data: bytes, section_title: str) -> tuple[list[str], list[list[str]]]:
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    start = lines.index([section_title])
    header = lines[start + 1]
    body = []
    for line in lines[start + 2 :]:
        if not line:
            break
        body.append(line)
    return header, body


def _pdf_totals_text(header: list[str], total: list[str], measures: tuple[str, ...]) -> str:
    """The totals row as the PDF prints it, built from the spreadsheet's fen columns."""
    text = "合计"
    for m in measures:
        count = int(total[header.index(f"{m}笔数")])
        fen = int(total[header.index(f"{m}金额(分)")])
        text += f"{count:,}{format_fen(fen, symbol=False)}"
    return text


def test_csv_totals_equal_the_rows_and_the_pdf() -> None:
    require_font()
    data = recon()
    header, body = _csv_table(to_csv(data), "按服务包及项目")
    *rows, total = body
    assert len(rows) == len(data.by_item) and total[0] == "合计"
    for m in MEASURES:
        fen_col, yuan_col = header.index(f"{m}金额(分)"), header.index(f"{m}金额(元)")
        assert int(total[fen_col]) == sum(int(r[fen_col]) for r in rows)
        for row in body:
            assert Decimal(row[yuan_col]) * 100 == int(row[fen_col])
            assert len(row[yuan_col].split(".")[1]) == 2
    assert _pdf_totals_text(header, total, MEASURES) in flat_text(render_reconciliation(data))


def test_xlsx_has_the_same_figures_as_the_csv() -> None:
    data = recon()
    header, body = _csv_table(to_csv(data), "按服务点")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(data)))
    assert book.sheetnames == ["按服务包及项目", "按服务点", "按操作员"]
    sheet_rows = [list(r) for r in book["按服务点"].iter_rows(values_only=True)]
    start = sheet_rows.index(header)
    xlsx_body = sheet_rows[start + 1 : start + 1 + len(body)]
    for csv_row, xlsx_row in zip(body, xlsx_body, strict=True):
        for name, csv_cell, xlsx_cell in zip(header, csv_row, xlsx_row, strict=True):
            if name.endswith(("笔数", "(分)")):
                assert xlsx_cell == int(csv_cell)
            elif name.endswith("(元)"):
                assert round(Decimal(str(xlsx_cell)), 2) == Decimal(csv_cell)
            else:
                assert (xlsx_cell or "") == csv_cell
    assert xlsx_body[-1][0] == "合计"


def test_settlement_export_matches_the_printed_statement() -> None:
    require_font()
    rows = item_rows()
    data = SettlementData(
        INSTITUTION, "连云港市卫生健康委员会", "2025年3月", date(2025, 3, 1), date(2025, 3, 31),
        "2025-04-01 09:00", True, rows,
    )  # fmt: skip
    header, body = _csv_table(export(data, "csv"), "结算明细")
    total = body[-1]
    assert int(total[header.index("应结算金额(分)")]) == sum(
        r.figures.redeemed_fen - r.figures.reversed_fen for r in rows
    )
    assert _pdf_totals_text(header, total, ("核销", "冲正", "应结算")) in flat_text(render_settlement(data))


def test_exports_are_deterministic() -> None:
    assert to_xlsx(recon()) == to_xlsx(recon())
    assert to_csv(recon()) == to_csv(recon())


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="不支持的导出格式"):
        export(recon(), "ods")


def test_yuan_text_is_exact_for_negative_and_small_amounts() -> None:
    assert [fen_to_yuan(f) for f in (0, 5, -5, 100, -123_456_789)] == [
        "0.00",
        "0.05",
        "-0.05",
        "1.00",
        "-1234567.89",
    ]
