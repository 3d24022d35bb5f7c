"""CSV and XLSX exports of the finance reports, with exactly the figures the PDFs print.

Each amount appears twice: yuan with two decimals (made from fen by integer arithmetic) for
people, and integer fen so that a spreadsheet's totals match the database to the fen.
Both formats are deterministic: the same report gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from reports.cells import SafeCsvWriter, xlsx_text_only
from reports.figures import MEASURES, Figures, Section
from reports.text import fen_to_yuan

_FIXED_TIME = datetime(2000, 1, 1)
_LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # report times are printed in Shanghai time


class TabularReport(Protocol):
    """What ReconciliationData, DailyCloseData and SettlementData have in common."""

    @property
    def institution(self) -> str: ...
    @property
    def generated_at(self) -> str: ...
    @property
    def title(self) -> str: ...
    def meta(self) -> list[tuple[str, str]]: ...
    def sections(self) -> list[Section]: ...


def section_header(section: Section) -> list[str]:
    header = list(section.key_headers)
    for m in section.measures:
        label = MEASURES[m]
        header += [f"{label}笔数", f"{label}金额(元)", f"{label}金额(分)"]
    return header


def section_rows(section: Section) -> list[tuple[list[str], Figures]]:
    """Key cells and figures of each row, then the totals row ('合计' in the first key column)."""
    rows = [(list(row.keys), row.figures) for row in section.rows]
    total_keys = ["合计"] + [""] * (len(section.key_headers) - 1)
    return [*rows, (total_keys, section.total)]


def to_csv(report: TabularReport) -> bytes:
    """UTF-8 with BOM (Excel on Chinese Windows opens it with the right encoding); no cell is a formula."""
    buf = io.StringIO()
    out = SafeCsvWriter(csv.writer(buf, lineterminator="\r\n"))
    out.writerow([report.title])
    out.writerow(["机构", report.institution])
    out.writerows([list(pair) for pair in report.meta()])
    for section in report.sections():
        out.writerow([])
        out.writerow([section.title])
        out.writerow(section_header(section))
        for keys, figures in section_rows(section):
            cells: list[str] = list(keys)
            for m in section.measures:
                fen = figures.fen(m)
                cells += [str(figures.count(m)), fen_to_yuan(fen), str(fen)]
            out.writerow(cells)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(report: TabularReport) -> bytes:
    """One worksheet per section; the title and period lines above each table."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for section in report.sections():
        ws = wb.create_sheet(_sheet_name(section.title))
        ws.append([report.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(["机构", report.institution])
        for pair in report.meta():
            ws.append(list(pair))
        ws.append([])
        ws.append(section_header(section))
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = bold
        for keys, figures in section_rows(section):
            cells: list[object] = list(keys)
            for m in section.measures:
                fen = figures.fen(m)
                cells += [figures.count(m), Decimal(fen_to_yuan(fen)), fen]
            ws.append(cells)
        for cell in ws[ws.max_row]:
            cell.font = bold
        xlsx_text_only(ws)
        _format(ws, header_row, len(section.key_headers), len(section.measures))
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps "modified" with the wall clock here: core.xml is written again below
    props = wb.properties
    props.creator, props.last_modified_by, props.title = "ffdesk", "ffdesk", report.title
    props.created = props.modified = document_time(report.generated_at)
    return _normalise_zip(buf.getvalue(), {"docProps/core.xml": tostring(props.to_tree())})


def document_time(generated_at: str) -> datetime:
    """The report's generation time (local 'YYYY-MM-DD HH:MM:SS'; a closed month's is its close
    time) as the naive UTC time of the document properties: a reprint carries the same stamp."""
    try:
        local = datetime.fromisoformat(generated_at).replace(tzinfo=_LOCAL_TZ)
    except ValueError:
        return _FIXED_TIME
    return local.astimezone(UTC).replace(tzinfo=None)


def _format(ws: Worksheet, header_row: int, keys: int, measures: int) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=keys + 1)
    for col in range(1, keys + 1):
        ws.column_dimensions[get_column_letter(col)].width = 24
    for index in range(measures):
        base = keys + 1 + 3 * index
        for offset, width, fmt in ((0, 9, "#,##0"), (1, 14, "#,##0.00"), (2, 12, "0")):
            letter = get_column_letter(base + offset)
            ws.column_dimensions[letter].width = width
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=base + offset, max_col=base + offset):
                cell.number_format = fmt


def _sheet_name(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, "_")
    return title[:31]


def _normalise_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Rewrite the XLSX zip with fixed member times and the ``replace`` members: same report, same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, replace.get(info.filename) or src.read(info.filename))
    return out.getvalue()


def export(report: TabularReport, fmt: str) -> bytes:
    """'csv' or 'xlsx' (the PDF renderers live in reports.reconciliation)."""
    writers = {"csv": to_csv, "xlsx": to_xlsx}
    if fmt not in writers:
        raise ValueError(f"不支持的导出格式：{fmt}（可选 csv、xlsx）")
    return writers[fmt](report)
